import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { enginesUnderTest } from './helpers/databases.js';
import { spawnConvene } from './helpers/process.js';

const cleanups: Array<() => Promise<unknown>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

test('logs are JSON and never hold a password, session token or CSRF token, even at trace level', async () => {
  const database = await enginesUnderTest()[0]!.create();
  cleanups.push(() => database.drop());
  const password = 'log-test-admin-password-7';
  const convene = await spawnConvene({
    DATABASE_URL: database.url,
    LOG_LEVEL: 'trace',
    CONVENE_ADMIN_PASSWORD: password,
  });
  cleanups.push(async () => convene.child.kill('SIGKILL'));

  const options = await fetch(`${convene.url}/api/v1/auth/options`);
  const csrf = /convene_csrf=([^;]+)/.exec(options.headers.getSetCookie().join(';'))?.[1];
  assert.ok(csrf);
  const signin = await fetch(`${convene.url}/api/v1/auth/signin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: `convene_csrf=${csrf}`, 'x-csrf-token': csrf },
    body: JSON.stringify({ email: 'admin', password }),
  });
  assert.equal(signin.status, 200);
  const session = /convene_session=([^;]+)/.exec(signin.headers.getSetCookie().join(';'))?.[1];
  assert.ok(session);
  const me = await fetch(`${convene.url}/api/v1/me`, {
    headers: { cookie: `convene_session=${session}; convene_csrf=${csrf}` },
  });
  assert.equal(me.status, 200);
  const broken = await fetch(`${convene.url}/api/v1/auth/signin`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      cookie: `convene_session=${session}; convene_csrf=${csrf}`,
      'x-csrf-token': csrf,
    },
    body: '{"email": "admin", "password": ',
  });
  assert.equal(broken.status, 400);

  convene.child.kill('SIGTERM');
  assert.equal(await convene.exited, 0);
  const output = convene.output();
  const jsonLines = output.split('\n').filter((line) => line.startsWith('{'));
  assert.ok(jsonLines.length >= 3, 'request logs were written');
  for (const line of jsonLines) JSON.parse(line);
  for (const secret of [password, session, csrf])
    assert.equal(output.includes(secret), false, `a secret leaked into the log:\n${output}`);
});

test('security headers on pages and API answers', async () => {
  const database = await enginesUnderTest()[0]!.create();
  cleanups.push(() => database.drop());
  const convene = await spawnConvene({ DATABASE_URL: database.url });
  cleanups.push(async () => convene.child.kill('SIGKILL'));
  // A page gets the document policy: its scripts, styles and images from this origin only.
  const page = await fetch(`${convene.url}/`);
  assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'/);
  // Data is never a page: it may load nothing at all. The public feed is data too.
  const data = [
    await fetch(`${convene.url}/api/v1/me`),
    await fetch(`${convene.url}/public/talks/events/none/proposals`),
  ];
  for (const response of data)
    assert.equal(response.headers.get('content-security-policy'), "default-src 'none'; frame-ancestors 'none'");
  for (const response of [page, ...data]) {
    assert.match(response.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/, response.url);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff', response.url);
  }
  assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
  const health = await fetch(`${convene.url}/healthz`);
  assert.deepEqual(await health.json(), { status: 'ok' });
});
