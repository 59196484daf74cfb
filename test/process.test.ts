import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { enginesUnderTest } from './helpers/databases.js';
import { runCliProcess, spawnConvene } from './helpers/process.js';

/** A cookie jar, kept across a server restart as a browser keeps it. */
class Browser {
  private readonly jar = new Map<string, string>();
  constructor(public base: string) {}

  cookieHeader(): string {
    return [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async fetch(path: string, init: { method?: string; body?: unknown } = {}): Promise<Response> {
    const headers: Record<string, string> = { cookie: this.cookieHeader() };
    const csrf = this.jar.get('convene_csrf');
    if (csrf) headers['x-csrf-token'] = csrf;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(this.base + path, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const at = pair.indexOf('=');
      this.jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return response;
  }
}

for (const engine of enginesUnderTest()) {
  describe(`the convene process [${engine.engine}]`, () => {
    const cleanups: Array<() => Promise<unknown>> = [];
    after(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup();
    });

    test('first run prints the admin password once; a kill -9 and restart keeps everyone signed in', async () => {
      const database = await engine.create();
      cleanups.push(() => database.drop());
      const env = { DATABASE_URL: database.url };

      const first = await spawnConvene(env);
      cleanups.push(async () => first.child.kill('SIGKILL'));
      const password = /Password: (\S+)/.exec(first.output())?.[1];
      assert.ok(password, `the first run prints the admin password:\n${first.output()}`);
      // The test processes hash passwords cheaply (test/helpers/process.ts): the server says so.
      assert.match(first.output(), /auth\.passwordHashCost is 10, below the default of 15/);

      const browser = new Browser(first.url);
      await browser.fetch('/api/v1/auth/options');
      const signin = await browser.fetch('/api/v1/auth/signin', { method: 'POST', body: { email: 'admin', password } });
      assert.equal(signin.status, 200);

      first.child.kill('SIGKILL'); // no chance to flush anything: the session must already be stored
      await first.exited;

      const second = await spawnConvene(env);
      cleanups.push(async () => second.child.kill('SIGKILL'));
      assert.doesNotMatch(second.output(), /Password:/, 'the password is printed on the first run only');
      browser.base = second.url;
      const me = await browser.fetch('/api/v1/me');
      assert.equal(me.status, 200, 'still signed in after the restart');
      assert.equal(((await me.json()) as { person: { username: string } }).person.username, 'admin');
      const rename = await browser.fetch('/api/v1/me', { method: 'PATCH', body: { name: 'Admin After Restart' } });
      assert.equal(rename.status, 200, 'the CSRF cookie survives too');

      const health = await fetch(`${second.url}/readyz`);
      assert.deepEqual(await health.json(), { status: 'ready', database: engine.engine });

      second.child.kill('SIGTERM');
      assert.equal(await second.exited, 0, 'SIGTERM shuts down cleanly');

      const reset = await runCliProcess(['admin', 'reset-password'], env);
      assert.equal(reset.code, 0);
      const newPassword = /New password for admin: (\S+)/.exec(reset.output)?.[1];
      assert.ok(newPassword);
      assert.notEqual(newPassword, password);
    });
  });
}

test('a bad configuration value stops start-up with the key named and exit code 2', async () => {
  const result = await runCliProcess(['serve'], { PORT: 'not-a-port', DATABASE_URL: 'sqlite::memory:' });
  assert.equal(result.code, 2);
  assert.match(result.output, /port \(PORT\)/);
});

test('--help lists the commands', async () => {
  const result = await runCliProcess(['--help'], {});
  assert.equal(result.code, 0);
  for (const command of ['serve', 'migrate', 'admin']) assert.match(result.output, new RegExp(`\\b${command}\\b`));
});
