import assert from 'node:assert/strict';
import { test } from 'node:test';
import { announceMeetings } from '../src/features/meetings/announce.js';
import { createMeeting } from '../src/features/meetings/service.js';
import { claimDue } from '../src/features/notifications/outbox.js';
import type { NotificationPayload } from '../src/features/notifications/payload.js';
import { renderMattermost } from '../src/features/notifications/renderMattermost.js';
import { buildSenders } from '../src/features/notifications/senders.js';
import { videoRooms } from '../src/integrations/jitsi.js';
import { FakeMattermost } from './helpers/fakeMattermost.js';
import { deliverOutbox, notificationRows, startForFile, testOutboxOptions } from './helpers/outbox.js';
import { insertPerson } from './helpers/people.js';
import { Client } from './helpers/server.js';
import { forEachEngine } from './helpers/suite.js';

const mm = await startForFile(new FakeMattermost());

const options = testOutboxOptions({ batchSize: 25, concurrency: 4 });
const later = (seconds: number) => new Date(Date.now() + seconds * 1000);

test("a group's template opens the Mattermost post too, its values escaped as Markdown", () => {
  const person = (id: string, name: string) => ({ id, name, email: null, timezone: 'UTC', title: null, team: null });
  const payload: NotificationPayload = {
    kind: 'intro',
    meeting: {
      id: 'm1',
      title: 'Coffee: Ada, Bob',
      startsAt: null,
      durationMinutes: null,
      roomName: 'convene-coffee-abc',
      roomUrl: null,
      groupId: 'g1',
      groupName: 'Coffee',
      sequence: 1,
    },
    participants: [person('a', 'Ada *Star*'), person('b', 'Bob')],
    template: 'Say hi, {{names}}! Room: {{room_url}}',
  };
  const ctx = {
    publicUrl: 'https://convene.example.org',
    video: videoRooms({ provider: 'jitsi', jitsi: { baseUrl: 'https://meet.jit.si' } }),
  };
  const { message } = renderMattermost(ctx, payload, { usernames: new Map(), readers: ['a', 'b'] });
  assert.ok(
    message.includes('Say hi, Ada \\*Star\\* and Bob! Room: https://meet.jit.si/convene-coffee-abc\n'),
    message,
  );
  assert.doesNotMatch(message, /You're meeting through/);
});

forEachEngine(
  'Mattermost notifications',
  (get, engine) => {
    const db = () => get().ctx.database.db;
    const deliver = (now?: Date) => deliverOutbox(get, engine, { options, now });
    /** Intros and follow-ups: reminders queued for later are not what these tests look at. */
    const rows = () => notificationRows(db(), { channel: 'mattermost', kinds: ['intro', 'follow_up'] });
    const reset = async () => {
      mm.reset();
      await db().deleteFrom('notifications').execute();
    };
    /** A person in the directory and on Mattermost (unless `onMattermost` is false). */
    const person = async (name: string, timezone = 'UTC', onMattermost = true) => {
      const id = await insertPerson(db(), { username: `${engine}${name}`, name: name.toUpperCase() });
      await db().updateTable('people').set({ timezone }).where('id', '=', id).execute();
      const mmId = onMattermost ? mm.addUser(`${engine}${name}@example.org`, { username: `${engine}${name}` }) : null;
      return { id, mmId };
    };

    test('the channel is written from the config; one group post per meeting with mentions, times per timezone, the room', async () => {
      await reset();
      const settings = await db()
        .selectFrom('channel_settings')
        .selectAll()
        .where('channel', '=', 'mattermost')
        .executeTakeFirstOrThrow();
      assert.equal(settings.enabled, 1);
      assert.deepEqual(JSON.parse(settings.settings), { url: mm.url });
      const ada = await person('ada', 'Europe/Paris');
      const bob = await person('bob', 'America/New_York');
      const cyd = await person('cyd', 'UTC', false);
      const { meetingId } = await createMeeting({
        db: db(),
        title: 'Design review',
        participantIds: [ada.id, bob.id, cyd.id],
        startsAt: '2031-03-03T09:00:00.000Z',
      });
      const queued = (await rows()).filter((r) => r.kind === 'intro');
      assert.equal(queued.length, 1, 'one Mattermost row per meeting');
      const run = await deliver();
      assert.equal(run.failed, 0);
      assert.equal(mm.posts.length, 1);
      const [post] = mm.posts;
      assert.ok(post);
      const channel = mm.channels.get(post.channel_id);
      assert.equal(channel?.type, 'G');
      assert.deepEqual(new Set(channel?.members), new Set([mm.bot.id, ada.mmId, bob.mmId]));
      assert.match(post.message, new RegExp(`@${engine}ada`));
      assert.match(post.message, new RegExp(`@${engine}bob`));
      assert.match(post.message, /CYD/, 'the person not on Mattermost is named');
      assert.match(post.message, /10:00 \(Europe\/Paris\)/);
      assert.match(post.message, /04:00 \(America\/New_York\)/);
      assert.doesNotMatch(post.message, /\(UTC\)/, "cyd's timezone is not shown: cyd does not read this");
      assert.match(post.message, /\[Join the video room\]\(https:\/\/meet\.jit\.si\/convene-/);
      assert.ok(post.message.includes(`https://convene.example.org/meetings/${meetingId}`));
      const [row] = await rows();
      assert.equal(post.props.convene_notification_id, row?.id);
      assert.equal(row?.status, 'sent');
      assert.deepEqual(JSON.parse(row?.result ?? '{}').notFound, [cyd.id]);

      // One reader: the direct channel of the bot and that person.
      await createMeeting({ db: db(), title: 'Solo', participantIds: [ada.id] });
      await deliver();
      const solo = mm.posts[1];
      assert.equal(mm.channels.get(solo?.channel_id ?? '')?.type, 'D');
      assert.deepEqual(new Set(mm.channels.get(solo?.channel_id ?? '')?.members), new Set([mm.bot.id, ada.mmId]));
    });

    test('errors: 429 waits X-Ratelimit-Reset, 500 and a bad token retry, 403 and nobody found fail at once', async () => {
      await reset();
      const a = await person('e1');
      const b = await person('e2');
      const nobody = await person('e3', 'UTC', false);
      const before = Date.now();
      mm.fail('POST /posts', 429, {
        'x-ratelimit-limit': '10',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': '9',
      });
      await createMeeting({ db: db(), title: 'Limited', participantIds: [a.id, b.id] });
      await createMeeting({ db: db(), title: 'Nobody', participantIds: [nobody.id] });
      await deliver();
      const limited = (await rows()).find((r) => JSON.parse(r.payload).meeting.title === 'Limited');
      const lost = (await rows()).find((r) => JSON.parse(r.payload).meeting.title === 'Nobody');
      assert.equal(limited?.status, 'pending');
      assert.equal(limited?.attempts, 0, 'being asked to wait is not a failed attempt');
      const wait = (Date.parse(limited?.next_attempt_at ?? '') - before) / 1000;
      assert.ok(wait >= 8.5 && wait < 20, `waited ${wait}s`);
      assert.equal(lost?.status, 'failed');
      assert.match(lost?.last_error ?? '', /Nobody in this meeting was found on Mattermost/);

      mm.fail('POST /posts', 500);
      const second = await deliver(later(10));
      assert.equal(second.retried, 1);
      assert.equal((await rows()).find((r) => r.id === limited?.id)?.status, 'pending');
      const third = await deliver(later(60));
      assert.equal(third.sent, 1);
      assert.equal(mm.posts.length, 1);

      await reset();
      mm.fail('GET /users/email/', 401, {}, 1);
      await createMeeting({ db: db(), title: 'Bad token', participantIds: [a.id, b.id] });
      await deliver();
      const [badToken] = await rows();
      assert.equal(badToken?.status, 'pending', 'a wrong token is a setting to fix: retried');
      assert.match(badToken?.last_error ?? '', /401/);

      await reset();
      mm.fail('POST /posts', 403);
      await createMeeting({ db: db(), title: 'Forbidden', participantIds: [a.id, b.id] });
      await deliver();
      const [forbidden] = await rows();
      assert.equal(forbidden?.status, 'failed');
      assert.match(forbidden?.last_error ?? '', /403/);
    });

    test('a worker killed after Mattermost accepted the post: the next worker finds it and posts nothing twice', async () => {
      await reset();
      const a = await person('z1');
      const b = await person('z2');
      await createMeeting({ db: db(), title: 'Half sent', participantIds: [a.id, b.id] });
      const { rows: claimed } = await claimDue(db(), engine, { workerId: 'dead', limit: 10, leaseSeconds: 60 });
      const row = claimed.find((r) => r.channel === 'mattermost');
      const built = await buildSenders(db(), get().config);
      assert.ok(row && built.senders.mattermost);
      await built.senders.mattermost(row, JSON.parse(row.payload));
      assert.equal(mm.posts.length, 1);
      const run = await deliver(later(61));
      assert.equal(run.sent, 1);
      assert.equal(mm.posts.length, 1, 'not posted again');
      const [done] = await rows();
      assert.equal(done?.recovered, 1);
      assert.equal(JSON.parse(done?.result ?? '{}').alreadyPosted, true);
    });

    test('"Did you meet?" carries signed Yes / No buttons; a click records the answer of the person who clicked', async () => {
      await reset();
      const a = await person('f1');
      const b = await person('f2');
      const stranger = await person('f3');
      const outsider = mm.addUser(`${engine}outsider@elsewhere.org`);
      const { meetingId } = await createMeeting({ db: db(), title: 'Coffee', participantIds: [a.id, b.id] });
      // Asked days after the match (answers before the next day are refused).
      await db()
        .updateTable('meetings')
        .set({ created_at: new Date(Date.now() - 3 * 86_400_000).toISOString() })
        .where('id', '=', meetingId)
        .execute();
      await db()
        .transaction()
        .execute((trx) => announceMeetings(trx, { meetingIds: [meetingId], kind: 'follow_up' }));
      await deliver();
      const post = mm.posts.find((p) => p.message.includes('Did you meet?'));
      assert.ok(post, 'the follow-up was posted');
      const actions = (post.props.attachments as Array<{ actions: Array<Record<string, any>> }>)[0]?.actions ?? [];
      assert.deepEqual(
        actions.map((x) => x.name),
        ['Yes', 'No'],
      );
      const yes = actions[0]?.integration;
      assert.equal(yes.url, 'https://convene.example.org/api/v1/integrations/mattermost/actions');
      assert.deepEqual(Object.keys(yes.context).sort(), ['answer', 'meetingId', 'sig']);

      const click = (userId: string, context: Record<string, unknown>) =>
        new Client(get().app).post('/api/v1/integrations/mattermost/actions', {
          user_id: userId,
          user_name: 'x',
          channel_id: post.channel_id,
          post_id: post.id,
          type: 'button',
          context,
        });
      const answered = await click(a.mmId as string, yes.context);
      assert.equal(answered.status, 200, JSON.stringify(answered.body));
      assert.match(answered.body.ephemeral_text, /^Thanks, F1/);
      const feedback = await db()
        .selectFrom('meeting_feedback')
        .selectAll()
        .where('meeting_id', '=', meetingId)
        .execute();
      assert.deepEqual(
        feedback.map((f) => [f.person_id, f.answer, f.via]),
        [[a.id, 'yes', 'mattermost']],
      );
      // The same person changes their mind.
      const no = actions[1]?.integration;
      assert.equal((await click(a.mmId as string, no.context)).status, 200);
      const changed = await db()
        .selectFrom('meeting_feedback')
        .selectAll()
        .where('meeting_id', '=', meetingId)
        .execute();
      assert.deepEqual(
        changed.map((f) => f.answer),
        ['no'],
      );

      const forged = await click(a.mmId as string, { ...yes.context, sig: 'A'.repeat(32) });
      assert.equal(forged.status, 403);
      const otherMeeting = await click(a.mmId as string, { ...yes.context, meetingId: 'another-meeting' });
      assert.equal(otherMeeting.status, 403, 'a signature is good for its own meeting only');
      const notInMeeting = await click(stranger.mmId as string, yes.context);
      assert.equal(notInMeeting.status, 200);
      assert.match(notInMeeting.body.ephemeral_text, /only the people in this meeting/);
      const unknown = await click(outsider, yes.context);
      assert.match(unknown.body.ephemeral_text, /only the people in this meeting/i);
      const after = await db().selectFrom('meeting_feedback').selectAll().where('meeting_id', '=', meetingId).execute();
      assert.equal(after.length, 1, 'refused clicks record nothing');
    });
  },
  {
    publicUrl: 'https://convene.example.org',
    'notifications.mattermost.url': mm.url,
    'notifications.mattermost.token': mm.token,
  },
);
