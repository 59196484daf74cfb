import { ErrorCode, LogLevel, WebClient } from '@slack/web-api';

/** Why a Slack call failed, in terms the outbox acts on. */
export class SlackFailure extends Error {
  constructor(
    message: string,
    readonly kind: 'permanent' | 'retry' | 'ratelimited',
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export interface SlackPost {
  /** Participants' e-mail addresses, keyed by person id. */
  emails: Map<string, string>;
  text: string;
  blocksFor: (slackIds: Map<string, string>) => Array<Record<string, unknown>>;
  metadata?: { event_type: string; event_payload: Record<string, string> };
  /** Look in the conversation first: a previous worker may have posted it before it died. */
  checkFirst?: { since: string };
}

export interface SlackPostResult {
  channel: string;
  ts: string;
  slackIds: Record<string, string>;
  notFound: string[];
  alreadyPosted?: boolean;
}

export interface SlackChannel {
  /** One conversation with every participant found on Slack, and one post in it. */
  post(message: SlackPost): Promise<SlackPostResult>;
}

const CACHE_MS = 10 * 60 * 1000;

/** Slack's Web API through @slack/web-api; `apiUrl` points it elsewhere (tests, a proxy). */
export function slackChannel(props: { token: string; apiUrl: string; timeoutMs?: number }): SlackChannel {
  const client = new WebClient(props.token, {
    slackApiUrl: props.apiUrl.endsWith('/') ? props.apiUrl : `${props.apiUrl}/`,
    // The outbox does the retrying, with its own backoff, and honours Retry-After itself.
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: props.timeoutMs ?? 15_000,
    logLevel: LogLevel.ERROR,
  });
  const users = new Map<string, { id: string | null; at: number }>();
  const conversations = new Map<string, { id: string; at: number }>();

  const call = async <T>(what: () => Promise<T>): Promise<T> => {
    try {
      return await what();
    } catch (error) {
      throw translate(error);
    }
  };

  const lookup = async (email: string): Promise<string | null> => {
    const cached = users.get(email);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.id;
    try {
      const answer = await client.users.lookupByEmail({ email });
      const id = answer.user?.id ?? null;
      users.set(email, { id, at: Date.now() });
      return id;
    } catch (error) {
      if (platformError(error) === 'users_not_found') {
        users.set(email, { id: null, at: Date.now() });
        return null;
      }
      throw translate(error);
    }
  };

  return {
    async post(message) {
      const slackIds = new Map<string, string>();
      const notFound: string[] = [];
      for (const [personId, email] of message.emails) {
        const id = await lookup(email);
        if (id) slackIds.set(personId, id);
        else notFound.push(personId);
      }
      if (!slackIds.size)
        throw new SlackFailure('Nobody in this meeting was found on Slack (users_not_found).', 'permanent');
      const key = [...new Set(slackIds.values())].sort().join(',');
      let channel = conversations.get(key);
      if (!channel || Date.now() - channel.at > CACHE_MS) {
        const opened = await call(() => client.conversations.open({ users: key }));
        if (!opened.channel?.id) throw new SlackFailure('conversations.open returned no channel.', 'retry');
        channel = { id: opened.channel.id, at: Date.now() };
        conversations.set(key, channel);
      }
      const channelId = channel.id;
      const id = message.metadata?.event_payload.notification_id;
      if (message.checkFirst && id) {
        const history = await call(() =>
          client.conversations.history({
            channel: channelId,
            oldest: String(Date.parse(message.checkFirst?.since ?? '') / 1000 - 60),
            include_all_metadata: true,
            limit: 200,
          }),
        );
        const earlier = history.messages?.find(
          (m) => (m.metadata?.event_payload as Record<string, unknown> | undefined)?.notification_id === id,
        );
        if (earlier?.ts) {
          return {
            channel: channelId,
            ts: earlier.ts,
            slackIds: Object.fromEntries(slackIds),
            notFound,
            alreadyPosted: true,
          };
        }
      }
      const posted = await call(() =>
        client.chat.postMessage({
          channel: channelId,
          text: message.text,
          blocks: message.blocksFor(slackIds) as never,
          unfurl_links: false,
          ...(message.metadata ? { metadata: message.metadata } : {}),
        }),
      );
      return { channel: channelId, ts: String(posted.ts ?? ''), slackIds: Object.fromEntries(slackIds), notFound };
    },
  };
}

function platformError(error: unknown): string | undefined {
  const coded = error as { code?: string; data?: { error?: string } };
  return coded?.code === ErrorCode.PlatformError ? coded.data?.error : undefined;
}

const PERMANENT = new Set([
  'channel_not_found',
  'is_archived',
  'msg_too_long',
  'no_text',
  'invalid_blocks',
  'cannot_dm_bot',
]);

function translate(error: unknown): SlackFailure {
  if (error instanceof SlackFailure) return error;
  const coded = error as { code?: string; retryAfter?: number; message?: string };
  if (coded?.code === ErrorCode.RateLimitedError) {
    return new SlackFailure(
      `Slack rate limited the call; retry after ${coded.retryAfter}s.`,
      'ratelimited',
      coded.retryAfter ?? 30,
    );
  }
  const platform = platformError(error);
  if (platform === 'ratelimited') return new SlackFailure('Slack answered ratelimited.', 'ratelimited', 30);
  // invalid_auth, token_revoked…: a setting to fix, so the message waits and retries.
  if (platform) return new SlackFailure(`Slack answered ${platform}.`, PERMANENT.has(platform) ? 'permanent' : 'retry');
  return new SlackFailure(`Slack could not be reached: ${coded?.message ?? String(error)}`, 'retry');
}

/** A member of a chat channel, as the chat knows them. */
export interface ChatMember {
  id: string;
  email: string | null;
  name: string;
  firstName: string | null;
  lastName: string | null;
  timezone: string | null;
  bot: boolean;
  deactivated: boolean;
}

export interface ChatRoster {
  /** The bot's own user id: it is in the channel but is nobody to pair. */
  botId: string;
  members: ChatMember[];
}

const MEMBERS_PAGE = 200;
const LOOKUPS_AT_ONCE = 8;

/**
 * Everyone in a Slack channel with their profile: conversations.members read page by page (cursor),
 * then users.info for each. This is a background read, not a delivery, so the client's own
 * Retry-After handling is left on.
 */
export async function slackChannelRoster(
  props: { token: string; apiUrl: string; timeoutMs?: number },
  channel: string,
): Promise<ChatRoster> {
  const client = new WebClient(props.token, {
    slackApiUrl: props.apiUrl.endsWith('/') ? props.apiUrl : `${props.apiUrl}/`,
    retryConfig: { retries: 3 },
    timeout: props.timeoutMs ?? 15_000,
    logLevel: LogLevel.ERROR,
  });
  const call = async <T>(what: () => Promise<T>): Promise<T> => {
    try {
      return await what();
    } catch (error) {
      throw translate(error);
    }
  };
  const auth = await call(() => client.auth.test());
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await call(() => client.conversations.members({ channel, limit: MEMBERS_PAGE, cursor }));
    ids.push(...(page.members ?? []));
    cursor = page.response_metadata?.next_cursor || undefined;
  } while (cursor);
  const unique = [...new Set(ids)];
  const members: ChatMember[] = [];
  let next = 0;
  const lane = async () => {
    while (next < unique.length) {
      const id = unique[next++] as string;
      const { user } = await call(() => client.users.info({ user: id }));
      if (!user) continue;
      const profile = user.profile ?? {};
      members.push({
        id,
        email: profile.email ?? null,
        name: profile.real_name || user.real_name || user.name || id,
        firstName: profile.first_name || null,
        lastName: profile.last_name || null,
        timezone: user.tz ?? null,
        bot: user.is_bot === true || id === 'USLACKBOT',
        deactivated: user.deleted === true,
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(LOOKUPS_AT_ONCE, unique.length) }, lane));
  return { botId: String(auth.user_id ?? ''), members };
}

/**
 * The e-mail address of a Slack user (users.info, needs the users:read.email scope): how a click on
 * a button is traced back to a person. Null when Slack does not know them or hides the address.
 */
export async function slackUserEmail(
  props: { token: string; apiUrl: string; timeoutMs?: number },
  userId: string,
): Promise<string | null> {
  const client = new WebClient(props.token, {
    slackApiUrl: props.apiUrl.endsWith('/') ? props.apiUrl : `${props.apiUrl}/`,
    retryConfig: { retries: 0 },
    timeout: props.timeoutMs ?? 5_000,
    logLevel: LogLevel.ERROR,
  });
  try {
    const answer = await client.users.info({ user: userId });
    return answer.user?.profile?.email ?? null;
  } catch (error) {
    if (platformError(error) === 'user_not_found') return null;
    throw translate(error);
  }
}
