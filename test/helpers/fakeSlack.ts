import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';

/** A message the fake Slack accepted through chat.postMessage. */
export interface FakePost {
  channel: string;
  members: string[];
  text: string;
  blocks: Array<Record<string, unknown>>;
  notificationId: string | null;
  ts: string;
}

type Fault = {
  method: string;
  error?: string;
  retryAfter?: number;
  /** More fields of Slack's answer, e.g. `needed` and `provided` with missing_scope. */
  extra?: Record<string, string>;
  /** Calls of `method` let through before the fault starts. */
  after?: number;
  times: number;
};

/**
 * A local HTTP server speaking the parts of Slack's Web API Convene uses (users.lookupByEmail,
 * conversations.open, chat.postMessage), form or JSON bodies, bearer token — with Slack's errors on
 * demand: users_not_found for unknown addresses, invalid_auth for a wrong token, too_many_users for
 * a group DM of more than 8, 429 ratelimited with Retry-After.
 */
export class FakeSlack {
  readonly token = `xoxb-${randomBytes(8).toString('hex')}`;
  readonly users = new Map<string, { id: string; tz: string }>();
  readonly conversations = new Map<string, string[]>();
  readonly posts: FakePost[] = [];
  /** Messages sent to an interaction's response_url (`${url}response/…`), in order. */
  readonly responses: Array<Record<string, unknown>> = [];
  readonly calls: Array<{ method: string; status: number }> = [];
  private faults: Fault[] = [];
  /** Held requests of this method are answered only when `release()` is called. */
  hold: string | null = null;
  private held: Array<() => void> = [];

  /** How many requests are being held right now. */
  get heldCount(): number {
    return this.held.length;
  }
  private server: Server = createServer((req, res) => void this.handle(req, res));
  url = '';

  async start(): Promise<this> {
    // Node drops a keep-alive connection after 5 idle seconds; a client whose event loop was busy
    // then writes into a closing socket and its send fails. The service this stands for keeps
    // connections far longer, and a test about sending must not fail on that race.
    this.server.keepAliveTimeout = 600_000;
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    this.url = `http://127.0.0.1:${address.port}/api/`;
    return this;
  }

  async stop(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The bot's own user id (auth.test); it sits in every channel it reads. */
  readonly botId = 'UCONVENEBOT';
  /** Channels with members, for conversations.members. */
  readonly channelMembers = new Map<string, string[]>();
  /** Profiles for users.info, by user id. */
  readonly profiles = new Map<string, { email: string; name: string; deleted?: boolean; isBot?: boolean }>();

  /** A user with a profile (users.info): `email` is shown as given, its case included. */
  addProfile(email: string, profile: { name: string; deleted?: boolean; isBot?: boolean; tz?: string }): string {
    const id = this.addUser(email, profile.tz);
    this.profiles.set(id, { email, ...profile });
    return id;
  }

  /** A channel of these members and the bot. */
  addChannel(members: string[]): string {
    const id = `C${randomBytes(5).toString('hex').toUpperCase()}`;
    this.channelMembers.set(id, [this.botId, ...members]);
    return id;
  }

  addUser(email: string, tz = 'UTC'): string {
    const id = `U${randomBytes(5).toString('hex').toUpperCase()}`;
    this.users.set(email.toLowerCase(), { id, tz });
    return id;
  }

  /**
   * The next `times` calls of `method` (after `after` good ones) fail: a Slack error code, or a 429
   * when retryAfter is set.
   */
  fail(
    method: string,
    fault: { error?: string; retryAfter?: number; extra?: Record<string, string>; after?: number },
    times = 1,
  ): void {
    this.faults.push({ method, ...fault, times });
  }

  release(): void {
    this.hold = null;
    for (const go of this.held.splice(0)) go();
  }

  reset(): void {
    this.posts.length = 0;
    this.responses.length = 0;
    this.calls.length = 0;
    this.faults = [];
  }

  /** How many times each notification was posted. */
  deliveries(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const post of this.posts) {
      const key = post.notificationId ?? '?';
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  }

  private async handle(req: IncomingMessage, res: import('node:http').ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    if ((req.url ?? '').startsWith('/api/response/')) {
      this.responses.push(JSON.parse(raw || '{}') as Record<string, unknown>);
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
      return;
    }
    const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
    const args: Record<string, string> = String(req.headers['content-type']).includes('json')
      ? (JSON.parse(raw || '{}') as Record<string, string>)
      : Object.fromEntries(new URLSearchParams(raw));
    const send = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) => {
      this.calls.push({ method, status });
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (this.hold === method) await new Promise<void>((resolve) => this.held.push(resolve));
    let fault = this.faults.find((f) => f.method === method && f.times > 0);
    if (fault?.after) {
      fault.after--;
      fault = undefined;
    }
    if (fault) {
      fault.times--;
      if (fault.retryAfter !== undefined) {
        return send(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(fault.retryAfter) });
      }
      return send(200, { ok: false, error: fault.error, ...fault.extra });
    }
    const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '') || args.token;
    if (token !== this.token) return send(200, { ok: false, error: 'invalid_auth' });

    if (method === 'users.lookupByEmail') {
      const user = this.users.get(String(args.email).toLowerCase());
      if (!user) return send(200, { ok: false, error: 'users_not_found' });
      return send(200, { ok: true, user: { id: user.id, tz: user.tz } });
    }
    if (method === 'conversations.open') {
      const members = String(args.users ?? '')
        .split(',')
        .filter(Boolean)
        .sort();
      if (!members.length) return send(200, { ok: false, error: 'invalid_users' });
      // Slack's limit: a group DM holds at most 8 people besides the bot.
      if (members.length > 8) return send(200, { ok: false, error: 'too_many_users' });
      const id = `${members.length === 1 ? 'D' : 'G'}${members.join('').slice(0, 20)}`;
      this.conversations.set(id, members);
      return send(200, { ok: true, channel: { id } });
    }
    if (method === 'chat.postMessage') {
      const members = this.conversations.get(String(args.channel));
      if (!members) return send(200, { ok: false, error: 'channel_not_found' });
      const blocks = typeof args.blocks === 'string' ? JSON.parse(args.blocks) : (args.blocks ?? []);
      const metadata = typeof args.metadata === 'string' ? JSON.parse(args.metadata) : args.metadata;
      const ts = `${(Date.now() / 1000).toFixed(6)}`;
      this.posts.push({
        ts,
        channel: String(args.channel),
        members,
        text: String(args.text ?? ''),
        blocks,
        notificationId: metadata?.event_payload?.notification_id ?? null,
      });
      return send(200, { ok: true, channel: args.channel, ts });
    }
    if (method === 'conversations.history') {
      const oldest = Number(args.oldest ?? 0);
      const messages = this.posts
        .filter((p) => p.channel === args.channel && Number(p.ts) >= oldest)
        .map((p) => ({
          type: 'message',
          ts: p.ts,
          text: p.text,
          ...(p.notificationId
            ? { metadata: { event_type: 'convene_notification', event_payload: { notification_id: p.notificationId } } }
            : {}),
        }));
      return send(200, { ok: true, messages, has_more: false });
    }
    if (method === 'auth.test') return send(200, { ok: true, user_id: this.botId, bot_id: 'BCONVENE' });
    if (method === 'conversations.members') {
      const members = this.channelMembers.get(String(args.channel));
      if (!members) return send(200, { ok: false, error: 'channel_not_found' });
      // Slack's cursor is opaque; here it is the offset, base64-encoded.
      const limit = Math.min(1000, Number(args.limit ?? 100));
      const offset = args.cursor ? Number(Buffer.from(String(args.cursor), 'base64').toString()) : 0;
      const page = members.slice(offset, offset + limit);
      const next = offset + limit < members.length ? Buffer.from(String(offset + limit)).toString('base64') : '';
      return send(200, { ok: true, members: page, response_metadata: { next_cursor: next } });
    }
    if (method === 'users.info') {
      const id = String(args.user);
      if (id === this.botId) return send(200, { ok: true, user: { id, name: 'convene', is_bot: true, profile: {} } });
      const profile = this.profiles.get(id);
      if (!profile) return send(200, { ok: false, error: 'user_not_found' });
      return send(200, {
        ok: true,
        user: {
          id,
          name: profile.email.split('@')[0],
          real_name: profile.name,
          deleted: profile.deleted ?? false,
          is_bot: profile.isBot ?? false,
          tz: [...this.users.values()].find((u) => u.id === id)?.tz,
          profile: { email: profile.email, real_name: profile.name },
        },
      });
    }
    return send(200, { ok: false, error: 'unknown_method' });
  }
}
