import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cancelByExternalId, upsertExternalMeeting } from '../src/features/meetings/external.js';
import { createMeeting } from '../src/features/meetings/service.js';
import { deliverOutbox, startForFile, testOutboxOptions } from './helpers/outbox.js';
import { clientFor, insertPerson } from './helpers/people.js';
import { adminClient } from './helpers/server.js';
import { TestSmtp } from './helpers/smtp.js';
import { forEachEngine } from './helpers/suite.js';

const smtp = await startForFile(new TestSmtp());

const options = testOutboxOptions({ concurrency: 4 });
const inHours = (hours: number) => new Date(Date.now() + hours * 3600_000).toISOString();
const sequenceOf = (ics: string) => Number(/SEQUENCE:(\d+)/.exec(ics)?.[1]);

forEachEngine(
  'the meetings API',
  (get, engine) => {
    const db = () => get().ctx.database.db;
    const deliver = () => deliverOutbox(get, engine, { options });
    // Messages sent stay: who has heard of a meeting decides whether a change is news to them.
    const reset = async () => {
      smtp.mails.length = 0;
      await db().deleteFrom('notifications').where('status', '!=', 'sent').execute();
    };
    const person = (name: string) =>
      insertPerson(db(), { username: `${engine}-${name}`, name, title: 'Engineer', team: 'Platform' });
    const as = (id: string) => clientFor(get().app, db(), id);

    let ann: string;
    let ben: string;
    let outsider: string;
    let assistant: string;
    let meetingId: string;

    test('only participants, their assistants and admins see a meeting; members see only the address of a fellow participant no chat reaches', async () => {
      ann = await person('Ann');
      ben = await person('Ben');
      outsider = await person('Oscar');
      assistant = await person('Asha');
      await db().updateTable('people').set({ assistant_id: assistant }).where('id', '=', ann).execute();
      ({ meetingId } = await createMeeting({ db: db(), title: 'Coffee: Ann and Ben', participantIds: [ann, ben] }));

      const stranger = await (await as(outsider)).get(`/api/v1/meetings/${meetingId}`);
      assert.equal(stranger.status, 404);
      assert.deepEqual(
        stranger.body,
        (await (await as(outsider)).get('/api/v1/meetings/no-such-meeting')).body,
        'a meeting one may not see looks like one that does not exist',
      );

      const mine = await (await as(ann)).get(`/api/v1/meetings/${meetingId}`);
      assert.equal(mine.status, 200, JSON.stringify(mine.body));
      assert.equal(mine.body.meeting.access, 'participant');
      assert.deepEqual(mine.body.meeting.participants.map((p: { name: string }) => p.name).sort(), ['Ann', 'Ben']);
      assert.equal(mine.body.meeting.participants.find((p: { isYou: boolean }) => p.isYou).name, 'Ann');
      assert.match(mine.body.meeting.joinUrl, /^https:\/\/meet\.jit\.si\/convene-coffee-ann-and-ben-[a-z2-7]{24}$/);
      assert.equal(mine.body.meeting.status, 'scheduled');
      assert.equal(mine.body.meeting.feedback, null);
      // No chat channel reaches Ben (none is on): his address is how Ann writes to him. Never her own,
      // never the admin-only field, never anyone's in lists.
      const people = mine.body.meeting.participants as Array<{ name: string; contactEmail: string | null }>;
      assert.equal(people.find((p) => p.name === 'Ben')?.contactEmail, `${engine}-Ben@example.org`);
      assert.equal(people.find((p) => p.name === 'Ann')?.contactEmail, null);
      assert.doesNotMatch(JSON.stringify(mine.body), /"email"|Ann@example\.org/);

      const helper = await (await as(assistant)).get(`/api/v1/meetings/${meetingId}`);
      assert.equal(helper.status, 200);
      assert.equal(helper.body.meeting.access, 'assistant');

      const admin = await adminClient(get().app);
      const seen = await admin.get(`/api/v1/meetings/${meetingId}`);
      assert.equal(seen.status, 200);
      assert.equal(seen.body.meeting.access, 'admin');
      assert.match(JSON.stringify(seen.body), new RegExp(`${engine}-Ann@example\\.org`));

      const list = await (await as(ben)).get('/api/v1/meetings');
      assert.equal(list.status, 200);
      const listed = list.body.meetings.find((m: { id: string }) => m.id === meetingId);
      assert.deepEqual(
        listed.participants.map((p: { name: string }) => p.name),
        ['Ann'],
        'the list shows the others',
      );
      assert.doesNotMatch(JSON.stringify(list.body), /@example\.org|"email"/);
      assert.equal((await (await as(outsider)).get('/api/v1/meetings')).body.total, 0);
    });

    test('upcoming holds what is still ahead (or under way, or untimed); past holds the rest', async () => {
      const cyd = await person('Cyd');
      const make = async (title: string, startsAt: string | null, status = 'scheduled') => {
        const { meetingId: id } = await createMeeting({ db: db(), title, participantIds: [cyd, ben] });
        await db()
          .updateTable('meetings')
          .set({ starts_at: startsAt, duration_minutes: 30, status: status as 'scheduled' })
          .where('id', '=', id)
          .execute();
        return id;
      };
      await make('untimed', null);
      await make('tomorrow', inHours(24));
      await make('under way', inHours(-0.25));
      await make('last week', inHours(-24 * 7));
      await make('called off', inHours(48), 'cancelled');
      await make('met', inHours(-1), 'done');
      const client = await as(cyd);
      const upcoming = await client.get('/api/v1/meetings?when=upcoming');
      assert.deepEqual(
        upcoming.body.meetings.map((m: { title: string }) => m.title),
        ['untimed', 'under way', 'tomorrow'],
      );
      const past = await client.get('/api/v1/meetings?when=past');
      assert.deepEqual(
        past.body.meetings.map((m: { title: string }) => m.title),
        ['called off', 'met', 'last week'],
      );
      assert.equal(past.body.total, 3);
      assert.equal((await client.get('/api/v1/meetings?when=past&page=2')).body.meetings.length, 0);
    });

    test('setting the time tells everyone ("Time set"); moving it again says "Rescheduled", with a newer ICS', async () => {
      // The intros went out: the time set is news to people who heard of the meeting.
      await deliver();
      await reset();
      const client = await as(ann);
      assert.equal((await client.get(`/api/v1/meetings/${meetingId}/calendar.ics`)).status, 404, 'no time yet');
      const first = inHours(30);
      const set = await client.patch(`/api/v1/meetings/${meetingId}`, { startsAt: first, durationMinutes: 45 });
      assert.equal(set.status, 200, JSON.stringify(set.body));
      assert.equal(set.body.meeting.startsAt, first);
      assert.equal(set.body.meeting.durationMinutes, 45);
      assert.equal(set.body.meeting.status, 'scheduled', 'a first time is not a reschedule');
      // Reminders and follow-ups for the new time are queued too, for later.
      const queued = await db()
        .selectFrom('notifications')
        .selectAll()
        .where('kind', '=', 'rescheduled')
        .where('status', '=', 'pending')
        .execute();
      assert.equal(queued.length, 2);
      assert.equal((await deliver()).sent, 2);
      assert.equal(smtp.mails.length, 2);
      assert.match(smtp.mails[0]?.subject ?? '', /^Time set: Coffee: Ann and Ben/);
      const firstIcs = smtp.mails[0]?.attachments[0]?.content.toString() ?? '';
      assert.match(firstIcs, /METHOD:REQUEST/);

      const download = await client.get(`/api/v1/meetings/${meetingId}/calendar.ics`);
      assert.equal(download.status, 200);
      assert.match(String(download.headers['content-type']), /text\/calendar/);
      assert.match(String(download.body), new RegExp(`UID:${meetingId}@`));
      assert.equal(sequenceOf(String(download.body)), sequenceOf(firstIcs), 'the download is the same event');
      assert.doesNotMatch(String(download.body), new RegExp(`${engine}-Ben@`), 'no one else’s address');

      await reset();
      const second = inHours(50);
      const moved = await (await as(ben)).patch(`/api/v1/meetings/${meetingId}`, { startsAt: second });
      assert.equal(moved.status, 200);
      assert.equal(moved.body.meeting.status, 'rescheduled');
      assert.equal(moved.body.meeting.durationMinutes, 45, 'the duration stays');
      assert.ok(moved.body.meeting.updatedAt > set.body.meeting.updatedAt);
      await deliver();
      assert.equal(smtp.mails.length, 2);
      assert.match(smtp.mails[0]?.subject ?? '', /^Rescheduled: Coffee: Ann and Ben/);
      const secondIcs = smtp.mails[0]?.attachments[0]?.content.toString() ?? '';
      assert.ok(sequenceOf(secondIcs) > sequenceOf(firstIcs), `${sequenceOf(secondIcs)} > ${sequenceOf(firstIcs)}`);
      const stamp = second.replace(/[-:]/g, '').replace(/\.\d{3}/, '');
      assert.match(secondIcs, new RegExp(`DTSTART:${stamp}`));

      await reset();
      const same = await client.patch(`/api/v1/meetings/${meetingId}`, { startsAt: second });
      assert.equal(same.status, 200);
      const queuedAgain = await db()
        .selectFrom('notifications')
        .selectAll()
        .where('kind', '=', 'rescheduled')
        .where('status', '=', 'pending')
        .execute();
      assert.equal(queuedAgain.length, 0, 'no change, no message');
      const audit = await db()
        .selectFrom('audit_log')
        .select('action')
        .where('subject_id', '=', meetingId)
        .where('action', '=', 'meeting.reschedule')
        .execute();
      assert.equal(audit.length, 2);
    });

    test('concurrent changes of one meeting each count: every one queued with its own, increasing sequence', async () => {
      await reset();
      const [a, b] = [await as(ann), await as(ben)];
      const times = [1, 2, 3, 4, 5, 6].map((n) => inHours(100 + n));
      const answers = await Promise.all(
        times.map((startsAt, i) => (i % 2 ? a : b).patch(`/api/v1/meetings/${meetingId}`, { startsAt })),
      );
      assert.deepEqual(
        answers.map((r) => r.status),
        times.map(() => 200),
      );
      const rows = await db()
        .selectFrom('notifications')
        .select(['payload', 'person_id'])
        .where('person_id', '=', ann)
        .where('kind', '=', 'rescheduled')
        .where('status', '=', 'pending')
        .execute();
      assert.equal(rows.length, times.length, 'one message per change for Ann');
      const sequences = rows.map((row) => JSON.parse(row.payload).meeting.sequence as number);
      assert.equal(new Set(sequences).size, times.length, 'no two changes share a sequence');
      const stored = await db()
        .selectFrom('meetings')
        .selectAll()
        .where('id', '=', meetingId)
        .executeTakeFirstOrThrow();
      assert.equal(Math.floor(Date.parse(stored.updated_at) / 1000), Math.max(...sequences), 'the last change wins');
      const last = rows.find((row) => JSON.parse(row.payload).meeting.sequence === Math.max(...sequences));
      assert.equal(JSON.parse(last?.payload ?? '{}').meeting.startsAt, stored.starts_at);
    });

    test('refusals: a past time, a stranger, a cancelled meeting', async () => {
      const client = await as(ann);
      const past = await client.patch(`/api/v1/meetings/${meetingId}`, { startsAt: inHours(-2) });
      assert.equal(past.status, 400);
      assert.equal(past.body.error.field, 'startsAt');
      assert.match(past.body.error.message, /startsAt.*future/);
      const stranger = await (await as(outsider)).patch(`/api/v1/meetings/${meetingId}`, { startsAt: inHours(9) });
      assert.equal(stranger.status, 404);
      assert.equal((await (await as(outsider)).post(`/api/v1/meetings/${meetingId}/cancel`)).status, 404);
      assert.equal((await (await as(outsider)).post(`/api/v1/meetings/${meetingId}/done`)).status, 404);

      // The time set goes out first: the cancellation tells the people it reached.
      assert.equal((await client.patch(`/api/v1/meetings/${meetingId}`, { startsAt: inHours(8) })).status, 200);
      await deliver();
      smtp.mails.length = 0;
      const cancelled = await client.post(`/api/v1/meetings/${meetingId}/cancel`);
      assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
      assert.equal(cancelled.body.meeting.status, 'cancelled');
      assert.equal(cancelled.body.meeting.joinUrl, null);
      assert.equal(cancelled.body.meeting.canChange, false);
      assert.deepEqual(
        { ...cancelled.body.told, names: [...cancelled.body.told.names].sort() },
        { names: ['Ann', 'Ben'], channels: ['email'], unaware: [] },
      );
      const kinds = await db().selectFrom('notifications').select('kind').where('status', '=', 'pending').execute();
      assert.ok(kinds.length > 0 && kinds.every((row) => row.kind === 'cancel'));
      // Seen later, the page says who called it off, and when.
      const seen = (await client.get(`/api/v1/meetings/${meetingId}`)).body.meeting;
      assert.equal(seen.cancelled.by, 'Ann');
      assert.ok(Math.abs(Date.parse(seen.cancelled.at) - Date.now()) < 60_000);
      const again = await client.patch(`/api/v1/meetings/${meetingId}`, { startsAt: inHours(9) });
      assert.equal(again.status, 409);
      assert.equal((await client.post(`/api/v1/meetings/${meetingId}/cancel`)).status, 409);
      assert.equal((await client.post(`/api/v1/meetings/${meetingId}/done`)).status, 409);
      const ics = await client.get(`/api/v1/meetings/${meetingId}/calendar.ics`);
      assert.match(String(ics.body), /STATUS:CANCELLED/);
      const listed = await client.get('/api/v1/meetings?when=past');
      assert.ok(listed.body.meetings.some((m: { id: string }) => m.id === meetingId));
    });

    test('cancelled before its intros went out: nobody is sent anything, and the answer names who had heard nothing', async () => {
      await deliver();
      const { meetingId: early } = await createMeeting({
        db: db(),
        title: 'Coffee called off at once',
        participantIds: [ann, ben],
      });
      const cancelled = await (await as(ann)).post(`/api/v1/meetings/${early}/cancel`);
      assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
      assert.deepEqual(cancelled.body.told.names, []);
      assert.deepEqual([...cancelled.body.told.unaware].sort(), ['Ann', 'Ben']);
      smtp.mails.length = 0;
      await deliver();
      assert.deepEqual(
        smtp.mails.map((m) => m.subject),
        [],
        'neither the intro nor a cancellation of a meeting they never heard of',
      );
      const rows = await db()
        .selectFrom('notifications')
        .select(['kind', 'status'])
        .where('meeting_id', '=', early)
        .execute();
      assert.ok(
        rows.every((r) => r.status === 'skipped'),
        JSON.stringify(rows),
      );
    });

    test('done: a participant or an admin marks it; nobody is messaged', async () => {
      await reset();
      const { meetingId: id } = await createMeeting({ db: db(), title: 'Pairing', participantIds: [ann, ben] });
      await reset();
      const done = await (await as(ben)).post(`/api/v1/meetings/${id}/done`);
      assert.equal(done.status, 200);
      assert.equal(done.body.meeting.status, 'done');
      assert.equal(
        (await db().selectFrom('notifications').selectAll().where('status', '!=', 'sent').execute()).length,
        0,
      );
      assert.equal((await (await as(ann)).patch(`/api/v1/meetings/${id}`, { startsAt: inHours(3) })).status, 409);
      const admin = await adminClient(get().app);
      assert.equal((await admin.post(`/api/v1/meetings/${id}/done`)).status, 200, 'marking twice is harmless');
    });

    test('done: refused (409) before the start time, accepted once it has passed', async () => {
      const { meetingId: id } = await createMeeting({
        db: db(),
        title: 'Later',
        participantIds: [ann, ben],
        startsAt: inHours(2),
      });
      const early = await (await as(ann)).post(`/api/v1/meetings/${id}/done`);
      assert.equal(early.status, 409, JSON.stringify(early.body));
      assert.match(early.body.error.message, /not started yet/);
      const admin = await adminClient(get().app);
      assert.equal((await admin.post(`/api/v1/meetings/${id}/done`)).status, 409, 'admins too');
      const still = await (await as(ann)).get(`/api/v1/meetings/${id}`);
      assert.equal(still.body.meeting.status, 'scheduled');

      await db()
        .updateTable('meetings')
        .set({ starts_at: inHours(-1) })
        .where('id', '=', id)
        .execute();
      const met = await (await as(ann)).post(`/api/v1/meetings/${id}/done`);
      assert.equal(met.status, 200, JSON.stringify(met.body));
      assert.equal(met.body.meeting.status, 'done');
    });

    test('admins create meetings (intros queued) and list them by status and group', async () => {
      await reset();
      const admin = await adminClient(get().app);
      const created = await admin.post('/api/v1/admin/meetings', {
        title: 'Design review',
        participantIds: [ann, outsider],
        startsAt: inHours(72),
        durationMinutes: 60,
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(created.body.meeting.durationMinutes, 60);
      const intros = await db()
        .selectFrom('notifications')
        .select('kind')
        .where('kind', '=', 'intro')
        .where('meeting_id', '=', created.body.meeting.id)
        .execute();
      assert.equal(intros.length, 2);
      const scheduled = await admin.get('/api/v1/admin/meetings?status=scheduled');
      assert.equal(scheduled.status, 200);
      const listed = scheduled.body.meetings.find((m: { id: string }) => m.id === created.body.meeting.id);
      assert.ok(listed);
      assert.equal(listed.participants.length, 2);
      assert.ok(scheduled.body.meetings.every((m: { status: string }) => m.status === 'scheduled'));
      const cancelled = await admin.get('/api/v1/admin/meetings?status=cancelled');
      assert.ok(cancelled.body.meetings.some((m: { id: string }) => m.id === meetingId));
      assert.equal((await admin.get('/api/v1/admin/meetings?group=no-such-group')).body.total, 0);
      const member = await as(ann);
      assert.equal((await member.get('/api/v1/admin/meetings')).status, 403);
      assert.equal((await member.post('/api/v1/admin/meetings', { title: 'x', participantIds: [ann] })).status, 403);
      const mine = await member.get('/api/v1/meetings');
      assert.ok(mine.body.meetings.some((m: { title: string }) => m.title === 'Design review'));
    });

    test('admins narrow the list by source (the sources there are) and see the id each source knows a meeting by', async () => {
      const admin = await adminClient(get().app);
      const external = (source: string, externalId: string, title: string) =>
        upsertExternalMeeting({
          db: db(),
          meeting: { source, externalId, title, startsAt: inHours(48), participantIds: [ann, ben] },
        });
      const first = await external('hr-tool', 'onboarding-7', 'Onboarding buddy');
      await cancelByExternalId({ db: db(), source: 'hr-tool', externalId: 'onboarding-7' });
      // Made anew under the same id: the cancelled one gives its key up (renamed with Convene's mark).
      const again = await external('hr-tool', 'onboarding-7', 'Onboarding buddy, again');
      await external('intra42', '8675309', 'Evaluation of libft');

      const sources = await admin.get('/api/v1/admin/meetings/sources');
      assert.equal(sources.status, 200, JSON.stringify(sources.body));
      assert.deepEqual(sources.body.sources, ['hr-tool', 'intra42', 'manual']);

      const hr = await admin.get('/api/v1/admin/meetings?source=hr-tool');
      assert.equal(hr.status, 200, JSON.stringify(hr.body));
      assert.equal(hr.body.total, 2);
      const byId = (a: string[], b: string[]) => String(a[0]).localeCompare(String(b[0]));
      assert.deepEqual(
        hr.body.meetings
          .map((m: { id: string; source: string; externalId: string; status: string }) => [
            m.id,
            m.source,
            m.externalId,
            m.status,
          ])
          .sort(byId),
        [
          [again.meetingId, 'hr-tool', 'onboarding-7', 'scheduled'],
          [first.meetingId, 'hr-tool', 'onboarding-7', 'cancelled'],
        ].sort(byId),
        'the cancelled one shows the id its source gave, not the key Convene renamed',
      );
      const stored = await db()
        .selectFrom('meetings')
        .select('external_id')
        .where('id', '=', first.meetingId)
        .execute();
      assert.match(stored[0]?.external_id ?? '', /^onboarding-7:cancelled:/);
      const cancelledOnly = await admin.get('/api/v1/admin/meetings?source=hr-tool&status=cancelled');
      assert.deepEqual(
        cancelledOnly.body.meetings.map((m: { id: string }) => m.id),
        [first.meetingId],
      );
      const manual = await admin.get('/api/v1/admin/meetings?source=manual');
      assert.ok(manual.body.total > 0);
      assert.ok(manual.body.meetings.every((m: { source: string; externalId: unknown }) => m.source === 'manual'));
      assert.ok(manual.body.meetings.every((m: { externalId: unknown }) => m.externalId === null));
      assert.equal((await admin.get('/api/v1/admin/meetings?source=nobody-sends-these')).body.total, 0);

      for (const bad of ['HR Tool', '-hr', 'x'.repeat(41), '']) {
        const refused = await admin.get(`/api/v1/admin/meetings?source=${encodeURIComponent(bad)}`);
        assert.equal(refused.status, 400, `${JSON.stringify(bad)}: ${JSON.stringify(refused.body)}`);
        assert.equal(refused.body.error.field, 'source');
        assert.match(refused.body.error.message, /source.*lower-case letters/);
      }

      const member = await as(ann);
      assert.equal((await member.get('/api/v1/admin/meetings/sources')).status, 403);
      const mine = await member.get('/api/v1/meetings');
      const listed = mine.body.meetings.find((m: { id: string }) => m.id === again.meetingId);
      assert.ok(listed);
      assert.equal('externalId' in listed, false, 'members are not shown the source’s ids');
    });
  },
  {
    publicUrl: 'https://convene.example.org',
    'notifications.email.smtpUrl': smtp.url,
    'notifications.email.from': 'Convene <convene@example.org>',
  },
);
