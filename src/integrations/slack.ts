import type { WebClient } from '@slack/web-api';
import { redact } from '../lib/redact.js';

type SlackModule = typeof import('@slack/web-api');
/**
 * Slack's client library, loaded at the first Slack call rather than with the server: it and what it
 * brings (an HTTP client, form encoding) take a noticeable part of every process's start, which
 * installations without Slack, and every command, paid for nothing.
 */
let slackModule: SlackModule | undefined;

type SlackProps = { token: string; apiUrl: string; timeoutMs?: number };

/** A client for `props.apiUrl` that logs only errors; `options` says how it retries and waits. */
async function webClient(
  props: SlackProps,
  options: { retries: number; timeoutMs: number; rejectRateLimitedCalls?: boolean },
): Promise<WebClient> {
  slackModule ??= await import('@slack/web-api');
  return new slackModule.WebClient(props.token, {
    slackApiUrl: props.apiUrl.endsWith('/') ? props.apiUrl : `${props.apiUrl}/`,
    retryConfig: { retries: options.retries },
    ...(options.rejectRateLimitedCalls && { rejectRateLimitedCalls: true }),
    timeout: props.timeoutMs ?? options.timeoutMs,
    logLevel: slackModule.LogLevel.ERROR,
  });
}

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

/** conversations.open takes at most this many users, the bot not counted. */
export const SLACK_MAX_IN_GROUP = 8;

export interface SlackMessage {
  text: string;
  blocks: Array<Record<string, unknown>>;
  metadata?: { event_type: string; event_payload: Record<string, string> };
}

/** The delivery steps, so a sender decides which conversations to open and where to look first. */
export interface SlackChannel {
  /** Slack user ids by person id (users.lookupByEmail), and the people Slack does not know. */
  findUsers(emails: Map<string, string>): Promise<{ slackIds: Map<string, string>; notFound: string[] }>;
  /** The direct message (one user) or group DM (2–8 users) with the bot, opened when needed. */
  open(userIds: string[]): Promise<string>;
  /** The ts of a message carrying this notification id posted in `channel` since `since`, or null. */
  findPosted(channel: string, since: string, notificationId: string): Promise<string | null>;
  postMessage(channel: string, message: SlackMessage): Promise<string>;
}

const CACHE_MS = 10 * 60 * 1000;

/** Slack's Web API through @slack/web-api; `apiUrl` points it elsewhere (tests, a proxy). */
export function slackChannel(props: SlackProps): SlackChannel {
  let made: Promise<WebClient> | undefined;
  const slack = () => {
    // The outbox does the retrying, with its own backoff, and honours Retry-After itself.
    made ??= webClient(props, { retries: 0, timeoutMs: 15_000, rejectRateLimitedCalls: true });
    return made;
  };
  const users = new Map<string, { id: string | null; at: number }>();
  const conversations = new Map<string, { id: string; at: number }>();

  const call = async <T>(what: () => Promise<T>): Promise<T> => {
    try {
      return await what();
    } catch (error) {
      throw translate(error, props.token);
    }
  };

  const lookup = async (email: string): Promise<string | null> => {
    const cached = users.get(email);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.id;
    try {
      const answer = await (await slack()).users.lookupByEmail({ email });
      const id = answer.user?.id ?? null;
      users.set(email, { id, at: Date.now() });
      return id;
    } catch (error) {
      if (platformError(error) === 'users_not_found') {
        users.set(email, { id: null, at: Date.now() });
        return null;
      }
      throw translate(error, props.token);
    }
  };

  return {
    async findUsers(emails) {
      const slackIds = new Map<string, string>();
      const notFound: string[] = [];
      for (const [personId, email] of emails) {
        const id = await lookup(email);
        if (id) slackIds.set(personId, id);
        else notFound.push(personId);
      }
      return { slackIds, notFound };
    },
    async open(userIds) {
      const key = [...new Set(userIds)].sort().join(',');
      const cached = conversations.get(key);
      if (cached && Date.now() - cached.at < CACHE_MS) return cached.id;
      const opened = await call(async () => (await slack()).conversations.open({ users: key }));
      if (!opened.channel?.id) throw new SlackFailure('conversations.open returned no channel.', 'retry');
      conversations.set(key, { id: opened.channel.id, at: Date.now() });
      return opened.channel.id;
    },
    async findPosted(channel, since, notificationId) {
      const history = await call(async () =>
        (await slack()).conversations.history({
          channel,
          oldest: String(Date.parse(since) / 1000 - 60),
          include_all_metadata: true,
          limit: 200,
        }),
      );
      const earlier = history.messages?.find(
        (m) => (m.metadata?.event_payload as Record<string, unknown> | undefined)?.notification_id === notificationId,
      );
      return earlier?.ts ?? null;
    },
    async postMessage(channel, message) {
      const posted = await call(async () =>
        (await slack()).chat.postMessage({
          channel,
          text: message.text,
          blocks: message.blocks as never,
          unfurl_links: false,
          ...(message.metadata ? { metadata: message.metadata } : {}),
        }),
      );
      return String(posted.ts ?? '');
    },
  };
}

function platformError(error: unknown): string | undefined {
  const coded = error as { code?: string; data?: { error?: string } };
  return slackModule && coded?.code === slackModule.ErrorCode.PlatformError ? coded.data?.error : undefined;
}

const PERMANENT = new Set([
  'channel_not_found',
  'is_archived',
  'msg_too_long',
  'no_text',
  'invalid_blocks',
  'cannot_dm_bot',
  'too_many_users',
]);

const FIX_TOKEN = 'then set the new bot token on Admin → Channels (or in the config file)';

/**
 * Answers that only an admin can change: retrying would just fail the same way 8 times, so the
 * message fails at once and says what to fix.
 */
const SETTINGS: Record<string, (data: { needed?: string; provided?: string }) => string> = {
  missing_scope: ({ needed, provided }) =>
    `Slack refused: the bot token lacks the ${needed ? `${needed} scope` : 'scope this call needs'}` +
    `${provided ? ` (it has ${provided})` : ''} (missing_scope). Add it under OAuth & Permissions → Bot Token Scopes ` +
    `in the Slack app settings and reinstall the app; ${FIX_TOKEN} if it changed.`,
  not_allowed_token_type: () =>
    `Slack refused the token type (not_allowed_token_type): Convene needs a bot token (xoxb-…), not a user or app-level token; ${FIX_TOKEN}.`,
  account_inactive: () =>
    `Slack refused: the token belongs to a deactivated user or an uninstalled app (account_inactive). Reinstall the Slack app, ${FIX_TOKEN}.`,
  no_permission: () =>
    'Slack refused: the workspace does not let this bot token do that (no_permission). Check the app’s scopes and that a workspace admin approved the app, then reinstall it.',
};

function translate(error: unknown, token?: string): SlackFailure {
  if (error instanceof SlackFailure) return error;
  const coded = error as { code?: string; retryAfter?: number; message?: string };
  if (slackModule && coded?.code === slackModule.ErrorCode.RateLimitedError) {
    return new SlackFailure(
      `Slack rate limited the call; retry after ${coded.retryAfter}s.`,
      'ratelimited',
      coded.retryAfter ?? 30,
    );
  }
  const platform = platformError(error);
  if (platform === 'ratelimited') return new SlackFailure('Slack answered ratelimited.', 'ratelimited', 30);
  const setting = platform ? SETTINGS[platform] : undefined;
  if (setting) {
    const data = (error as { data?: { needed?: unknown; provided?: unknown } }).data ?? {};
    // Slack's own words, but only when they look like scope names: they end up in a message.
    const scopes = (value: unknown) =>
      typeof value === 'string' && /^[a-z:.,_ -]{1,200}$/i.test(value) ? value : undefined;
    const needed = scopes(data.needed);
    const provided = scopes(data.provided);
    return new SlackFailure(setting({ ...(needed ? { needed } : {}), ...(provided ? { provided } : {}) }), 'permanent');
  }
  // invalid_auth, token_revoked…: a setting to fix, so the message waits and retries.
  if (platform) return new SlackFailure(`Slack answered ${platform}.`, PERMANENT.has(platform) ? 'permanent' : 'retry');
  return new SlackFailure(`Slack could not be reached: ${redact(coded?.message ?? String(error), [token])}`, 'retry');
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
export async function slackChannelRoster(props: SlackProps, channel: string): Promise<ChatRoster> {
  const client = await webClient(props, { retries: 3, timeoutMs: 15_000 });
  const call = async <T>(what: () => Promise<T>): Promise<T> => {
    try {
      return await what();
    } catch (error) {
      throw translate(error, props.token);
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
export async function slackUserEmail(props: SlackProps, userId: string): Promise<string | null> {
  const client = await webClient(props, { retries: 0, timeoutMs: 5_000 });
  try {
    const answer = await client.users.info({ user: userId });
    return answer.user?.profile?.email ?? null;
  } catch (error) {
    if (platformError(error) === 'user_not_found') return null;
    throw translate(error, props.token);
  }
}
