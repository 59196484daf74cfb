import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cancelByExternalId, upsertExternalMeeting } from '../src/features/meetings/external.js';
import { sourceOrigin } from '../src/features/meetings/settings.js';
import { auditActionsOf } from './helpers/audit.js';
import { deliverOutbox, notificationRows, startForFile, testOutboxOptions } from './helpers/outbox.js';
import { insertPerson } from './helpers/people.js';
import { TestSmtp } from './helpers/smtp.js';
import { forEachEngine } from './helpers/suite.js';

const smtp = await startForFile(new TestSmtp());
const inHours = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();

/** Who each pending or queued message of a kind is for (e-mail: one row per person). */
async function emailsFor(db: Parameters<typeof notificationRows>[0], meetingId: string, kind: string) {
  const rows = await notificationRows(db, { meetingId, channel: 'email' });
  return rows
    .filter((r) => r.kind === kind && r.status !== 'skipped')
    .map((r) => r.person_id)
    .sort();
}

forEachEngine(
  'meetings from outside: one upsert and cancel by (source, external id)',
  (get, engine) => {
    const settings = { origin: sourceOrigin('intra42'), originName: '42 evaluations', reminderMinutes: 15 };

    test('create, redelivered create, move, people added and removed, stale update, cancel', async () => {
      const db = get().ctx.database.db;
      const [ann, ben, cat] = await Promise.all(
        ['ext-ann', 'ext-ben', 'ext-cat'].map((username) => insertPerson(db, { username })),
      );
      const base = {
        source: 'intra42',
        externalId: '7001',
        title: 'Evaluation of libft',
        durationMinutes: 30,
        settings,
      };
      const first = await upsertExternalMeeting({
        db,
        meeting: { ...base, startsAt: inHours(3), participantIds: [ann!, ben!], updatedAt: '2026-01-01T10:00:00Z' },
      });
      assert.equal(first.outcome, 'created');
      const id = first.meetingId;
      // The intros go out: the changes below are news to people who heard of the meeting.
      await deliverOutbox(get, engine, { options: testOutboxOptions() });
      const meeting = await db.selectFrom('meetings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(meeting.origin, 'source:intra42');
      assert.equal(meeting.origin_name, '42 evaluations');
      assert.ok(meeting.room_name, 'a video room is given at once');
      assert.deepEqual(await emailsFor(db, id, 'intro'), [ann, ben].sort());
      assert.deepEqual(await emailsFor(db, id, 'reminder'), [ann, ben].sort());

      // The same delivery again: nothing changes, nothing more is queued.
      const before = (await notificationRows(db, { meetingId: id })).length;
      const again = await upsertExternalMeeting({
        db,
        meeting: {
          ...base,
          startsAt: meeting.starts_at,
          participantIds: [ben!, ann!],
          updatedAt: '2026-01-01T10:00:00Z',
        },
      });
      assert.equal(again.outcome, 'unchanged');
      assert.equal((await notificationRows(db, { meetingId: id })).length, before);

      // Moved: everyone hears "rescheduled", the old reminders are skipped, new ones armed.
      const moved = await upsertExternalMeeting({
        db,
        meeting: { ...base, startsAt: inHours(5), participantIds: [ann!, ben!], updatedAt: '2026-01-01T11:00:00Z' },
      });
      assert.equal(moved.outcome, 'updated');
      assert.deepEqual(await emailsFor(db, id, 'rescheduled'), [ann, ben].sort());
      const reminders = (await notificationRows(db, { meetingId: id, channel: 'email', kinds: ['reminder'] })).filter(
        (r) => r.status === 'pending',
      );
      assert.equal(reminders.length, 2);
      const startsAt = (
        await db.selectFrom('meetings').select('starts_at').where('id', '=', id).executeTakeFirstOrThrow()
      ).starts_at as string;
      for (const r of reminders) {
        assert.equal(r.next_attempt_at, new Date(Date.parse(startsAt) - 15 * 60_000).toISOString());
      }

      // Ben leaves, Cat joins: Ben is told it is off for him, Cat gets the intro, Ann only a new reminder.
      const swapped = await upsertExternalMeeting({
        db,
        meeting: { ...base, startsAt, participantIds: [ann!, cat!], updatedAt: '2026-01-01T12:00:00Z' },
      });
      assert.deepEqual(swapped.outcome === 'updated' && [swapped.added, swapped.removed], [[cat], [ben]]);
      assert.deepEqual(await emailsFor(db, id, 'cancel'), [ben]);
      assert.deepEqual(await emailsFor(db, id, 'intro'), [ann, ben, cat].sort());
      assert.deepEqual(
        await emailsFor(db, id, 'rescheduled'),
        [ann, ben].sort(),
        'no "rescheduled" for a same-time change',
      );
      const pendingReminders = (await notificationRows(db, { meetingId: id, channel: 'email', kinds: ['reminder'] }))
        .filter((r) => r.status === 'pending')
        .map((r) => r.person_id)
        .sort();
      assert.deepEqual(pendingReminders, [ann, cat].sort(), 'Ben has no reminder left; Ann and Cat each one');
      const people = await db
        .selectFrom('meeting_participants')
        .select('person_id')
        .where('meeting_id', '=', id)
        .execute();
      assert.deepEqual(people.map((p: { person_id: string }) => p.person_id).sort(), [ann, cat].sort());

      // An older update arriving late changes nothing.
      const stale = await upsertExternalMeeting({
        db,
        meeting: { ...base, startsAt: inHours(9), participantIds: [ben!], updatedAt: '2026-01-01T11:30:00Z' },
      });
      assert.equal(stale.outcome, 'stale');
      const after = await db.selectFrom('meetings').select('starts_at').where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(after.starts_at, startsAt);

      // Cancel: once; again and for an unknown id, nothing happens. The intros went out first: a
      // cancellation tells the people one reached.
      await deliverOutbox(get, engine, { options: testOutboxOptions() });
      assert.deepEqual(await cancelByExternalId({ db, source: 'intra42', externalId: '7001' }), {
        meetingId: id,
        cancelled: true,
      });
      assert.deepEqual(await emailsFor(db, id, 'cancel'), [ann, ben, cat].sort());
      assert.equal((await cancelByExternalId({ db, source: 'intra42', externalId: '7001' })).cancelled, false);
      assert.deepEqual(await cancelByExternalId({ db, source: 'intra42', externalId: 'nope' }), {
        meetingId: null,
        cancelled: false,
      });
      const waiting = (await notificationRows(db, { meetingId: id, kinds: ['reminder'] })).filter(
        (r) => r.status === 'pending',
      );
      assert.equal(waiting.length, 0, 'a cancelled meeting keeps no reminder');

      // Created again after a cancel: a new meeting under the same key; the old one keeps its history.
      const revived = await upsertExternalMeeting({
        db,
        meeting: { ...base, startsAt: inHours(7), participantIds: [ann!], updatedAt: '2026-01-02T10:00:00Z' },
      });
      assert.equal(revived.outcome, 'created');
      assert.notEqual(revived.meetingId, id);
      const old = await db.selectFrom('meetings').select('status').where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(old.status, 'cancelled');
    });

    test('cancelled before its intros went out: they are dropped, and nobody is sent a cancellation', async () => {
      const db = get().ctx.database.db;
      const [hal, ida] = await Promise.all(['ext-hal', 'ext-ida'].map((username) => insertPerson(db, { username })));
      const made = await upsertExternalMeeting({
        db,
        meeting: {
          source: 'intra42',
          externalId: '7004',
          title: 'Evaluation: minishell',
          startsAt: inHours(3),
          participantIds: [hal!, ida!],
          settings,
        },
      });
      assert.equal((await cancelByExternalId({ db, source: 'intra42', externalId: '7004' })).cancelled, true);
      const rows = await notificationRows(db, { meetingId: made.meetingId, channel: 'email' });
      assert.deepEqual(
        rows.filter((r) => r.kind === 'cancel'),
        [],
        'no cancellation of a meeting nobody heard of',
      );
      const intros = rows.filter((r) => r.kind === 'intro');
      assert.equal(intros.length, 2);
      for (const r of intros) {
        assert.equal(r.status, 'skipped');
        assert.equal(r.last_error, 'The meeting was cancelled.');
      }
      smtp.mails.length = 0;
      await deliverOutbox(get, engine, { options: testOutboxOptions() });
      assert.deepEqual(
        smtp.mails.filter((m) => /ext-(hal|ida)/.test(JSON.stringify(m.to))),
        [],
        'nothing reaches them',
      );
    });

    test('changed before its intros went out: each person gets one intro, of the meeting as it is now; one removed meanwhile gets nothing', async () => {
      const db = get().ctx.database.db;
      const [ola, pia, quy] = await Promise.all(
        ['ext-ola', 'ext-pia', 'ext-quy'].map((username) => insertPerson(db, { username })),
      );
      const meeting = (startsAt: string, participantIds: string[], updatedAt: string) => ({
        source: 'hr-tool',
        externalId: 'repro-1',
        title: 'Repro one',
        startsAt,
        participantIds,
        updatedAt,
        settings,
      });
      const first = inHours(20);
      const later = inHours(22);
      await upsertExternalMeeting({ db, meeting: meeting(first, [ola!, pia!], '2026-01-01T09:00:00Z') });
      const moved = await upsertExternalMeeting({
        db,
        meeting: meeting(later, [ola!, quy!], '2026-01-01T10:00:00Z'),
      });
      assert.equal(moved.outcome, 'updated');
      smtp.mails.length = 0;
      await deliverOutbox(get, engine, { options: testOutboxOptions() });
      const mine = (username: string) => smtp.mails.filter((m) => JSON.stringify(m.to).includes(username));
      assert.deepEqual(
        mine('ext-ola').map((m) => m.subject?.split(':')[0]),
        ['New meeting'],
        'one intro, no "Rescheduled" of a time she never heard of',
      );
      const intro = mine('ext-ola')[0];
      assert.doesNotMatch(intro?.text ?? '', /ext-pia/i, 'not the person removed meanwhile');
      assert.match(intro?.text ?? '', /ext-quy/i);
      assert.deepEqual(
        mine('ext-quy').map((m) => m.subject?.split(':')[0]),
        ['New meeting'],
      );
      assert.deepEqual(mine('ext-pia'), [], 'removed before hearing of it: told nothing');
      const ics = (intro?.attachments ?? []).map((a) => a.content.toString()).join('');
      const stamp = later.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
      assert.match(ics, new RegExp(`DTSTART:${stamp}`), 'the invitation has the new time');
    });

    test('a new title alone is an update: nobody is told, and the waiting reminders carry the new title', async () => {
      const db = get().ctx.database.db;
      const [fay, gus] = await Promise.all(['ext-fay', 'ext-gus'].map((username) => insertPerson(db, { username })));
      const base = {
        source: 'intra42',
        externalId: '7003',
        startsAt: inHours(4),
        participantIds: [fay!, gus!],
        settings,
      };
      const made = await upsertExternalMeeting({ db, meeting: { ...base, title: 'Evaluation: push_swap' } });
      const id = made.meetingId;
      await deliverOutbox(get, engine, { options: testOutboxOptions() });
      const renamed = await upsertExternalMeeting({ db, meeting: { ...base, title: 'Evaluation: push_swap_v2' } });
      assert.equal(renamed.outcome, 'updated');
      const rows = await notificationRows(db, { meetingId: id, channel: 'email' });
      const title = (r: { payload: string }) => (JSON.parse(r.payload) as { meeting: { title: string } }).meeting.title;
      const pending = rows.filter((r) => r.kind === 'reminder' && r.status === 'pending');
      assert.deepEqual(pending.map((r) => r.person_id).sort(), [fay, gus].sort(), 'one reminder each, no more');
      assert.deepEqual(new Set(pending.map(title)), new Set(['Evaluation: push_swap_v2']));
      assert.deepEqual(
        rows.filter((r) => r.kind !== 'reminder').map((r) => r.kind),
        ['intro', 'intro'],
        'no notice for a new title',
      );
      assert.deepEqual(await auditActionsOf(db, id), ['meeting.create', 'meeting.update']);
    });

    test('a meeting whose time has passed is stored but nobody is told', async () => {
      const db = get().ctx.database.db;
      const dan = await insertPerson(db, { username: 'ext-dan' });
      const past = await upsertExternalMeeting({
        db,
        meeting: {
          source: 'intra42',
          externalId: '7002',
          title: 'Past evaluation',
          startsAt: inHours(-2),
          participantIds: [dan],
          settings,
        },
      });
      assert.deepEqual(past.outcome === 'created' && past.announced, false);
      assert.equal((await notificationRows(db, { meetingId: past.meetingId })).length, 0);
    });

    test('the same id from two sources is two meetings; no participants is a 400 naming the field', async () => {
      const db = get().ctx.database.db;
      const eve = await insertPerson(db, { username: 'ext-eve' });
      const draft = { externalId: 'same', title: 'Sync', startsAt: inHours(4), participantIds: [eve], settings };
      const a = await upsertExternalMeeting({ db, meeting: { ...draft, source: 'intra42' } });
      const b = await upsertExternalMeeting({ db, meeting: { ...draft, source: 'hr-tool' } });
      assert.notEqual(a.meetingId, b.meetingId);
      await assert.rejects(
        upsertExternalMeeting({ db, meeting: { ...draft, source: 'intra42', externalId: 'none', participantIds: [] } }),
        (error: { status?: number; field?: string }) => error.status === 400 && error.field === 'participants',
      );
    });
  },
  {
    'notifications.email.smtpUrl': smtp.url,
    'notifications.email.from': 'Convene <convene@example.org>',
  },
);
