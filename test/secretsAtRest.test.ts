import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { openContext } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { Db } from '../src/db/database.js';
import { checkFeedbackToken, feedbackToken } from '../src/features/meetings/feedback.js';
import { loadChannels, resealChannelSecrets, saveChannel } from '../src/features/notifications/channels.js';
import { ensureSettings, resealSigningKey, signingKey } from '../src/features/settings/service.js';
import { configureSecrets, parseSecretsKey } from '../src/lib/secretBox.js';
import { enginesUnderTest } from './helpers/databases.js';
import { runCli } from './helpers/process.js';

const TOKEN = 'xoxb-secret-slack-token-123456';
const WEBHOOK = 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTIzNDU2';
const key1 = randomBytes(32).toString('base64');
const key2 = randomBytes(32).toString('hex');

const raw = async (db: Db, channel: 'slack' | 'webhook') =>
  (await db.selectFrom('channel_settings').select('secrets').where('channel', '=', channel).executeTakeFirstOrThrow())
    .secrets;
const storedSigningKey = async (db: Db) =>
  JSON.parse(
    (await db.selectFrom('settings').select('value').where('key', '=', 'signingKey').executeTakeFirstOrThrow()).value,
  ) as string;
const tokenOf = async (db: Db) => (await loadChannels(db)).find((c) => c.channel === 'slack')?.secrets.token;

test('a bad key stops start-up naming the variable', () => {
  for (const bad of ['too-short', randomBytes(16).toString('base64'), 'z'.repeat(64)]) {
    assert.throws(
      () => loadConfig({ env: { CONVENE_SECRETS_KEY: bad }, cwd: '/nonexistent' }) && parseSecretsKey(bad),
      /CONVENE_SECRETS_KEY\): must be 32 random bytes in base64 or hex/,
    );
  }
  assert.doesNotThrow(() => parseSecretsKey(key1));
  assert.doesNotThrow(() => parseSecretsKey(key2));
});

for (const engine of enginesUnderTest()) {
  describe(`secrets at rest [${engine.engine}]`, () => {
    const cleanups: Array<() => Promise<unknown>> = [];
    after(async () => {
      configureSecrets({});
      for (const cleanup of cleanups.reverse()) await cleanup();
    });

    test('existing plain credentials stay readable; a key seals them; rotation moves them to a new key', async () => {
      const database = await engine.create({ migrated: true });
      cleanups.push(() => database.drop());
      const ctx = await openContext(loadConfig({ env: { DATABASE_URL: database.url }, cwd: '/nonexistent' }));
      cleanups.push(() => ctx.database.close());
      const { db } = ctx.database;

      // An install from before: no key, stored as plain JSON.
      configureSecrets({});
      await saveChannel(db, {
        channel: 'slack',
        enabled: true,
        settings: {},
        secrets: { token: TOKEN },
        source: 'admin',
      });
      await saveChannel(db, {
        channel: 'webhook',
        enabled: true,
        settings: { url: 'https://hooks.example.org' },
        secrets: { secret: WEBHOOK },
        source: 'admin',
      });
      assert.match(await raw(db, 'slack'), new RegExp(TOKEN));

      // A key is set: the old rows still read, and the next save (or rotate) seals them.
      configureSecrets({ key: key1 });
      assert.equal(await tokenOf(db), TOKEN, 'readable with a key set');
      assert.deepEqual(await resealChannelSecrets(db), { resealed: 2 });
      const sealed = await raw(db, 'slack');
      assert.match(sealed, /^enc:v1:[0-9a-f]{8}:/);
      assert.ok(!sealed.includes(TOKEN) && !(await raw(db, 'webhook')).includes(WEBHOOK), 'no secret in the row');
      assert.equal(await tokenOf(db), TOKEN);

      // A sealed value copied to another channel's row does not open there.
      await db.updateTable('channel_settings').set({ secrets: sealed }).where('channel', '=', 'webhook').execute();
      await assert.rejects(loadChannels(db), /webhook credentials do not decrypt/);
      await saveChannel(db, {
        channel: 'webhook',
        enabled: true,
        settings: { url: 'https://hooks.example.org' },
        secrets: { secret: WEBHOOK },
        source: 'admin',
      });

      // Without the key: a clear message naming the key, never the value.
      configureSecrets({});
      await assert.rejects(loadChannels(db), (error: Error) => {
        assert.match(error.message, /encrypted with key [0-9a-f]{8}, which is not configured: set CONVENE_SECRETS_KEY/);
        assert.ok(!error.message.includes(TOKEN));
        return true;
      });

      // Rotation: the new key, the old one listed as previous.
      configureSecrets({ key: key2, previousKeys: [key1] });
      assert.equal(await tokenOf(db), TOKEN, 'the previous key still opens');
      await resealChannelSecrets(db);
      configureSecrets({ key: key2 });
      assert.equal(await tokenOf(db), TOKEN, 'the new key alone opens everything after rotation');
      configureSecrets({ key: key1 });
      await assert.rejects(loadChannels(db), /not configured/);

      // A damaged value is refused, not misread.
      configureSecrets({ key: key2 });
      const stored = await raw(db, 'slack');
      // One character changed (to another one: replacing an 'A' by 'A' would damage nothing).
      const damaged = `${stored.slice(0, -2)}${stored.at(-2) === 'A' ? 'B' : 'A'}${stored.slice(-1)}`;
      assert.notEqual(damaged, stored);
      await db.updateTable('channel_settings').set({ secrets: damaged }).where('channel', '=', 'slack').execute();
      await assert.rejects(loadChannels(db), /changed or damaged/);
      configureSecrets({});
    });

    test('the link signing key: sealed at the next start once a key is set, links signed before still open, rotated', async () => {
      const database = await engine.create({ migrated: true });
      cleanups.push(() => database.drop());
      // An install from before: started without a key, so the signing key is stored as it is.
      configureSecrets({});
      const ctx = await openContext(loadConfig({ env: { DATABASE_URL: database.url }, cwd: '/nonexistent' }));
      cleanups.push(() => ctx.database.close());
      const { db } = ctx.database;
      const plain = await storedSigningKey(db);
      assert.match(plain, /^[A-Za-z0-9_-]{43}$/, 'plain before any key');
      const link = feedbackToken(await signingKey(db), 'meeting-1', 'person-1');

      // The next start with a key seals it; a follow-up link sent before still opens.
      configureSecrets({ key: key1 });
      await ensureSettings(db);
      const sealed = await storedSigningKey(db);
      assert.match(sealed, /^enc:v1:[0-9a-f]{8}:/);
      assert.ok(!sealed.includes(plain), 'the key is not in the row');
      assert.ok(checkFeedbackToken(await signingKey(db), 'meeting-1', 'person-1', link));
      await ensureSettings(db);
      assert.equal(await storedSigningKey(db), sealed, 'sealed once, not again at every start');

      // Without the key: a clear message naming the key, never the value.
      configureSecrets({});
      await assert.rejects(signingKey(db), (error: Error) => {
        assert.match(error.message, /link signing key .*encrypted with key [0-9a-f]{8}, which is not configured/);
        assert.ok(!error.message.includes(plain));
        return true;
      });

      // Rotation: the new key, the old one listed as previous; afterwards the new key alone opens it.
      configureSecrets({ key: key2, previousKeys: [key1] });
      assert.equal(await resealSigningKey(db, { underPreviousKeys: true }), true);
      configureSecrets({ key: key2 });
      assert.ok(checkFeedbackToken(await signingKey(db), 'meeting-1', 'person-1', link), 'the same key after rotation');
      configureSecrets({ key: key1 });
      await assert.rejects(signingKey(db), /not configured/);

      // A fresh install with a key never stores it in plain text.
      configureSecrets({ key: key2 });
      await db.deleteFrom('settings').where('key', '=', 'signingKey').execute();
      const fresh = await signingKey(db);
      assert.match(await storedSigningKey(db), /^enc:v1:/);
      assert.deepEqual(await signingKey(db), fresh);
      configureSecrets({});
    });

    if (engine.engine === 'sqlite') {
      test('convene secrets rotate seals what the config wrote; without a key it says what to do', async () => {
        const database = await engine.create({ migrated: true });
        cleanups.push(() => database.drop());
        const env = { DATABASE_URL: database.url, CONVENE_SLACK_TOKEN: TOKEN };
        const none = await runCli(['secrets', 'rotate'], env);
        assert.equal(none.code, 1, none.output);
        assert.match(none.output, /Set CONVENE_SECRETS_KEY first/);
        const rotated = await runCli(['secrets', 'rotate'], { ...env, CONVENE_SECRETS_KEY: key1 });
        assert.equal(rotated.code, 0, rotated.output);
        assert.match(
          rotated.output,
          /Encrypted the credentials of 1 channel\(s\) and the link signing key with key [0-9a-f]{8}/,
        );
        configureSecrets({ key: key1 });
        const ctx = await openContext(
          loadConfig({ env: { DATABASE_URL: database.url, CONVENE_SECRETS_KEY: key1 }, cwd: '/nonexistent' }),
        );
        cleanups.push(() => ctx.database.close());
        assert.match(await raw(ctx.database.db, 'slack'), /^enc:v1:/);
        assert.match(await storedSigningKey(ctx.database.db), /^enc:v1:/, 'the signing key too');
        assert.equal(await tokenOf(ctx.database.db), TOKEN);
      });
    }
  });
}
