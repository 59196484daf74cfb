import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Db } from '../src/db/database.js';
import { ChannelLimits } from '../src/features/notifications/channelLimits.js';
import { claimDue, type OutboxOptions } from '../src/features/notifications/outbox.js';
import { FakeSlack } from './helpers/fakeSlack.js';
import { deliverOutbox, notificationRows, slackMeetings, startForFile, testOutboxOptions } from './helpers/outbox.js';
import { forEachEngine } from './helpers/suite.js';

const slack = await startForFile(new FakeSlack());

const options = testOutboxOptions();
const later = (seconds: number) => new Date(Date.now() + seconds * 1000);

/** The database, except that its next `failures` transactions fail as a locked database would. */
function flaky(db: Db, failures: number): Db {
  let left = failures;
  return new Proxy(db, {
    get(target, key, receiver) {
      if (key === 'transaction' && left > 0) {
        left--;
        return () => ({
          execute: async () => {
            throw new Error('SQLITE_BUSY: database is locked');
          },
        });
      }
      const value = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

forEachEngine(
  'the outbox records what it sent',
  (get, engine) => {
    const db = () => get().ctx.database.db;
    const meetings = (count: number, tag: string) => slackMeetings(db(), slack, engine, count, tag);
    const drain = ({
      extra,
      ...props
    }: {
      db?: Db;
      extra?: Partial<OutboxOptions>;
      limits?: ChannelLimits;
      now?: Date;
    }) => deliverOutbox(get, engine, { ...props, options: { ...options, ...extra } });
    const rows = () => notificationRows(db(), { channel: 'slack' });
    const reset = async () => {
      slack.reset();
      await db().deleteFrom('notifications').execute();
    };

    test('a result that cannot be written at first is written later: sent once, never counted as failed', async () => {
      await reset();
      await meetings(5, 'f');
      const run = await drain({ db: flaky(db(), 2) });
      assert.equal(run.sent, 5);
      assert.equal(run.failed + run.retried, 0);
      const state = await rows();
      assert.deepEqual(
        state.map((r) => [r.status, r.attempts]),
        state.map(() => ['sent', 1]),
      );
      assert.equal(slack.posts.length, 5, 'each message posted once');
      assert.equal((await drain({ now: later(400) })).claimed, 0, 'nothing left to send again');
    });

    test('a paced message that would outlive its lease is handed back, not sent late', async () => {
      await reset();
      await meetings(6, 'l');
      // One per second with a 4 s lease: a message that must wait 3 s or more would be sent with
      // under a quarter of its lease left, when another worker may already have claimed it.
      const run = await drain({ extra: { leaseSeconds: 4 }, limits: new ChannelLimits({ slack: 1 }) });
      assert.equal(run.sent + run.retried, 6);
      assert.ok(run.retried >= 1, `handed back ${run.retried}`);
      const waiting = (await rows()).filter((r) => r.status === 'pending');
      assert.equal(waiting.length, run.retried);
      for (const row of waiting) {
        assert.equal(row.attempts, 0, 'waiting for the pace is not a failed attempt');
        assert.match(row.last_error ?? '', /paced/);
      }
      assert.equal(slack.posts.length, run.sent);
    });

    test('a message whose workers keep dying mid-send is failed after maxAttempts, not claimed forever', async () => {
      await reset();
      await meetings(1, 'd');
      // Every claim dies with the row (never recorded); each new claim finds the lease expired.
      for (let i = 0; i < options.maxAttempts; i++) {
        const { rows: claimed } = await claimDue(db(), engine, {
          workerId: `dead${i}`,
          limit: 10,
          leaseSeconds: 60,
          now: later(61 * i),
        });
        assert.equal(claimed.length, 1);
      }
      const run = await drain({ now: later(61 * options.maxAttempts) });
      assert.equal(run.failed, 1);
      const [row] = await rows();
      assert.equal(row?.status, 'failed');
      assert.match(row?.last_error ?? '', /worker stopped while sending this message/);
      assert.equal(slack.posts.length, 0);
    });
  },
  { 'notifications.slack.token': slack.token, 'notifications.slack.apiUrl': slack.url },
);
