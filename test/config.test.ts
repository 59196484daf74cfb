import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig, unknownEnvSettings } from '../src/config.js';
import { configurePasswordHashing, hashPassword, verifyPassword } from '../src/features/auth/password.js';

const emptyDir = () => mkdtempSync(join(tmpdir(), 'convene-config-'));

test('defaults: port 3000 on an embedded SQLite file', () => {
  const config = loadConfig({ env: {}, cwd: emptyDir() });
  assert.equal(config.port, 3000);
  assert.equal(config.databaseUrl, 'sqlite:./data/convene.db');
  assert.equal(config.jobs.enabled, true);
  assert.deepEqual(config.auth.trustedProxies, []);
});

test('the environment overrides the file; YAML and JSON files are read', () => {
  const dir = emptyDir();
  writeFileSync(
    join(dir, 'convene.config.yaml'),
    'port: 4100\nauth:\n  header: X-Username\n  trustedProxies: [10.0.0.0/8]\n',
  );
  const fromFile = loadConfig({ env: {}, cwd: dir });
  assert.equal(fromFile.port, 4100);
  assert.equal(fromFile.auth.header, 'X-Username');
  const fromEnv = loadConfig({ env: { PORT: '4200', CONVENE_AUTH_TRUSTED_PROXIES: '127.0.0.1, ::1' }, cwd: dir });
  assert.equal(fromEnv.port, 4200);
  assert.deepEqual(fromEnv.auth.trustedProxies, ['127.0.0.1', '::1']);
  const jsonDir = emptyDir();
  writeFileSync(join(jsonDir, 'convene.config.json'), JSON.stringify({ databaseUrl: 'postgres://u@h/db' }));
  assert.equal(loadConfig({ env: {}, cwd: jsonDir }).databaseUrl, 'postgres://u@h/db');
});

test('a bad value stops start-up with a message naming the key', () => {
  const cases: Array<[Record<string, string>, string | null, RegExp]> = [
    [{ PORT: 'eighty' }, null, /port \(PORT\)/],
    [{ DATABASE_URL: 'mysql://x' }, null, /databaseUrl \(DATABASE_URL\): must start with sqlite: or postgres/],
    [{ CONVENE_AUTH_TRUSTED_PROXIES: '10.0.0.0/8,not-an-ip' }, null, /auth\.trustedProxies\[1\]/],
    [{ CONVENE_JOBS: 'maybe' }, null, /jobs\.enabled/],
    [{}, '{"auth": {"sessionDays": 0}}', /auth\.sessionDays/],
    [{}, '{"colour": "blue"}', /colour|Unrecognized key/],
    [{}, '{not json', /not valid/],
    [{ CONVENE_DEFAULT_TIMEZONE: 'Moon/Base' }, null, /defaultTimezone/],
    [{ CONVENE_PASSWORD_HASH_COST: '9' }, null, /auth\.passwordHashCost \(CONVENE_PASSWORD_HASH_COST\)/],
    [{ CONVENE_PASSWORD_HASH_COST: 'cheap' }, null, /auth\.passwordHashCost/],
    [{ CONVENE_INTRA42_WEBHOOKS: 'scale_team.crate:s1' }, null, /intra42\.webhooks .*"scale_team\.crate" is not/],
    [{ CONVENE_INTRA42_WEBHOOKS: 'scale_team.create:s1,scale_teams.update:s2' }, null, /"scale_teams\.update"/],
    [{ CONVENE_INTRA42_WEBHOOKS: 'scale_team.create:a,b' }, null, /"b" is not model\.event:secret/],
  ];
  for (const [env, file, pattern] of cases) {
    const dir = emptyDir();
    if (file) writeFileSync(join(dir, 'convene.config.json'), file);
    assert.throws(
      () => loadConfig({ env, cwd: dir }),
      (error: unknown) => error instanceof ConfigError && pattern.test(error.message),
      `${JSON.stringify(env)} ${file}`,
    );
  }
});

test('password hashes cost 2^15 unless configured, and a hash keeps verifying after the cost changes', async () => {
  // The tests hash at a lower cost (helpers/server.ts): this is what a real deployment gets.
  const fresh = loadConfig({ env: {}, cwd: emptyDir() });
  assert.equal(fresh.auth.passwordHashCost, 15);
  assert.equal(loadConfig({ env: { CONVENE_PASSWORD_HASH_COST: '12' }, cwd: emptyDir() }).auth.passwordHashCost, 12);

  configurePasswordHashing(fresh.auth.passwordHashCost);
  const strong = await hashPassword('correct horse battery 9');
  assert.equal(strong.split('$')[1], String(2 ** 15), 'the hash records N = 2^15');

  configurePasswordHashing(10);
  const cheap = await hashPassword('correct horse battery 9');
  assert.equal(cheap.split('$')[1], String(2 ** 10));
  assert.equal(await verifyPassword('correct horse battery 9', strong), true, 'made at 2^15, verified at 2^10');
  assert.equal(await verifyPassword('correct horse battery 8', strong), false);

  configurePasswordHashing(15);
  assert.equal(await verifyPassword('correct horse battery 9', cheap), true, 'made at 2^10, verified at 2^15');
});

test('a CONVENE_ variable that sets nothing is named with the setting it probably meant; test and bench variables are not', () => {
  assert.deepEqual(
    unknownEnvSettings({
      CONVENE_PORT: '3000',
      CONVENE_SMTP_URLL: 'smtp://x',
      CONVENE_SMTP_URL: 'smtp://x',
      CONVENE_CONFIG: 'a.json',
      CONVENE_TEST_POSTGRES_URL: 'postgres://x',
      CONVENE_BENCH_SENDERS: '32',
      PORT: '3000',
      HOME: '/root',
    }).map((line) => line.split(' is not a setting')[0] + (line.includes('did you mean PORT?') ? ' → PORT' : '')),
    ['CONVENE_PORT → PORT', 'CONVENE_SMTP_URLL'],
  );
  assert.deepEqual(unknownEnvSettings({ CONVENE_PUBLIC_URL: 'https://x', DATABASE_URL: 'sqlite://x' }), []);
});
