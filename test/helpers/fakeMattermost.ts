import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface FakeMattermostUser {
  id: string;
  username: string;
  email: string;
  first_name: string;
  last_name: string;
  nickname: string;
  delete_at: number;
  is_bot: boolean;
}

export interface FakeMattermostPost {
  id: string;
  channel_id: string;
  message: string;
  props: Record<string, unknown>;
  create_at: number;
}

type Fault = { route: string; status: number; headers: Record<string, string>; times: number };

const newMmId = () => randomBytes(13).toString('hex').slice(0, 26);

/**
 * A local HTTP server speaking the parts of Mattermost's REST API v4 Convene uses: users by e-mail,
 * id and ids, direct and group channels, posts, channel members with real paging (per_page capped
 * at 200, as the server does) — with its errors on demand: 401 for a wrong token, 404 for unknown
 * users and channels, 429 with rate-limit headers, 500.
 */
export class FakeMattermost {
  readonly token = randomBytes(13).toString('hex');
  readonly bot: FakeMattermostUser;
  readonly users = new Map<string, FakeMattermostUser>();
  readonly channels = new Map<string, { type: 'D' | 'G' | 'O'; members: string[] }>();
  readonly posts: FakeMattermostPost[] = [];
  readonly calls: Array<{ method: string; path: string; status: number }> = [];
  private faults: Fault[] = [];
  private server: Server = createServer((req, res) => void this.handle(req, res));
  url = '';

  constructor() {
    this.bot = this.makeUser('convene-bot@bots.example.org', { username: 'convene', isBot: true });
  }

  async start(): Promise<this> {
    // Node drops a keep-alive connection after 5 idle seconds; a client whose event loop was busy
    // then writes into a closing socket and its send fails. The service this stands for keeps
    // connections far longer, and a test about sending must not fail on that race.
    this.server.keepAliveTimeout = 600_000;
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    this.url = `http://127.0.0.1:${address.port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private makeUser(
    email: string,
    options: { username?: string; first?: string; last?: string; isBot?: boolean; deleted?: boolean } = {},
  ): FakeMattermostUser {
    const user: FakeMattermostUser = {
      id: newMmId(),
      username:
        options.username ??
        email
          .split('@')[0]
          ?.toLowerCase()
          .replace(/[^a-z0-9._-]/g, '') ??
        'user',
      email,
      first_name: options.first ?? '',
      last_name: options.last ?? '',
      nickname: '',
      delete_at: options.deleted ? Date.now() : 0,
      is_bot: options.isBot ?? false,
    };
    this.users.set(user.id, user);
    return user;
  }

  addUser(
    email: string,
    options: { username?: string; first?: string; last?: string; isBot?: boolean; deleted?: boolean } = {},
  ): string {
    return this.makeUser(email, options).id;
  }

  /** A public channel with these members (the bot is added, as it must be to read the channel). */
  addChannel(members: string[]): string {
    const id = newMmId();
    this.channels.set(id, { type: 'O', members: [this.bot.id, ...members] });
    return id;
  }

  /** The next `times` calls whose "METHOD /path" starts with `route` answer `status`. */
  fail(route: string, status: number, headers: Record<string, string> = {}, times = 1): void {
    this.faults.push({ route, status, headers, times });
  }

  reset(): void {
    this.posts.length = 0;
    this.calls.length = 0;
    this.faults = [];
  }

  deliveries(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const post of this.posts) {
      const key = String(post.props.convene_notification_id ?? '?');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname.replace(/^\/api\/v4/, '');
    const method = req.method ?? 'GET';
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      this.calls.push({ method, path, status });
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const error = (status: number, id: string, message: string, headers: Record<string, string> = {}) =>
      send(status, { id, message, detailed_error: '', request_id: newMmId(), status_code: status }, headers);

    if (!url.pathname.startsWith('/api/v4/')) return error(404, 'api.context.404.app_error', 'Not found');
    const fault = this.faults.find((f) => f.times > 0 && `${method} ${path}`.startsWith(f.route));
    if (fault) {
      fault.times--;
      return error(fault.status, 'fake.fault', `Fault ${fault.status}`, fault.headers);
    }
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      return error(401, 'api.context.session_expired.app_error', 'Invalid or expired session, please login again.');
    }
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      return error(400, 'api.context.invalid_body_param.app_error', 'Invalid JSON body');
    }

    const byEmail = /^\/users\/email\/([^/]+)$/.exec(path);
    const byId = /^\/users\/([a-z0-9]+)$/.exec(path);
    const postsOf = /^\/channels\/([a-z0-9]+)\/posts$/.exec(path);
    const membersOf = /^\/channels\/([a-z0-9]+)\/members$/.exec(path);
    if (method === 'GET' && path === '/users/me') return send(200, this.bot);
    if (method === 'GET' && byEmail) {
      const email = decodeURIComponent(byEmail[1] as string).toLowerCase();
      const user = [...this.users.values()].find((u) => u.email.toLowerCase() === email);
      return user ? send(200, user) : error(404, 'app.user.missing_account.const', 'Unable to find the user.');
    }
    if (method === 'POST' && path === '/users/ids') {
      if (!Array.isArray(body)) return error(400, 'api.context.invalid_body_param.app_error', 'Invalid user ids');
      return send(200, (body as string[]).map((id) => this.users.get(id)).filter(Boolean));
    }
    if (method === 'GET' && byId) {
      const user = this.users.get(byId[1] as string);
      return user ? send(200, user) : error(404, 'app.user.missing_account.const', 'Unable to find the user.');
    }
    if (method === 'POST' && (path === '/channels/direct' || path === '/channels/group')) {
      const ids = Array.isArray(body) ? [...new Set(body as string[])] : [];
      const direct = path === '/channels/direct';
      if (direct ? ids.length !== 2 : ids.length < 3 || ids.length > 8) {
        return error(400, 'api.context.invalid_body_param.app_error', 'Invalid user_ids');
      }
      if (ids.some((id) => !this.users.has(id)))
        return error(400, 'api.channel.create_group.bad_user.app_error', 'Bad user');
      if (direct && !ids.includes(this.bot.id)) return error(403, 'api.context.permissions.app_error', 'No permission');
      const id = `${direct ? 'd' : 'g'}${ids.sort().join('').slice(0, 25)}`;
      this.channels.set(id, { type: direct ? 'D' : 'G', members: ids });
      return send(201, { id, type: direct ? 'D' : 'G' });
    }
    if (method === 'POST' && path === '/posts') {
      const post = body as { channel_id?: string; message?: string; props?: Record<string, unknown> };
      const channel = this.channels.get(String(post?.channel_id));
      if (!channel || !channel.members.includes(this.bot.id)) {
        return error(403, 'api.context.permissions.app_error', 'You do not have the appropriate permissions.');
      }
      if (!post.message) return error(400, 'api.post.create_post.message.app_error', 'Message is empty');
      const created: FakeMattermostPost = {
        id: newMmId(),
        channel_id: String(post.channel_id),
        message: post.message,
        props: post.props ?? {},
        create_at: Date.now(),
      };
      this.posts.push(created);
      return send(201, created);
    }
    if (method === 'GET' && postsOf) {
      if (!this.channels.has(postsOf[1] as string))
        return error(404, 'app.channel.get.existing.app_error', 'No channel');
      const since = Number(url.searchParams.get('since') ?? 0);
      const found = this.posts.filter((p) => p.channel_id === postsOf[1] && p.create_at >= since);
      return send(200, { order: found.map((p) => p.id), posts: Object.fromEntries(found.map((p) => [p.id, p])) });
    }
    if (method === 'GET' && membersOf) {
      const channel = this.channels.get(membersOf[1] as string);
      if (!channel) return error(404, 'app.channel.get.existing.app_error', 'No channel');
      const page = Number(url.searchParams.get('page') ?? 0);
      const perPage = Math.min(200, Number(url.searchParams.get('per_page') ?? 60));
      const slice = channel.members.slice(page * perPage, (page + 1) * perPage);
      return send(
        200,
        slice.map((user_id) => ({ channel_id: membersOf[1], user_id, roles: 'channel_user' })),
      );
    }
    return error(404, 'api.context.404.app_error', `No fake route for ${method} ${path}`);
  }
}
