import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';

/**
 * A local HTTP server speaking the parts of the 42 API Convene uses: POST /oauth/token (client
 * credentials), GET /v2/teams/:id and GET /v2/users/:login with a bearer token — and 429 with
 * Retry-After on demand.
 */
export class FakeIntra42 {
  readonly appId = `app-${randomBytes(4).toString('hex')}`;
  readonly appSecret = randomBytes(12).toString('hex');
  readonly teams = new Map<number, string[]>();
  readonly emails = new Map<string, string>();
  readonly calls: Array<{ path: string; status: number; at: number }> = [];
  tokensIssued = 0;
  /** The next N API calls (not token requests) answer 429 with this Retry-After. */
  rateLimit: { times: number; retryAfter: number } | null = null;
  /** The next N API calls (not token requests) answer 500: the API is down. */
  serverErrors = 0;
  private readonly tokens = new Set<string>();
  private server: Server = createServer((req, res) => void this.handle(req, res));
  url = '';

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (!address || typeof address === 'string') throw new Error('no address');
    this.url = `http://127.0.0.1:${address.port}/`;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: import('node:http').ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = (req.url ?? '').split('?')[0] ?? '';
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      this.calls.push({ path, status, at: Date.now() });
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'POST' && path === '/oauth/token') {
      const form = new URLSearchParams(Buffer.concat(chunks).toString());
      if (
        form.get('grant_type') !== 'client_credentials' ||
        form.get('client_id') !== this.appId ||
        form.get('client_secret') !== this.appSecret
      ) {
        return answer(401, { error: 'invalid_client' });
      }
      const token = randomBytes(16).toString('hex');
      this.tokens.add(token);
      this.tokensIssued++;
      return answer(200, { access_token: token, token_type: 'bearer', expires_in: 7200 });
    }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!bearer || !this.tokens.has(bearer)) return answer(401, { error: 'Not authorized' });
    if (this.rateLimit && this.rateLimit.times > 0) {
      this.rateLimit.times--;
      return answer(429, { error: 'rate limited' }, { 'retry-after': String(this.rateLimit.retryAfter) });
    }
    if (this.serverErrors > 0) {
      this.serverErrors--;
      return answer(500, { error: 'Internal Server Error' });
    }
    const team = /^\/v2\/teams\/(\d+)$/.exec(path);
    if (team) {
      const logins = this.teams.get(Number(team[1]));
      if (!logins) return answer(404, {});
      return answer(200, { id: Number(team[1]), users: logins.map((login) => ({ login, id: 1 })) });
    }
    const user = /^\/v2\/users\/([^/]+)$/.exec(path);
    if (user) {
      const login = decodeURIComponent(user[1] ?? '');
      return answer(200, { login, email: this.emails.get(login) ?? null });
    }
    return answer(404, {});
  }
}
