import { ChannelFailure, failureKindOf } from './failure.js';

export class MattermostFailure extends ChannelFailure {}

export interface MattermostUser {
  id: string;
  username: string;
  email?: string;
  first_name?: string;
  last_name?: string;
  nickname?: string;
  /** Milliseconds since the epoch when deactivated; 0 while active. */
  delete_at?: number;
  is_bot?: boolean;
}

export interface MattermostPost {
  id: string;
  channel_id: string;
  message: string;
  create_at?: number;
  props?: Record<string, unknown>;
}

export interface MattermostClient {
  /** The bot's own account. */
  me(): Promise<MattermostUser>;
  /** null when nobody on the server has this address. */
  userByEmail(email: string): Promise<MattermostUser | null>;
  user(id: string): Promise<MattermostUser | null>;
  usersByIds(ids: string[]): Promise<MattermostUser[]>;
  /** The direct channel of two users, or the group channel of 3–8, created when missing. */
  channelWith(userIds: string[]): Promise<string>;
  createPost(post: { channel_id: string; message: string; props?: Record<string, unknown> }): Promise<MattermostPost>;
  postsSince(channelId: string, sinceMs: number): Promise<MattermostPost[]>;
  /** Every member's user id, read page by page. */
  channelMemberIds(channelId: string): Promise<string[]>;
}

const CACHE_MS = 10 * 60 * 1000;
export const MEMBERS_PER_PAGE = 200;

/** Mattermost's X-Ratelimit-Reset counts seconds until the reset; an epoch value is accepted too. */
function retryAfter(headers: Headers): number {
  const after = Number(headers.get('retry-after'));
  if (Number.isFinite(after) && after > 0) return after;
  const reset = Number(headers.get('x-ratelimit-reset'));
  if (Number.isFinite(reset) && reset > 0) {
    const now = Date.now() / 1000;
    return Math.max(1, Math.ceil(reset > 1e9 ? reset - now : reset));
  }
  return 30;
}

function failureFor(status: number, headers: Headers, detail: string, what: string): MattermostFailure {
  const message = `Mattermost answered ${status} to ${what}${detail ? `: ${detail}` : ''}`;
  // A revoked or wrong token is a setting to fix: the message waits and retries meanwhile.
  const kind = status === 401 ? 'retry' : failureKindOf(status);
  return new MattermostFailure(message, kind, kind === 'ratelimited' ? retryAfter(headers) : undefined, status);
}

/** Mattermost's REST API v4 through fetch; no retries here — the outbox retries, with its backoff. */
export function mattermostClient(props: { url: string; token: string; timeoutMs?: number }): MattermostClient {
  const base = `${props.url.replace(/\/+$/, '')}/api/v4`;
  const timeoutMs = props.timeoutMs ?? 15_000;
  const emails = new Map<string, { user: MattermostUser | null; at: number }>();
  const channels = new Map<string, { id: string; at: number }>();
  let self: MattermostUser | undefined;

  async function call<T>(method: string, path: string, body?: unknown, allow404 = false): Promise<T | null> {
    const what = `${method} ${path.split('?')[0]}`;
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${props.token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new MattermostFailure(`Mattermost could not be reached (${what}): ${(error as Error).message}`, 'retry');
    }
    const text = await response.text().catch(() => '');
    if (allow404 && response.status === 404) return null;
    if (!response.ok) {
      let detail = '';
      try {
        detail = String((JSON.parse(text) as { message?: string }).message ?? '');
      } catch {
        detail = text.slice(0, 200);
      }
      throw failureFor(response.status, response.headers, detail, what);
    }
    try {
      return (text ? JSON.parse(text) : null) as T;
    } catch {
      throw new MattermostFailure(`Mattermost answered ${what} with something other than JSON.`, 'retry');
    }
  }

  const client: MattermostClient = {
    async me() {
      self ??= (await call<MattermostUser>('GET', '/users/me')) as MattermostUser;
      return self;
    },
    async userByEmail(email) {
      const key = email.toLowerCase();
      const cached = emails.get(key);
      if (cached && Date.now() - cached.at < CACHE_MS) return cached.user;
      const user = await call<MattermostUser>('GET', `/users/email/${encodeURIComponent(email)}`, undefined, true);
      emails.set(key, { user, at: Date.now() });
      return user;
    },
    user: (id) => call<MattermostUser>('GET', `/users/${encodeURIComponent(id)}`, undefined, true),
    async usersByIds(ids) {
      const users: MattermostUser[] = [];
      for (let i = 0; i < ids.length; i += MEMBERS_PER_PAGE) {
        users.push(...((await call<MattermostUser[]>('POST', '/users/ids', ids.slice(i, i + MEMBERS_PER_PAGE))) ?? []));
      }
      return users;
    },
    async channelWith(userIds) {
      const ids = [...new Set(userIds)].sort();
      if (ids.length < 2 || ids.length > 8) {
        throw new MattermostFailure(`A Mattermost conversation holds 2 to 8 people, not ${ids.length}.`, 'permanent');
      }
      const key = ids.join(',');
      const cached = channels.get(key);
      if (cached && Date.now() - cached.at < CACHE_MS) return cached.id;
      const channel = await call<{ id: string }>(
        'POST',
        ids.length === 2 ? '/channels/direct' : '/channels/group',
        ids,
      );
      if (!channel?.id) throw new MattermostFailure('Mattermost returned no channel.', 'retry');
      channels.set(key, { id: channel.id, at: Date.now() });
      return channel.id;
    },
    async createPost(post) {
      const created = await call<MattermostPost>('POST', '/posts', post);
      if (!created?.id) throw new MattermostFailure('Mattermost returned no post.', 'retry');
      return created;
    },
    async postsSince(channelId, sinceMs) {
      const found = await call<{ order?: string[]; posts?: Record<string, MattermostPost> }>(
        'GET',
        `/channels/${encodeURIComponent(channelId)}/posts?since=${Math.max(0, Math.floor(sinceMs))}`,
      );
      return Object.values(found?.posts ?? {});
    },
    async channelMemberIds(channelId) {
      const ids: string[] = [];
      // The coffeebot read one page and lost everyone past the 200th member: read until a short page.
      for (let page = 0; ; page++) {
        const members =
          (await call<Array<{ user_id: string }>>(
            'GET',
            `/channels/${encodeURIComponent(channelId)}/members?page=${page}&per_page=${MEMBERS_PER_PAGE}`,
          )) ?? [];
        ids.push(...members.map((m) => m.user_id));
        if (members.length < MEMBERS_PER_PAGE) break;
      }
      return [...new Set(ids)];
    },
  };
  return client;
}
