import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { NotificationKind } from '../src/db/schema.js';
import { cancelMeeting, createMeeting, rescheduleMeeting } from '../src/features/meetings/service.js';
import { managerPattern } from '../src/features/mixers/eligibility.js';
import { runRound } from '../src/features/mixers/rounds.js';
import { renderMattermost } from '../src/features/notifications/renderMattermost.js';
import { videoRooms } from '../src/integrations/jitsi.js';
import { outboxJob } from '../src/jobs/outbox.js';
import { startJobs } from '../src/jobs/runner.js';
import { FakeSlack } from './helpers/fakeSlack.js';
import { deliverOutbox, notificationRows, startForFile, testOutboxOptions } from './helpers/outbox.js';
import { clientFor, insertPerson } from './helpers/people.js';
import { adminClient } from './helpers/server.js';
import { TestSmtp } from './helpers/smtp.js';
import { forEachEngine } from './helpers/suite.js';

const slack = await startForFile(new FakeSlack());
const smtp = await startForFile(new TestSmtp());

const options = testOutboxOptions();
const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

forEachEngine(
  'reminders',
  (get, engine) => {
    const db = () => get().ctx.database.db;
    const deliver = (now?: Date) => deliverOutbox(get, engine, { options, now });
    const rowsOf = (meetingId: string, kind?: NotificationKind) =>
      notificationRows(db(), { meetingId, ...(kind ? { kinds: [kind] } : {}) });
    let n = 0;
    const meetingWith = async (startsAt: Date, names = ['a', 'b']) => {
      n++;
      const ids: string[] = [];
      for (const name of names) {
        const username = `${engine}r${n}${name}`;
        ids.push(await insertPerson(db(), { username, name: `${name.toUpperCase()} ${n}` }));
        slack.addUser(`${username}@example.org`);
      }
      const { meetingId } = await createMeeting({
        db: db(),
        title: `Sync ${n}`,
        participantIds: ids,
        startsAt: startsAt.toISOString(),
        durationMinutes: 30,
      });
      return { meetingId, ids };
    };

    test('an intro queues reminders at start − lead on every channel; nothing goes out early', async () => {
      const start = inSeconds(2 * 3600);
      const { meetingId } = await meetingWith(start);
      const reminders = await rowsOf(meetingId, 'reminder');
      assert.deepEqual(reminders.map((r) => r.channel).sort(), ['email', 'email', 'slack']);
      const due = new Date(start.getTime() - 15 * 60_000).toISOString();
      for (const r of reminders) {
        assert.equal(r.next_attempt_at, due, 'default lead: 15 minutes');
        assert.equal(JSON.parse(r.payload).leadMinutes, 15);
        assert.ok(r.dedupe_key.includes(start.toISOString()), 'the start time is the revision');
      }
      await deliver();
      assert.ok((await rowsOf(meetingId, 'reminder')).every((r) => r.status === 'pending'));
      assert.ok((await rowsOf(meetingId, 'intro')).every((r) => r.status === 'sent'));
    });

    test('a lead that has already passed sends the reminder at once; lead 0 sends none', async () => {
      const { meetingId } = await meetingWith(inSeconds(5 * 60));
      const reminders = await rowsOf(meetingId, 'reminder');
      assert.equal(reminders.length, 3);
      for (const r of reminders) assert.ok(Date.parse(r.next_attempt_at) <= Date.now());
      smtp.mails.length = 0;
      await deliver();
      assert.ok((await rowsOf(meetingId, 'reminder')).every((r) => r.status === 'sent'));
      assert.ok(smtp.mails.some((m) => m.subject?.startsWith('Starting soon')));

      const quiet = await meetingWith(inSeconds(3600));
      await db().updateTable('meetings').set({ reminder_minutes: 0 }).where('id', '=', quiet.meetingId).execute();
      await db().deleteFrom('notifications').where('meeting_id', '=', quiet.meetingId).execute();
      await rescheduleMeeting({ db: db(), meetingId: quiet.meetingId, startsAt: inSeconds(7200).toISOString() });
      assert.equal((await rowsOf(quiet.meetingId, 'reminder')).length, 0);
    });

    test('a late reminder says the minutes actually left; a rescheduled message shows the time it replaces', async () => {
      // Set 6 minutes ahead with the default 15-minute lead: the reminder goes out at once.
      const soon = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 6 * 60_000 + 20_000);
      const { meetingId } = await meetingWith(soon);
      smtp.mails.length = 0;
      slack.posts.length = 0;
      await deliver();
      const reminder = smtp.mails.find((m) => m.subject?.startsWith('Starting soon'));
      assert.ok(reminder, 'the reminder went out');
      const left = Math.round((soon.getTime() - Date.now()) / 60_000);
      assert.match(reminder.text ?? '', new RegExp(`starts in (${left}|${left + 1}) minutes\\.`));
      assert.doesNotMatch(reminder.text ?? '', /in 15 minutes/);
      assert.equal(JSON.parse((await rowsOf(meetingId, 'reminder'))[0]?.payload ?? '{}').leadMinutes, 15);

      const first = new Date('2031-03-03T09:00:00.000Z');
      const moved = await meetingWith(first);
      // Its intros go out first: the move is news to people who heard of the first time.
      await deliver();
      await rescheduleMeeting({ db: db(), meetingId: moved.meetingId, startsAt: '2031-03-04T14:30:00.000Z' });
      smtp.mails.length = 0;
      slack.posts.length = 0;
      await deliver();
      const mail = smtp.mails.find((m) => m.subject?.startsWith('Rescheduled'));
      assert.ok(mail, 'the rescheduled e-mail went out');
      // The locale data decides the exact punctuation ("Monday 3 March" or "Monday, 3 March").
      assert.match(
        mail.text ?? '',
        /When: Tuesday,? 4 March 2031.{1,6}14:30 \(UTC\) \(was: Monday,? 3 March 2031.{1,6}09:00 \(UTC\)\)/,
      );
      assert.match(String(mail.html), /\(was: Monday,? 3 March 2031.{1,6}09:00 \(UTC\)\)/);
      // It opens with what happened, not a bare greeting.
      assert.match(
        mail.text ?? '',
        /^Hello [^,]+, “[^”]+” has moved to Tuesday,? 4 March 2031.{1,6}14:30 \(UTC\) \(it was Monday,? 3 March 2031.{1,6}09:00 \(UTC\)\)\./,
      );
      const post = slack.posts.find((p) => p.text.startsWith('Rescheduled'));
      assert.ok(post, 'the rescheduled Slack message went out');
      const when = JSON.stringify(post.blocks.find((b) => JSON.stringify(b).includes('*When:*')));
      assert.match(when, new RegExp(`\\(was: <!date\\^${Date.parse(first.toISOString()) / 1000}\\^`));

      const [row] = await rowsOf(moved.meetingId, 'rescheduled');
      const payload = JSON.parse(row?.payload ?? '{}');
      const ctx = { publicUrl: 'https://convene.example.org', video: videoRooms(get().config.video) };
      const mm = renderMattermost(ctx, payload, { usernames: new Map(), readers: moved.ids });
      assert.match(
        mm.message,
        /- Tuesday,? 4 March 2031.{1,6}14:30 \(UTC\) \(was: Monday,? 3 March 2031.{1,6}09:00 \(UTC\)\)/,
      );
      const intro = renderMattermost(ctx, { ...payload, kind: 'intro' }, { usernames: new Map(), readers: moved.ids });
      assert.doesNotMatch(intro.message, /was:/, 'only a rescheduled message names the old time');
    });

    test('the real outbox worker delivers a reminder no earlier than its time, and within a minute', async () => {
      // Lead 1 minute, start in 68 s: the reminder is due in about 8 s.
      const n0 = ++n;
      const ids = [
        await insertPerson(db(), { username: `${engine}w${n0}a`, name: 'Wanda' }),
        await insertPerson(db(), { username: `${engine}w${n0}b`, name: 'Walt' }),
      ];
      slack.addUser(`${engine}w${n0}a@example.org`);
      const { meetingId } = await createMeeting({
        db: db(),
        title: 'Worker check',
        participantIds: ids,
        startsAt: inSeconds(68).toISOString(),
      });
      await db().updateTable('meetings').set({ reminder_minutes: 1 }).where('id', '=', meetingId).execute();
      await db().deleteFrom('notifications').where('meeting_id', '=', meetingId).execute();
      const meeting = await db()
        .selectFrom('meetings')
        .selectAll()
        .where('id', '=', meetingId)
        .executeTakeFirstOrThrow();
      // Queue again through the public path (a time set), now that the lead is one minute.
      await rescheduleMeeting({
        db: db(),
        meetingId,
        startsAt: new Date(Date.parse(meeting.starts_at as string) + 1000).toISOString(),
      });
      const queued = await rowsOf(meetingId, 'reminder');
      assert.ok(queued.length > 0);
      const target = Date.parse(queued[0]?.next_attempt_at ?? '');
      assert.ok(target > Date.now() + 3000, 'due a few seconds from now');

      const job = outboxJob(get().ctx, { workerId: 'reminder-test' });
      assert.equal(job.everyMs, 2000, 'the default poll interval');
      const jobs = startJobs([job], get().app.log);
      try {
        const deadline = target + 60_000;
        while (Date.now() < deadline) {
          const rows = await rowsOf(meetingId, 'reminder');
          if (rows.every((r) => r.status !== 'pending' && r.status !== 'sending')) break;
          await sleep(250);
        }
      } finally {
        await jobs.stop();
        job.close();
      }
      const sent = await rowsOf(meetingId, 'reminder');
      for (const r of sent) {
        assert.equal(r.status, 'sent', r.last_error ?? '');
        const at = Date.parse(r.sent_at ?? '');
        assert.ok(at >= target, `sent ${(at - target) / 1000}s after its time, not before`);
        assert.ok(at - target < 60_000, `sent within a minute (${(at - target) / 1000}s)`);
        assert.ok(at < Date.parse(meeting.starts_at as string), 'before the meeting started');
      }
    });

    test('a reminder due once the meeting has started is skipped, never sent', async () => {
      const { meetingId } = await meetingWith(inSeconds(2));
      await sleep(2500);
      smtp.mails.length = 0;
      const run = await deliver();
      const reminders = await rowsOf(meetingId, 'reminder');
      assert.equal(reminders.length, 3);
      for (const r of reminders) {
        assert.equal(r.status, 'skipped');
        assert.match(r.last_error ?? '', /already started/);
      }
      assert.ok(run.skipped >= 3);
      assert.ok(!smtp.mails.some((m) => m.subject?.startsWith('Starting soon')));
    });

    test('rescheduled: the old time’s reminders are skipped at once, with the reason; the new time’s are sent', async () => {
      const first = inSeconds(2 * 3600);
      const { meetingId } = await meetingWith(first);
      const second = inSeconds(3 * 3600);
      await rescheduleMeeting({ db: db(), meetingId, startsAt: second.toISOString() });
      const reminders = await rowsOf(meetingId, 'reminder');
      assert.equal(reminders.length, 6, 'three for each time');
      // Right after the change, before any worker ran: the messages page already tells the truth.
      for (const r of reminders) {
        const forTime = JSON.parse(r.payload).meeting.startsAt;
        if (forTime === first.toISOString()) {
          assert.equal(r.status, 'skipped');
          assert.equal(r.last_error, 'The meeting was moved to another time.');
        } else {
          assert.equal(r.status, 'pending');
          assert.equal(r.next_attempt_at, new Date(second.getTime() - 15 * 60_000).toISOString());
        }
      }
      // A worker running just before the new time's reminder sends only those.
      const run = await deliver(new Date(second.getTime() - 10 * 60_000));
      assert.equal(run.skipped, 0, 'nothing left for the send-time check to skip');
      for (const r of await rowsOf(meetingId, 'reminder')) {
        const forTime = JSON.parse(r.payload).meeting.startsAt;
        assert.equal(r.status, forTime === second.toISOString() ? 'sent' : 'skipped', `${forTime} ${r.last_error}`);
      }
    });

    test('rescheduled back to an earlier time queues its reminders again; a reminder being sent is left to its worker', async () => {
      const first = inSeconds(2 * 3600);
      const second = inSeconds(3 * 3600);
      const { meetingId } = await meetingWith(first);
      // A worker holds one of the first time's reminders.
      const [held] = await rowsOf(meetingId, 'reminder');
      assert.ok(held);
      await db()
        .updateTable('notifications')
        .set({ status: 'sending', claimed_by: 'other-worker', claimed_until: inSeconds(60).toISOString() })
        .where('id', '=', held.id)
        .execute();
      await rescheduleMeeting({ db: db(), meetingId, startsAt: second.toISOString() });
      const afterMove = await rowsOf(meetingId, 'reminder');
      const heldNow = afterMove.find((r) => r.id === held.id);
      assert.equal(heldNow?.status, 'sending', 'never touched while a worker holds it');
      assert.equal(heldNow?.claimed_by, 'other-worker');
      assert.equal(afterMove.filter((r) => r.status === 'skipped').length, 2);

      await rescheduleMeeting({ db: db(), meetingId, startsAt: first.toISOString() });
      const rows = await rowsOf(meetingId, 'reminder');
      const pending = rows.filter((r) => r.status === 'pending');
      // The held one is for this very time again, so it still goes out: not queued twice.
      assert.equal(pending.length, 2, 'the first time again: new reminders, though it had some before');
      assert.ok(pending.every((r) => JSON.parse(r.payload).meeting.startsAt === first.toISOString()));
      assert.deepEqual(
        [...pending, held].map((r) => `${r.channel}:${r.person_id}`).sort(),
        afterMove
          .filter((r) => r.status === 'pending')
          .map((r) => `${r.channel}:${r.person_id}`)
          .sort(),
        'every reader still gets one',
      );
      assert.equal(rows.filter((r) => r.status === 'skipped').length, 5, 'two of the first time, three of the second');
      assert.equal(new Set(rows.map((r) => r.dedupe_key)).size, rows.length);
    });

    test('cancelled: the reminder and the follow-up are skipped at once', async () => {
      const { meetingId } = await meetingWith(inSeconds(2 * 3600));
      await cancelMeeting({ db: db(), meetingId });
      // At once, in the cancellation's transaction: not 'pending' until their due time.
      const waiting = await rowsOf(meetingId, 'reminder');
      assert.equal(waiting.length, 3);
      for (const r of waiting) {
        assert.equal(r.status, 'skipped');
        assert.equal(r.last_error, 'The meeting was cancelled.');
      }
      await deliver(inSeconds(3 * 3600));
      for (const r of await rowsOf(meetingId, 'reminder')) {
        assert.equal(r.status, 'skipped');
        assert.match(r.last_error ?? '', /cancelled/);
      }
      // Cancelled before its intro went out: the intro is skipped, and no cancellation is queued,
      // which would only tell people of a meeting they never heard of.
      for (const r of await rowsOf(meetingId, 'intro'))
        assert.deepEqual([r.status, r.last_error], ['skipped', 'The meeting was cancelled.']);
      assert.deepEqual(await rowsOf(meetingId, 'cancel'), []);

      const admin = await adminClient(get().app);
      const group = await admin.post('/api/v1/mixers/groups', {
        name: `Follow ${engine}`,
        cron: '0 10 * * MON',
        followUpDays: 2,
        reminderMinutes: 30,
      });
      assert.equal(group.status, 201, JSON.stringify(group.body));
      assert.equal(group.body.group.reminderMinutes, 30);
      for (const name of ['fa', 'fb']) {
        const id = await insertPerson(db(), { username: `${engine}${name}`, name });
        await (await clientFor(get().app, db(), id)).post(`/api/v1/mixers/groups/${group.body.group.id}/join`);
      }
      const round = await runRound({
        db: db(),
        groupId: group.body.group.id,
        scheduledFor: new Date(),
        titlePattern: managerPattern('Manager'),
      });
      const [mixer] = await db().selectFrom('meetings').selectAll().where('round_id', '=', round.roundId).execute();
      assert.ok(mixer);
      assert.equal(mixer.reminder_minutes, 30, 'copied from the group');
      assert.equal((await rowsOf(mixer.id, 'follow_up')).length, 3);
      await cancelMeeting({ db: db(), meetingId: mixer.id });
      const now = await rowsOf(mixer.id, 'follow_up');
      assert.ok(now.every((r) => r.status === 'skipped' && r.last_error === 'The meeting was cancelled.'));
      await deliver(inSeconds(3 * 86_400));
      const followUps = await rowsOf(mixer.id, 'follow_up');
      assert.ok(followUps.every((r) => r.status === 'skipped' && /cancelled/.test(r.last_error ?? '')));
    });
  },
  {
    publicUrl: 'https://convene.example.org',
    'notifications.email.smtpUrl': smtp.url,
    'notifications.email.from': 'Convene <convene@example.org>',
    'notifications.slack.token': slack.token,
    'notifications.slack.apiUrl': slack.url,
  },
);
