import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChannelLimits } from '../src/features/notifications/channelLimits.js';
import { FakeSlack } from './helpers/fakeSlack.js';
import { deliverOutbox, slackMeetings, startForFile, testOutboxOptions } from './helpers/outbox.js';
import { forEachEngine } from './helpers/suite.js';

test('a channel rate allows a one-second burst, then one message per interval', () => {
  const limits = new ChannelLimits({ slack: 4 });
  const now = 1_000_000;
  const waits = Array.from({ length: 8 }, () => limits.reserve('slack', now));
  assert.deepEqual(waits, [0, 0, 0, 0, 250, 500, 750, 1000]);
  // Other channels are not slowed by Slack's pace.
  assert.equal(limits.reserve('email', now), 0);
});

test('a pause holds back every message of that channel until it ends, rate or not', () => {
  const limits = new ChannelLimits();
  const now = 5_000_000;
  limits.pause('slack', 7, now);
  assert.equal(limits.reserve('slack', now), 7000);
  assert.equal(limits.reserve('slack', now + 6000), 1000);
  assert.equal(limits.reserve('slack', now + 7000), 0);
  // A shorter pause asked later does not cut the longer one short.
  limits.pause('slack', 10, now);
  limits.pause('slack', 1, now);
  assert.equal(limits.reserve('slack', now), 10_000);
});

const slack = await startForFile(new FakeSlack());

forEachEngine(
  'per-channel pacing in the outbox',
  (get, engine) => {
    const db = () => get().ctx.database.db;
    const options = testOutboxOptions();
    const meetings = (count: number, tag: string) => slackMeetings(db(), slack, engine, count, tag);
    const drain = (limits: ChannelLimits, concurrency = options.concurrency) =>
      deliverOutbox(get, engine, { options: { ...options, concurrency }, limits });

    test("Slack's 429 pauses every Slack message of the worker, not just the refused one", async () => {
      slack.reset();
      await db().deleteFrom('notifications').execute();
      await meetings(4, 'p');
      slack.fail('chat.postMessage', { retryAfter: 2 });
      const started = Date.now();
      // Two lanes: the refused message and one already in flight beside it; the two still queued
      // must wait out the pause.
      const run = await drain(new ChannelLimits(), 2);
      assert.equal(run.sent, 3);
      assert.equal(run.retried, 1, 'the refused message is handed back for later');
      const delays = slack.posts.map((post) => Number(post.ts) * 1000 - started);
      assert.equal(delays.filter((ms) => ms >= 1900).length, 2, `posted at ${delays.join(', ')} ms`);
    });

    test('a configured rate spreads the messages out', async () => {
      slack.reset();
      await db().deleteFrom('notifications').execute();
      await meetings(6, 'r');
      const started = Date.now();
      const run = await drain(new ChannelLimits({ slack: 2 }));
      assert.equal(run.sent, 6);
      const times = slack.posts.map((p) => Number(p.ts) * 1000).sort((x, y) => x - y);
      // Two at once (the burst), then one every 500 ms: the last no sooner than two seconds after the
      // run began. (Counted from the first post, a loaded machine that delays that post shrank it.)
      const spread = (times.at(-1) as number) - started;
      assert.ok(spread >= 1900, `the sixth post ${spread} ms after the run began`);
    });
  },
  { 'notifications.slack.token': slack.token, 'notifications.slack.apiUrl': slack.url },
);
