import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { inspect } from 'node:util';
import pino from 'pino';
import { Webhook } from 'standardwebhooks';
import { ConfigError, loadConfig } from '../src/config.js';
import type { NotificationChannel } from '../src/db/schema.js';
import { createMeeting } from '../src/features/meetings/service.js';
import { saveChannel } from '../src/features/notifications/channels.js';
import { buildSenders } from '../src/features/notifications/senders.js';
import { smtpMailer } from '../src/integrations/email.js';
import { outboxJob } from '../src/jobs/outbox.js';
import { FakeSlack } from './helpers/fakeSlack.js';
import { hookReceiver } from './helpers/hookReceiver.js';
import { deliverOutbox, notificationRows, personOnSlack, startForFile, testOutboxOptions } from './helpers/outbox.js';
import { adminClient, type Client } from './helpers/server.js';
import { forEachEngine } from './helpers/suite.js';

const PASSWORD = 'SuperSecretPw123';
const BAD_SMTP = `smtp://user:${PASSWORD}@127.0.0.1:99999`;
const MM_PASSWORD = 'hunter2hunter2';
const BAD_MATTERMOST = `https://bot:${MM_PASSWORD}@chat.example.org`;
const EMAIL_BROKEN =
  "The e-mail settings are invalid: the SMTP URL's port must be 1–65535. Fix them on Admin → Channels.";

const slack = await startForFile(new FakeSlack());
const webhookSecret = `whsec_${randomBytes(32).toString('base64')}`;
const { url: hookUrl, received } = await hookReceiver((request) => request);

const options = testOutboxOptions({ batchSize: 25, concurrency: 4, maxAttempts: 8 });
const later = (seconds: number) => new Date(Date.now() + seconds * 1000);

/** Everything an error would show in a log line: its words, its stack and every own property. */
const everythingIn = (error: unknown) =>
  `${String(error)} ${inspect(error, { depth: 10, showHidden: true })} ${JSON.stringify(error)}`;

test('config: each channel URL is parsed; a bad one names its key and never repeats the value', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['notifications.email.smtpUrl', BAD_SMTP, /notifications\.email\.smtpUrl.*port must be 1–65535/],
    ['notifications.email.smtpUrl', 'http://mail.example.org', /smtpUrl.*must start with smtp:\/\/ or smtps:\/\//],
    ['notifications.email.smtpUrl', `smtp://user:${PASSWORD}@:25`, /smtpUrl/],
    ['notifications.slack.apiUrl', `https://slack.example.org:70000/api/`, /slack\.apiUrl.*port must be 1–65535/],
    ['notifications.mattermost.url', BAD_MATTERMOST, /mattermost\.url.*must not contain a user name or password/],
    ['notifications.webhook.url', 'https://hooks.example.org:0/x', /webhook\.url.*port must be 1–65535/],
  ];
  for (const [key, value, expected] of cases) {
    assert.throws(
      () =>
        loadConfig({
          env: {},
          cwd: '/nonexistent-convene-config-dir',
          overrides: {
            [key]: value,
            'notifications.mattermost.token': 'x',
            'notifications.webhook.secret': webhookSecret,
          },
        }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError, String(error));
        assert.match(error.message, expected);
        const text = everythingIn(error);
        assert.ok(!text.includes(PASSWORD) && !text.includes(MM_PASSWORD), text);
        return true;
      },
      `${key} = ${value}`,
    );
  }
  const good = loadConfig({
    env: {},
    cwd: '/nonexistent-convene-config-dir',
    overrides: {
      'notifications.email.smtpUrl': 'smtps://user:p%40ss@mail.example.org:465',
      'notifications.mattermost.url': 'https://chat.example.org',
      'notifications.mattermost.token': 'x',
    },
  });
  assert.equal(good.notifications.email.smtpUrl, 'smtps://user:p%40ss@mail.example.org:465');
});

test('the mailer refuses an unusable SMTP URL with an error that holds no part of it', () => {
  assert.throws(
    () => smtpMailer({ smtpUrl: BAD_SMTP, from: 'c@example.org' }),
    (error: unknown) => {
      assert.match(String((error as Error).message), /port must be 1–65535/);
      assert.ok(!everythingIn(error).includes(PASSWORD), everythingIn(error));
      return true;
    },
  );
});

forEachEngine(
  'notification senders: broken settings, large Slack meetings, Slack settings errors, the webhook test',
  (get, engine) => {
    const db = () => get().ctx.database.db;
    let admin: Client;
    const deliver = (now?: Date) => deliverOutbox(get, engine, { options, now });
    const rows = (channel?: NotificationChannel) =>
      notificationRows(db(), { kinds: ['intro'], ...(channel ? { channel } : {}) });
    const reset = async () => {
      slack.reset();
      received.length = 0;
      await db().deleteFrom('notifications').execute();
    };
    const people = async (prefix: string, n: number) => {
      const ids: string[] = [];
      for (let i = 0; i < n; i++) {
        ids.push(await personOnSlack(db(), slack, { username: `${engine}${prefix}${i}` }));
      }
      return ids;
    };

    test('admin: a bad channel URL is a 400 naming the field, and the answer never repeats it', async () => {
      admin = await adminClient(get().app);
      const cases: Array<[string, Record<string, string>, string, RegExp]> = [
        ['email', { smtpUrl: BAD_SMTP }, 'smtpUrl', /smtpUrl: its port must be 1–65535/],
        ['email', { smtpUrl: 'smtp://mail.example.org:0' }, 'smtpUrl', /port must be 1–65535/],
        ['email', { smtpUrl: `smtp://user:${PASSWORD}@` }, 'smtpUrl', /smtpUrl/],
        ['email', { smtpUrl: 'smtps://mail.example.org:4x5' }, 'smtpUrl', /port must be 1–65535/],
        ['mattermost', { url: 'https://chat.example.org:99999' }, 'url', /port must be 1–65535/],
        ['mattermost', { url: BAD_MATTERMOST }, 'url', /must not contain a user name or password/],
        ['slack', { apiUrl: 'https://' }, 'apiUrl', /apiUrl/],
        ['webhook', { url: 'ftp://hooks.example.org' }, 'url', /must start with http:\/\/ or https:\/\//],
      ];
      for (const [channel, values, field, expected] of cases) {
        const answer = await admin.put(`/api/v1/admin/channels/${channel}`, values);
        assert.equal(answer.status, 400, `${channel} ${JSON.stringify(values)}: ${JSON.stringify(answer.body)}`);
        assert.equal(answer.body.error.field, field);
        assert.match(answer.body.error.message, expected);
        const text = JSON.stringify(answer.body);
        assert.ok(!text.includes(PASSWORD) && !text.includes(MM_PASSWORD), text);
      }
      const stored = await db().selectFrom('channel_settings').selectAll().execute();
      assert.ok(!JSON.stringify(stored).includes(PASSWORD), 'nothing bad was saved');
    });

    test('one unusable channel fails alone, visibly and without its secret; the others deliver', async () => {
      await reset();
      // Saved before URLs were checked (or edited in the database): the boundary never saw them.
      await saveChannel(db(), {
        channel: 'email',
        enabled: true,
        settings: { from: 'Convene <convene@example.org>' },
        secrets: { smtpUrl: BAD_SMTP },
        source: 'admin',
      });
      await saveChannel(db(), {
        channel: 'mattermost',
        enabled: true,
        settings: { url: BAD_MATTERMOST },
        secrets: { token: 'mm-token-abcdef123456' },
        source: 'admin',
      });
      try {
        const [a, b] = await people('broken', 2);
        await createMeeting({ db: db(), title: 'Still delivered', participantIds: [a as string, b as string] });
        const queued = await rows();
        assert.deepEqual([...new Set(queued.map((r) => r.channel))].sort(), [
          'email',
          'mattermost',
          'slack',
          'webhook',
        ]);

        // The worker's own run, with the runner's error logging, into a pino log kept here.
        const lines: string[] = [];
        const log = pino(
          { level: 'debug' },
          new Writable({
            write(chunk, _encoding, done) {
              lines.push(String(chunk));
              done();
            },
          }),
        );
        const job = outboxJob(get().ctx, { workerId: `${engine}-job` });
        try {
          await job.run().catch((error: unknown) => log.error({ err: error, job: job.name }, 'job failed'));
        } finally {
          job.close();
        }

        const state = await rows();
        const by = (channel: string) => state.filter((r) => r.channel === channel);
        assert.deepEqual(
          by('slack').map((r) => r.status),
          ['sent'],
        );
        assert.deepEqual(
          by('webhook').map((r) => r.status),
          ['sent'],
        );
        assert.equal(slack.posts.length, 1);
        assert.ok(received.some((r) => JSON.parse(r.body).type === 'meeting.intro'));
        for (const row of by('email')) {
          assert.equal(row.status, 'pending', 'retried, so it goes once the settings are fixed');
          assert.equal(row.attempts, 1);
          assert.equal(row.last_error, EMAIL_BROKEN);
        }
        for (const row of by('mattermost')) {
          assert.equal(row.status, 'pending');
          assert.match(
            row.last_error ?? '',
            /^The Mattermost settings are invalid: the server URL must not contain a user name or password\. Fix them on Admin → Channels\.$/,
          );
        }
        const everything = `${lines.join('\n')}\n${JSON.stringify(state)}`;
        for (const secret of [PASSWORD, MM_PASSWORD, 'mm-token-abcdef123456', slack.token, webhookSecret]) {
          assert.ok(!everything.includes(secret), `${secret} leaked: ${everything}`);
        }

        // "Send a test message": Slack still works, e-mail says what to fix.
        await db()
          .updateTable('people')
          .set({ email: `${engine}-admin@example.org` })
          .where('username', '=', 'admin')
          .execute();
        slack.addUser(`${engine}-admin@example.org`);
        const viaSlack = await admin.post('/api/v1/admin/channels/slack/test');
        assert.equal(viaSlack.status, 200, JSON.stringify(viaSlack.body));
        assert.equal(viaSlack.body.ok, true, viaSlack.body.message);
        const viaEmail = await admin.post('/api/v1/admin/channels/email/test');
        assert.equal(viaEmail.status, 200, JSON.stringify(viaEmail.body));
        assert.equal(viaEmail.body.ok, false);
        assert.equal(viaEmail.body.message, EMAIL_BROKEN);

        // And straight from the sender, as a caller would log it.
        const built = await buildSenders(db(), get().config);
        const row = by('email')[0];
        assert.ok(row && built.senders.email);
        const thrown = await built.senders.email(row, JSON.parse(row.payload)).then(
          () => assert.fail('sent through a broken channel'),
          (error: unknown) => error,
        );
        built.close();
        assert.equal((thrown as Error).message, EMAIL_BROKEN);
        assert.ok(!everythingIn(thrown).includes(PASSWORD));
      } finally {
        await db().deleteFrom('channel_settings').where('channel', 'in', ['email', 'mattermost']).execute();
      }
    });

    test('Slack: more than 8 readers get one direct message each, once, even when a rate limit stops it half-way', async () => {
      await reset();
      const eight = await people('eight', 8);
      await createMeeting({ db: db(), title: 'Eight of us', participantIds: eight });
      assert.equal((await deliver()).failed, 0);
      assert.equal(slack.posts.length, 1, 'eight still share one group DM');
      assert.equal(slack.posts[0]?.members.length, 8);

      await reset();
      const ten = await people('ten', 10);
      await createMeeting({ db: db(), title: 'Ten of us', participantIds: ten });
      // The 5th post is refused with 429: the attempt is handed back uncounted, 4 DMs already out.
      slack.fail('chat.postMessage', { retryAfter: 5, after: 4 });
      await deliver();
      const [waiting] = await rows('slack');
      assert.equal(waiting?.status, 'pending', waiting?.last_error ?? '');
      assert.equal(waiting?.attempts, 0);
      assert.equal(slack.posts.length, 4);
      assert.ok(!slack.calls.some((c) => c.method === 'conversations.open' && c.status !== 200));

      assert.equal((await deliver(later(10))).sent, 1);
      const [done] = await rows('slack');
      assert.equal(done?.status, 'sent');
      assert.equal(slack.posts.length, 10, 'the four reached first are not posted again');
      assert.equal(slack.deliveries().get(done?.id ?? ''), 10);
      assert.ok(slack.posts.every((p) => p.members.length === 1 && p.channel.startsWith('D')));
      const reached = new Set(slack.posts.flatMap((p) => p.members));
      assert.equal(reached.size, 10, 'every reader gets their own message');
      const result = JSON.parse(done?.result ?? '{}');
      assert.equal(result.posts.length, 10);
      assert.equal(result.posts.filter((p: { alreadyPosted?: boolean }) => p.alreadyPosted).length, 4);
      assert.equal(Object.keys(result.slackIds).length, 10);
      assert.equal((await deliver(later(100))).claimed, 0);
    });

    test('Slack: a missing scope or a wrong kind of token fails at once, saying what to fix', async () => {
      const cases: Array<[string, Record<string, string>, RegExp]> = [
        [
          'missing_scope',
          { needed: 'users:read.email', provided: 'chat:write,im:write' },
          /lacks the users:read\.email scope \(it has chat:write,im:write\).*OAuth & Permissions/,
        ],
        ['not_allowed_token_type', {}, /bot token \(xoxb-…\)/],
        ['account_inactive', {}, /deactivated user or an uninstalled app.*Reinstall/],
        ['no_permission', {}, /no_permission.*scopes/],
      ];
      for (const [error, extra, expected] of cases) {
        await reset();
        const [a] = await people(error.replace(/_/g, ''), 1);
        await db()
          .insertInto('notification_prefs')
          .values({
            person_id: a as string,
            scope: '',
            channel: 'email',
            enabled: 0,
            updated_at: new Date().toISOString(),
          })
          .execute();
        slack.fail('users.lookupByEmail', { error, extra }, 10);
        await createMeeting({ db: db(), title: `Refused ${error}`, participantIds: [a as string] });
        const run = await deliver();
        assert.equal(run.failed, 1, error);
        const [row] = await rows('slack');
        assert.equal(row?.status, 'failed', error);
        assert.equal(row?.attempts, 1, `${error}: not retried`);
        assert.match(row?.last_error ?? '', expected);
        assert.match(row?.last_error ?? '', new RegExp(error));
      }
    });

    test('webhook "Send a test message" sends a signed convene.test event, not a meeting', async () => {
      await reset();
      const tested = await admin.post('/api/v1/admin/channels/webhook/test');
      assert.equal(tested.status, 200, JSON.stringify(tested.body));
      assert.equal(tested.body.ok, true, tested.body.message);
      assert.equal(received.length, 1);
      const [hit] = received;
      assert.ok(hit);
      const event = new Webhook(webhookSecret).verify(hit.body, hit.headers as Record<string, string>) as {
        type: string;
        data: Record<string, unknown>;
      };
      assert.equal(event.type, 'convene.test');
      assert.equal(event.data.test, true);
      assert.match(String(event.data.message), /test message from Convene.*not about any meeting/);
      assert.equal(event.data.meeting, undefined);
      assert.equal((await rows()).length, 0, 'a test is not queued');
    });
  },
  {
    'notifications.slack.token': slack.token,
    'notifications.slack.apiUrl': slack.url,
    'notifications.webhook.url': hookUrl,
    'notifications.webhook.secret': webhookSecret,
  },
);
