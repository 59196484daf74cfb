import type { FastifyInstance, InjectOptions } from 'fastify';
import { openContext } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { ensureAdmin } from '../../src/features/auth/service.js';
import type { AppContext } from '../../src/http/context.js';
import { buildServer } from '../../src/server.js';
import type { TestDatabase } from './databases.js';

export const ADMIN_PASSWORD = 'admin-test-password-31';
/**
 * Password hashes in tests cost 2^10 rather than 2^15: each sign-up and sign-in would otherwise spend
 * ~0.2 s of CPU in scrypt. test/config.test.ts proves what a fresh config uses.
 */
export const TEST_PASSWORD_HASH_COST = '10';

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  config: Config;
  close(): Promise<void>;
}

export async function startTestApp(database: TestDatabase, overrides: Record<string, unknown> = {}): Promise<TestApp> {
  const config = loadConfig({
    env: { DATABASE_URL: database.url, LOG_LEVEL: 'silent', CONVENE_PASSWORD_HASH_COST: TEST_PASSWORD_HASH_COST },
    cwd: '/nonexistent-convene-config-dir',
    overrides,
  });
  const ctx = await openContext(config);
  await ensureAdmin({ db: ctx.database.db, password: ADMIN_PASSWORD, defaultTimezone: 'UTC' });
  const app = await buildServer(ctx, { logger: false });
  await app.ready();
  return {
    app,
    ctx,
    config,
    async close() {
      await app.close();
      await ctx.database.close();
    },
  };
}

export interface Response<T = unknown> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | number | undefined>;
}

/** A browser-like client: keeps cookies and echoes the CSRF cookie in its header, as the web app does. */
export class Client {
  readonly cookies = new Map<string, string>();
  sendCsrf = true;
  remoteAddress = '127.0.0.1';
  headers: Record<string, string> = {};

  constructor(private readonly app: FastifyInstance) {}

  async request<T = any>(
    method: InjectOptions['method'],
    url: string,
    payload?: unknown,
    extra: Partial<InjectOptions> = {},
  ): Promise<Response<T>> {
    const headers: Record<string, string> = {
      ...this.headers,
      ...(extra.headers as Record<string, string> | undefined),
    };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const csrf = this.cookies.get('convene_csrf');
    if (this.sendCsrf && csrf && !('x-csrf-token' in headers)) headers['x-csrf-token'] = csrf;
    const response = await this.app.inject({
      method,
      url,
      remoteAddress: this.remoteAddress,
      ...(payload !== undefined && { payload: payload as InjectOptions['payload'] }),
      ...extra,
      headers,
    });
    for (const cookie of response.cookies as Array<{ name: string; value: string; expires?: Date; maxAge?: number }>) {
      const expired =
        (cookie.expires && cookie.expires.getTime() <= Date.now()) || cookie.maxAge === 0 || cookie.value === '';
      if (expired) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    let body: unknown = response.body;
    if (String(response.headers['content-type'] ?? '').includes('application/json') && response.body)
      body = response.json();
    return { status: response.statusCode, body: body as T, headers: response.headers };
  }

  get = <T = any>(url: string) => this.request<T>('GET', url);
  post = <T = any>(url: string, payload?: unknown) => this.request<T>('POST', url, payload);
  patch = <T = any>(url: string, payload?: unknown) => this.request<T>('PATCH', url, payload);
  put = <T = any>(url: string, payload?: unknown) => this.request<T>('PUT', url, payload);

  /** Any first GET hands out the CSRF cookie, as loading the web app does. */
  async prime(): Promise<this> {
    await this.get('/api/v1/auth/options');
    return this;
  }

  async signUp(email: string, name = 'Test Person', password = 'correct horse battery 9') {
    await this.prime();
    return this.post('/api/v1/auth/signup', { email, name, password });
  }

  async signIn(login: string, password: string) {
    await this.prime();
    return this.post('/api/v1/auth/signin', { email: login, password });
  }
}

export async function adminClient(app: FastifyInstance): Promise<Client> {
  const client = new Client(app);
  const response = await client.signIn('admin', ADMIN_PASSWORD);
  if (response.status !== 200) throw new Error(`admin sign-in failed: ${JSON.stringify(response.body)}`);
  return client;
}
