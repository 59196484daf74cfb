import assert from 'node:assert/strict';
import { test } from 'node:test';
import { switchDueUnconferencePhases } from '../src/features/unconference/events.js';
import { loadProposalsWithInterest, loadTimetable } from '../src/features/unconference/queries.js';
import { newId } from '../src/lib/ids.js';
import { clientFor, insertPerson } from './helpers/people.js';
import { adminClient, Client } from './helpers/server.js';
import { forEachEngine } from './helpers/suite.js';

const API = '/api/v1/unconference';

forEachEngine('unconference', (get) => {
  const db = () => get().ctx.database.db;
  let admin: Client;
  let counter = 0;

  const member = async (extra: { verified?: boolean } = {}) => {
    const username = `uc${++counter}`;
    const id = await insertPerson(db(), { username });
    if (extra.verified === false) await db().updateTable('people').set({ verified: 0 }).where('id', '=', id).execute();
    return { id, username, client: await clientFor(get().app, db(), id) };
  };
  const createEvent = async (body: Record<string, unknown> = {}) => {
    admin ??= await adminClient(get().app);
    const response = await admin.post(`${API}/events`, {
      name: `Unconf ${++counter}`,
      timezone: 'Europe/Berlin',
      ...body,
    });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response.body.event as { id: string; phase: string; proposalLimit: number | null };
  };
  /** Two days of three slots (the middle one a break on day 1) and two rooms. */
  const buildTimetable = async (eventId: string) => {
    const day1 = await admin.post(`${API}/events/${eventId}/days`, { date: '2026-05-04', label: 'Monday' });
    assert.equal(day1.status, 201, JSON.stringify(day1.body));
    const day2 = await admin.post(`${API}/events/${eventId}/days`, { date: '2026-05-05' });
    const [d1, d2] = day2.body.timetable.days;
    const slots: Array<[string, string, string, boolean]> = [
      [d1.id, '09:00', '10:00', false],
      [d1.id, '10:00', '10:30', true],
      [d1.id, '10:30', '11:30', false],
      [d2.id, '09:00', '10:00', false],
    ];
    for (const [dayId, start, end, isBreak] of slots) {
      const r = await admin.post(`${API}/events/${eventId}/slots`, { dayId, start, end, isBreak });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
    await admin.post(`${API}/events/${eventId}/rooms`, { name: 'Big room', capacity: 40 });
    const last = await admin.post(`${API}/events/${eventId}/rooms`, {
      name: 'Online',
      capacity: 500,
      url: 'https://meet.example.org/x',
      isPlace: false,
    });
    assert.equal(last.status, 201, JSON.stringify(last.body));
    // biome-ignore lint/suspicious/noExplicitAny: the answer as JSON
    return last.body.timetable as any;
  };
  const propose = async (client: Client, eventId: string, title: string, extra: Record<string, unknown> = {}) => {
    const response = await client.post(`${API}/events/${eventId}/proposals`, { title, ...extra });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response.body.proposal as { id: string; title: string; status: string };
  };
  const titles = async (client: Client | null, eventId: string) => {
    const response = await (client ?? new Client(get().app)).get(`${API}/events/${eventId}/proposals`);
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return (response.body.proposals as Array<{ title: string }>).map((p) => p.title);
  };

  test('events: admins create them with a time zone, bad fields are named, members cannot, talks are not disturbed', async () => {
    admin ??= await adminClient(get().app);
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ name: '' }, 'name'],
      [{ name: 'X', timezone: 'Mars/Olympus' }, 'timezone'],
      [{ name: 'X', proposalLimit: -1 }, 'proposalLimit'],
      [{ name: 'X', websiteActive: 'yes' }, 'websiteActive'],
      [{ name: 'X', schedulingAt: 'tomorrow' }, 'schedulingAt'],
      [{ name: 'X', schedulingAt: '2026-05-02T10:00:00Z', publishAt: '2026-05-01T10:00:00Z' }, 'publishAt'],
      [{ name: 'X', colour: 'red' }, 'colour'],
    ];
    const before = await db().selectFrom('events').select('id').execute();
    for (const [body, field] of bad) {
      const response = await admin.post(`${API}/events`, body);
      assert.equal(response.status, 400, `${JSON.stringify(body)} → ${JSON.stringify(response.body)}`);
      assert.match(JSON.stringify(response.body.error), new RegExp(field), JSON.stringify(body));
    }
    assert.equal((await db().selectFrom('events').select('id').execute()).length, before.length, 'nothing half-saved');

    const { client } = await member();
    assert.equal((await client.post(`${API}/events`, { name: 'Mine' })).status, 403);

    const event = await createEvent({ description: '**Bring** ideas <script>alert(1)</script>' });
    assert.equal(event.phase, 'proposals');
    const detail = await client.get(`${API}/events/${event.id}`);
    assert.equal(detail.status, 200);
    assert.match(detail.body.event.descriptionHtml, /<strong>Bring<\/strong>/);
    assert.doesNotMatch(detail.body.event.descriptionHtml, /<script/);
    assert.equal(detail.body.event.timezone, 'Europe/Berlin');
    assert.equal(detail.body.viewer.canPropose, true);

    // Talks see only talks; the unconference list only unconferences.
    const talk = await admin.post('/api/v1/talks/events', { name: 'Lightning' });
    assert.equal(talk.status, 201);
    const talksList = (await client.get('/api/v1/talks/events')).body.events as Array<{ id: string }>;
    assert.ok(talksList.some((e) => e.id === talk.body.event.id));
    assert.ok(!talksList.some((e) => e.id === event.id));
    assert.equal((await client.get(`/api/v1/talks/events/${event.id}`)).status, 404);
    assert.equal((await client.get(`${API}/events/${talk.body.event.id}`)).status, 404);
    const list = (await client.get(`${API}/events`)).body.events as Array<{ id: string }>;
    assert.ok(list.some((e) => e.id === event.id));

    // Switched off: gone for members, still there for admins.
    await admin.patch(`${API}/events/${event.id}`, { websiteActive: false });
    assert.equal((await client.get(`${API}/events/${event.id}`)).status, 404);
    assert.ok(
      !((await client.get(`${API}/events`)).body.events as Array<{ id: string }>).some((e) => e.id === event.id),
    );
    assert.equal((await admin.get(`${API}/events/${event.id}`)).status, 200);
  });

  test('phases: the admin moves them, set times move them by themselves, each move once', async () => {
    const event = await createEvent();
    const moved = await admin.post(`${API}/events/${event.id}/phase`, { phase: 'scheduling' });
    assert.equal(moved.status, 200);
    assert.equal(moved.body.event.phase, 'scheduling');
    assert.equal((await admin.post(`${API}/events/${event.id}/phase`, { phase: 'later' })).body.error.field, 'phase');
    await admin.post(`${API}/events/${event.id}/phase`, { phase: 'proposals' });

    const soon = new Date(Date.now() + 60_000).toISOString();
    const r = await admin.patch(`${API}/events/${event.id}`, { schedulingAt: soon });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(await switchDueUnconferencePhases({ db: db() }), 0);
    const later = new Date(Date.now() + 120_000);
    const results = await Promise.all([1, 2, 3].map(() => switchDueUnconferencePhases({ db: db(), now: later })));
    assert.equal(
      results.reduce((a, b) => a + b, 0),
      1,
    );
    const row = await db().selectFrom('events').select('phase').where('id', '=', event.id).executeTakeFirstOrThrow();
    assert.equal(row.phase, 'scheduling');
    // The history names each move once: the admin's two and the timed one the job wrote (two moves
    // can share a millisecond, so compared without their order).
    const moves = await db()
      .selectFrom('audit_log')
      .select(['data', 'actor_id'])
      .where('action', '=', 'event.phase')
      .where('subject_id', '=', event.id)
      .execute();
    const told = (m: { data: string | null; actor_id: string | null }) =>
      JSON.stringify({ by: m.actor_id === null ? 'job' : 'admin', ...JSON.parse(m.data ?? '{}') });
    assert.deepEqual(
      moves.map(told).sort(),
      [
        JSON.stringify({ by: 'admin', kind: 'unconference', from: 'proposals', to: 'scheduling' }),
        JSON.stringify({ by: 'admin', kind: 'unconference', from: 'scheduling', to: 'proposals' }),
        JSON.stringify({ by: 'job', kind: 'unconference', from: 'proposals', to: 'scheduling', timed: true }),
      ].sort(),
    );
    // Talks events are never touched by the unconference job.
    const talk = await db().selectFrom('events').select(['phase']).where('kind', '=', 'talks').execute();
    assert.ok(talk.every((t) => ['proposals', 'voting', 'closed'].includes(t.phase)));
  });

  test('timetable: days, slots and rooms; overlaps and bad times refused naming the field; held slots and rooms cannot go', async () => {
    const event = await createEvent();
    const timetable = await buildTimetable(event.id);
    assert.equal(timetable.days.length, 2);
    const [day1, day2] = timetable.days;
    assert.deepEqual(
      day1.slots.map((s: any) => `${s.start}-${s.end}${s.isBreak ? ' break' : ''}`),
      ['09:00-10:00', '10:00-10:30 break', '10:30-11:30'],
    );
    // 09:00 in Berlin in May is 07:00 UTC.
    assert.equal(day1.slots[0].startsAt, '2026-05-04T07:00:00.000Z');
    assert.equal(timetable.rooms[1].isPlace, false);

    const refusals: Array<[string, string, Record<string, unknown>, number, string]> = [
      ['POST', `${API}/events/${event.id}/slots`, { dayId: day1.id, start: '09:30', end: '10:15' }, 409, 'start'],
      ['POST', `${API}/events/${event.id}/slots`, { dayId: day1.id, start: '12:00', end: '11:59' }, 400, 'end'],
      ['POST', `${API}/events/${event.id}/slots`, { dayId: day1.id, start: '25:00', end: '26:00' }, 400, 'start'],
      ['POST', `${API}/events/${event.id}/slots`, { dayId: 'nope', start: '12:00', end: '13:00' }, 400, 'dayId'],
      ['POST', `${API}/events/${event.id}/days`, { date: '2026-02-30' }, 400, 'date'],
      ['POST', `${API}/events/${event.id}/days`, { date: '2026-05-04' }, 409, 'date'],
      ['POST', `${API}/events/${event.id}/rooms`, { name: 'big  ROOM', capacity: 3 }, 409, 'name'],
      ['POST', `${API}/events/${event.id}/rooms`, { name: 'Tiny', capacity: 0 }, 400, 'capacity'],
      [
        'POST',
        `${API}/events/${event.id}/rooms`,
        { name: 'Link', capacity: 3, url: 'javascript:alert(1)' },
        400,
        'url',
      ],
      ['PATCH', `/api/v1/unconference/slots/${day1.slots[2].id}`, { start: '09:45' }, 409, 'start'],
    ];
    for (const [method, url, body, status, field] of refusals) {
      const response = await admin.request(method as 'POST', url, body);
      assert.equal(response.status, status, `${url} ${JSON.stringify(body)} → ${JSON.stringify(response.body)}`);
      assert.equal(response.body.error.field, field, JSON.stringify(response.body));
    }
    const after = await loadTimetable(db(), event.id);
    assert.equal(after.slots.length, 4, 'nothing half-saved');
    assert.equal(after.rooms.length, 2);

    // A proposal placed in a slot and room: neither can be removed, and the message says why.
    const proposal = await propose(admin, event.id, 'Held session');
    await db()
      .insertInto('unconf_assignments')
      .values({
        proposal_id: proposal.id,
        event_id: event.id,
        slot_id: day1.slots[0].id,
        room_id: timetable.rooms[0].id,
      })
      .execute();
    const slotGone = await admin.request('DELETE', `${API}/slots/${day1.slots[0].id}`);
    assert.equal(slotGone.status, 409);
    assert.match(slotGone.body.error.message, /holds sessions \(1 in the working schedule\)/);
    const roomGone = await admin.request('DELETE', `${API}/rooms/${timetable.rooms[0].id}`);
    assert.equal(roomGone.status, 409);
    assert.match(roomGone.body.error.message, /Big room/);
    assert.equal((await admin.request('DELETE', `${API}/days/${day1.id}`)).status, 409);
    assert.equal(
      (await admin.patch(`${API}/slots/${day1.slots[0].id}`, { isBreak: true })).body.error.field,
      'isBreak',
    );
    // A published version holding the other room counts too.
    const versionId = newId();
    await db()
      .insertInto('unconf_versions')
      .values({
        id: versionId,
        event_id: event.id,
        number: 1,
        published_at: new Date().toISOString(),
        published_by: null,
        score: null,
        note: '',
      })
      .execute();
    await db()
      .insertInto('unconf_version_sessions')
      .values({
        version_id: versionId,
        proposal_id: proposal.id,
        title: 'Held session',
        slot_id: day2.slots[0].id,
        room_id: timetable.rooms[1].id,
        room_name: 'Online',
        starts_at: day2.slots[0].startsAt,
        ends_at: day2.slots[0].startsAt,
        meeting_id: null,
      })
      .execute();
    const published = await admin.request('DELETE', `${API}/rooms/${timetable.rooms[1].id}`);
    assert.equal(published.status, 409);
    assert.match(published.body.error.message, /1 in a published version/);
    // A free slot goes.
    const free = await admin.request('DELETE', `${API}/slots/${day1.slots[2].id}`);
    assert.equal(free.status, 200, JSON.stringify(free.body));
    assert.equal(free.body.timetable.days[0].slots.length, 2);

    // Moving a day keeps its slots' times of day.
    const moved = await admin.patch(`${API}/days/${day2.id}`, { date: '2026-05-06', label: 'Wednesday' });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    const movedDay = moved.body.timetable.days[1];
    assert.equal(movedDay.slots[0].start, '09:00');
    assert.equal(movedDay.slots[0].startsAt, '2026-05-06T07:00:00.000Z');
  });

  test('timetable file: export and import round-trip keeping ids; a bad or conflicting file changes nothing', async () => {
    const event = await createEvent();
    const timetable = await buildTimetable(event.id);
    const exported = await admin.get(`${API}/events/${event.id}/timetable.json`);
    assert.equal(exported.status, 200);
    assert.equal(exported.body.timezone, 'Europe/Berlin');
    assert.deepEqual(exported.body.rooms[1], {
      name: 'Online',
      capacity: 500,
      url: 'https://meet.example.org/x',
      place: false,
    });
    assert.equal(exported.body.days[0].slots[1].break, true);

    const file = structuredClone(exported.body);
    file.days[1].slots.push({ start: '10:00', end: '11:00', break: false, label: 'Late' });
    file.rooms.push({ name: 'Garden', capacity: 10, url: null, place: true });
    const imported = await admin.put(`${API}/events/${event.id}/timetable`, file);
    assert.equal(imported.status, 200, JSON.stringify(imported.body));
    assert.equal(imported.body.slots, 5);
    assert.equal(imported.body.removed, 0);
    const ids = (t: typeof timetable) => t.days.flatMap((d: any) => d.slots.map((s: any) => s.id));
    assert.deepEqual(ids(imported.body.timetable).slice(0, 4), ids(timetable), 'kept slots keep their ids');

    const snapshot = JSON.stringify(await loadTimetable(db(), event.id));
    const badFiles: Array<[unknown, string]> = [
      [{ ...file, days: [{ date: 'someday', slots: [] }] }, 'days[0].date'],
      [{ ...file, days: [{ date: '2026-05-04', slots: [{ start: '09:00', end: '08:00' }] }] }, 'days[0].slots[0].end'],
      [
        {
          ...file,
          days: [
            {
              date: '2026-05-04',
              slots: [
                { start: '09:00', end: '10:00' },
                { start: '09:30', end: '11:00' },
              ],
            },
          ],
        },
        'days[0].slots[1].start',
      ],
      [{ ...file, days: [file.days[0], file.days[0]] }, 'days[1].date'],
      [
        {
          ...file,
          rooms: [
            { name: 'A', capacity: 1 },
            { name: 'a', capacity: 2 },
          ],
        },
        'rooms[1].name',
      ],
      [{ ...file, rooms: [{ name: 'A', capacity: 'many' }] }, 'rooms[0].capacity'],
      [{ ...file, timezone: 'Nowhere/Town' }, 'timezone'],
    ];
    for (const [body, field] of badFiles) {
      const response = await admin.put(`${API}/events/${event.id}/timetable`, body);
      assert.equal(response.status, 400, `${field}: ${JSON.stringify(response.body)}`);
      assert.match(
        response.body.error.message,
        new RegExp(field.replace(/[.[\]]/g, '\\$&')),
        JSON.stringify(response.body),
      );
    }
    assert.equal(JSON.stringify(await loadTimetable(db(), event.id)), snapshot, 'a refused file changes nothing');
    // Leaving out a room that holds a session: refused, nothing changed.
    const proposal = await propose(admin, event.id, 'Placed');
    const tt = await loadTimetable(db(), event.id);
    const garden = tt.rooms.find((r) => r.name === 'Garden');
    assert.ok(garden);
    await db()
      .insertInto('unconf_assignments')
      .values({ proposal_id: proposal.id, event_id: event.id, slot_id: tt.slots[0]!.id, room_id: garden.id })
      .execute();
    const snapshotAfterGarden = JSON.stringify(await loadTimetable(db(), event.id));
    const dropGarden = await admin.put(`${API}/events/${event.id}/timetable`, {
      ...file,
      rooms: file.rooms.slice(0, 2),
      days: [],
    });
    assert.equal(dropGarden.status, 409, JSON.stringify(dropGarden.body));
    assert.match(dropGarden.body.error.message, /holds sessions/);
    assert.equal(JSON.stringify(await loadTimetable(db(), event.id)), snapshotAfterGarden);
    const unchanged = await loadTimetable(db(), event.id);
    assert.equal(unchanged.slots.length, 5);
    assert.equal(unchanged.rooms.length, 3);
  });

  test('proposals: titles unique whatever the case, Markdown rendered safely, per-person limit, admins exempt', async () => {
    const event = await createEvent();
    await buildTimetable(event.id); // 3 non-break slots → limit 3
    const detail = await admin.get(`${API}/events/${event.id}`);
    assert.equal(detail.body.event.proposalLimit, 3);
    const alice = await member();
    const p = await propose(alice.client, event.id, 'Rust  in the kernel', {
      description: 'Why *not*? <img src=x onerror=alert(1)> [x](javascript:alert(1))',
    });
    assert.equal(p.title, 'Rust in the kernel');
    assert.equal(p.status, 'approved');
    const shown = await alice.client.get(`${API}/proposals/${p.id}`);
    assert.match(shown.body.proposal.descriptionHtml, /<em>not<\/em>/);
    assert.doesNotMatch(shown.body.proposal.descriptionHtml, /<img|javascript:/);

    const dup = await alice.client.post(`${API}/events/${event.id}/proposals`, { title: 'RUST IN THE KERNEL ' });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.error.field, 'title');
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ title: 'ab' }, 'title'],
      [{ title: 'x'.repeat(121) }, 'title'],
      [{ title: 'Fine title', description: 'x'.repeat(5001) }, 'description'],
      [{ title: 'Fine title', coOwners: ['nobody-here'] }, 'coOwners[0]'],
      [{ title: 'Fine title', description: `${'>'.repeat(200)} deep` }, 'description'],
    ];
    for (const [body, field] of bad) {
      const response = await alice.client.post(`${API}/events/${event.id}/proposals`, body);
      assert.ok(response.status === 400 || response.status === 409, JSON.stringify(response.body));
      assert.equal(response.body.error.field, field, JSON.stringify(response.body));
    }
    await propose(alice.client, event.id, 'Second');
    await propose(alice.client, event.id, 'Third');
    const fourth = await alice.client.post(`${API}/events/${event.id}/proposals`, { title: 'Fourth' });
    assert.equal(fourth.status, 409);
    assert.match(fourth.body.error.message, /already proposed 3 sessions/);
    for (const title of ['Admin 1', 'Admin 2', 'Admin 3', 'Admin 4']) await propose(admin, event.id, title);
    const rows = await db().selectFrom('unconf_proposals').select('id').where('event_id', '=', event.id).execute();
    assert.equal(rows.length, 7, 'no refused proposal half-saved');

    // Proposals close with the phase for members, not for admins.
    await admin.post(`${API}/events/${event.id}/phase`, { phase: 'scheduling' });
    const late = await (await member()).client.post(`${API}/events/${event.id}/proposals`, { title: 'Too late' });
    assert.equal(late.status, 409);
    const edit = await alice.client.patch(`${API}/proposals/${p.id}`, { title: 'Changed' });
    assert.equal(edit.status, 409);
    await propose(admin, event.id, 'Admin late');
  });

  test('moderation: an unverified member’s proposal waits hidden; their edit keeps the approved text public', async () => {
    const event = await createEvent();
    const newcomer = await member({ verified: false });
    const other = await member();
    const p = await propose(newcomer.client, event.id, 'Unvetted idea', { description: 'First text' });
    assert.equal(p.status, 'pending');
    assert.deepEqual(await titles(other.client, event.id), []);
    assert.deepEqual(await titles(null, event.id), []);
    assert.deepEqual(await titles(newcomer.client, event.id), ['Unvetted idea']);
    assert.equal((await other.client.get(`${API}/proposals/${p.id}`)).status, 404);
    assert.equal((await other.client.put(`${API}/proposals/${p.id}/interest`, { level: 75 })).status, 404);
    const adminView = await admin.get(`${API}/events/${event.id}/admin`);
    assert.equal(adminView.body.event.pendingCount, 1);
    assert.equal((await other.client.post(`${API}/proposals/${p.id}/approve`)).status, 403);

    const approved = await admin.post(`${API}/proposals/${p.id}/approve`);
    assert.equal(approved.status, 200);
    assert.equal(approved.body.proposal.status, 'approved');
    assert.deepEqual(await titles(other.client, event.id), ['Unvetted idea']);

    const edited = await newcomer.client.patch(`${API}/proposals/${p.id}`, {
      title: 'Edited idea',
      description: 'Second text',
    });
    assert.equal(edited.status, 200);
    assert.equal(edited.body.proposal.title, 'Edited idea');
    assert.equal(edited.body.proposal.editPending, true);
    assert.deepEqual(await titles(other.client, event.id), ['Unvetted idea']);
    const publicView = (await other.client.get(`${API}/proposals/${p.id}`)).body.proposal;
    assert.match(publicView.descriptionHtml, /First text/);
    assert.equal(publicView.description, undefined, 'the Markdown source is for owners and admins');

    // Discarding the edit puts the approved text back; a new edit then approved goes public.
    const discarded = await admin.post(`${API}/proposals/${p.id}/reject`);
    assert.equal(discarded.body.proposal.title, 'Unvetted idea');
    assert.equal(discarded.body.proposal.description, 'First text');
    assert.equal(discarded.body.proposal.status, 'approved');
    await newcomer.client.patch(`${API}/proposals/${p.id}`, { title: 'Final idea' });
    await admin.post(`${API}/proposals/${p.id}/approve`);
    assert.deepEqual(await titles(other.client, event.id), ['Final idea']);

    // Rejected: stays hidden, its owner sees why.
    const q = await propose(newcomer.client, event.id, 'Spam spam');
    const rejected = await admin.post(`${API}/proposals/${q.id}/reject`);
    assert.equal(rejected.body.proposal.status, 'rejected');
    assert.deepEqual(await titles(other.client, event.id), ['Final idea']);
  });

  test('owners and co-owners: co-owners edit, count as Very, cannot rate their own; allowed slots set by admins', async () => {
    const event = await createEvent();
    const timetable = await buildTimetable(event.id);
    const owner = await member();
    const co = await member();
    const fan = await member();
    const p = await propose(owner.client, event.id, 'Pairing session', { coOwners: [co.username, owner.username] });
    const view = (await co.client.get(`${API}/proposals/${p.id}`)).body.proposal;
    assert.deepEqual(
      view.owners.map((o: { role: string; username: string }) => `${o.role}:${o.username}`),
      [`owner:${owner.username}`, `co-owner:${co.username}`],
    );
    assert.equal(view.mine, true);
    assert.equal(view.myInterest, 100);
    const own = await co.client.put(`${API}/proposals/${p.id}/interest`, { level: 25 });
    assert.equal(own.status, 409);
    assert.equal((await co.client.patch(`${API}/proposals/${p.id}`, { description: 'By the co-owner' })).status, 200);
    assert.equal((await fan.client.patch(`${API}/proposals/${p.id}`, { description: 'Not mine' })).status, 403);
    assert.equal((await co.client.request('DELETE', `${API}/proposals/${p.id}`)).status, 403);

    // A fan rates, then becomes a co-owner: their stored rating goes (owners are never stored).
    assert.equal((await fan.client.put(`${API}/proposals/${p.id}/interest`, { level: 25 })).status, 200);
    await owner.client.patch(`${API}/proposals/${p.id}`, { coOwners: [co.username, fan.username] });
    const stored = await db().selectFrom('unconf_interests').selectAll().where('proposal_id', '=', p.id).execute();
    assert.equal(stored.length, 0);

    const slotIds = timetable.days[0].slots.filter((s: any) => !s.isBreak).map((s: any) => s.id);
    const set = await admin.put(`${API}/proposals/${p.id}/allowed-slots`, { slotIds });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.deepEqual([...set.body.proposal.allowedSlotIds].sort(), [...slotIds].sort());
    const breakSlot = timetable.days[0].slots.find((s: any) => s.isBreak)?.id;
    const refused = await admin.put(`${API}/proposals/${p.id}/allowed-slots`, { slotIds: [slotIds[0], breakSlot] });
    assert.equal(refused.body.error.field, 'slotIds[1]');
    const unknown = await admin.put(`${API}/proposals/${p.id}/allowed-slots`, { slotIds: ['nope'] });
    assert.equal(unknown.body.error.field, 'slotIds[0]');
    assert.equal((await owner.client.put(`${API}/proposals/${p.id}/allowed-slots`, { slotIds: [] })).status, 403);
    assert.equal((await owner.client.get(`${API}/proposals/${p.id}`)).body.proposal.allowedSlotIds, undefined);

    const instance = await loadProposalsWithInterest(db(), event.id);
    const session = instance.proposals.find((s) => s.id === p.id);
    assert.ok(session);
    assert.equal(session.owners[0], owner.id);
    assert.deepEqual([...(session.allowedSlots ?? [])].sort(), [...slotIds].sort());
    for (const person of [owner.id, co.id, fan.id]) assert.equal(instance.interests[person]?.[p.id], 100);
  });

  test('interest: four levels, one click each, own order per person, counts hidden until published, admin cannot rate', async () => {
    const event = await createEvent();
    const owner = await member();
    const proposals: Array<{ id: string }> = [];
    for (const title of ['Alpha talk', 'Beta talk', 'Gamma talk', 'Delta talk', 'Epsilon talk', 'Zeta talk']) {
      proposals.push(await propose(admin, event.id, title));
    }
    const mine = await propose(owner.client, event.id, 'Owner talk');
    const a = await member();
    const b = await member();
    const orderA = await titles(a.client, event.id);
    assert.deepEqual(await titles(a.client, event.id), orderA, 'the same order on every visit');
    assert.deepEqual(await titles(b.client, event.id), await titles(b.client, event.id));
    const others = await Promise.all([1, 2, 3, 4].map(async () => titles((await member()).client, event.id)));
    assert.ok(
      others.some((order) => order.join() !== orderA.join()),
      'people get different orders',
    );

    for (const level of [0, 25, 75, 100]) {
      const r: { status: number; body: any } = await a.client.put(`${API}/proposals/${proposals[0]!.id}/interest`, {
        level,
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.level, level);
    }
    for (const level of [50, '75', null, 101]) {
      const r: { status: number; body: any } = await a.client.put(`${API}/proposals/${proposals[0]!.id}/interest`, {
        level,
      });
      assert.equal(r.status, 400);
      assert.equal(r.body.error.field, 'level');
    }
    assert.equal((await a.client.put(`${API}/proposals/nope/interest`, { level: 25 })).status, 404);
    const anonymous = await new Client(get().app).prime();
    assert.equal((await anonymous.put(`${API}/proposals/${proposals[0]!.id}/interest`, { level: 25 })).status, 401);
    const adminRates = await admin.put(`${API}/proposals/${proposals[0]!.id}/interest`, { level: 100 });
    assert.equal(adminRates.status, 403);
    assert.equal((await admin.get(`${API}/events/${event.id}`)).body.viewer.canRate, false);
    await b.client.put(`${API}/proposals/${proposals[0]!.id}/interest`, { level: 75 });
    await b.client.put(`${API}/proposals/${mine.id}/interest`, { level: 25 });

    const listA = (await a.client.get(`${API}/events/${event.id}/proposals`)).body;
    const first = listA.proposals.find((p: { id: string }) => p.id === proposals[0]!.id);
    assert.equal(first.myInterest, 100);
    assert.equal(first.interest, null, 'counts hidden from members before publishing');
    const adminList = (await admin.get(`${API}/events/${event.id}/proposals`)).body;
    const adminFirst = adminList.proposals.find((p: { id: string }) => p.id === proposals[0]!.id);
    assert.deepEqual(adminFirst.interest, { none: 0, little: 0, yes: 1, very: 2 }, 'admin creator counts as Very');
    const adminMine = adminList.proposals.find((p: { id: string }) => p.id === mine.id);
    assert.deepEqual(adminMine.interest, { none: 0, little: 1, yes: 0, very: 1 });

    await admin.post(`${API}/events/${event.id}/phase`, { phase: 'published' });
    const published = (await a.client.get(`${API}/events/${event.id}/proposals`)).body;
    assert.equal(published.event.countsVisible, true);
    assert.ok(published.proposals.find((p: { id: string }) => p.id === proposals[0]!.id).interest);
    const closed = await a.client.put(`${API}/proposals/${proposals[1]!.id}/interest`, { level: 25 });
    assert.equal(closed.status, 409);
  });

  test('interest: many concurrent clicks by many members keep exactly one rating per person and proposal', async () => {
    const event = await createEvent();
    const proposals = [await propose(admin, event.id, 'Busy one'), await propose(admin, event.id, 'Busy two')];
    const people = await Promise.all(Array.from({ length: 8 }, () => member()));
    const levels = [0, 25, 75, 100] as const;
    const requests = [];
    for (let round = 0; round < 6; round++) {
      for (const [i, person] of people.entries()) {
        for (const proposal of proposals) {
          requests.push(
            person.client.put(`${API}/proposals/${proposal.id}/interest`, { level: levels[(round + i) % 4] }),
          );
        }
      }
    }
    const responses = await Promise.all(requests);
    assert.ok(
      responses.every((r) => r.status === 200),
      JSON.stringify(responses.find((r) => r.status !== 200)?.body),
    );
    const rows = await db()
      .selectFrom('unconf_interests')
      .select(['person_id', 'proposal_id', 'level'])
      .where('event_id', '=', event.id)
      .execute();
    assert.equal(rows.length, people.length * proposals.length);
    assert.equal(new Set(rows.map((r) => `${r.person_id}:${r.proposal_id}`)).size, rows.length);
  });

  test('proposals at once: one person cannot pass the limit, two people cannot take one title', async () => {
    const event = await createEvent({ proposalLimit: 3 });
    const eager = await member();
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        eager.client.post(`${API}/events/${event.id}/proposals`, { title: `Idea ${i}` }),
      ),
    );
    assert.equal(answers.filter((r) => r.status === 201).length, 3, JSON.stringify(answers.map((r) => r.status)));
    assert.ok(answers.every((r) => r.status === 201 || r.status === 409));
    const [a, b] = [await member(), await member()];
    const race = await Promise.all([
      a.client.post(`${API}/events/${event.id}/proposals`, { title: 'Same title' }),
      b.client.post(`${API}/events/${event.id}/proposals`, { title: 'SAME  title' }),
    ]);
    assert.deepEqual(race.map((r) => r.status).sort(), [201, 409]);
    assert.equal(race.find((r) => r.status === 409)?.body.error.field, 'title');
    const rows = await db().selectFrom('unconf_proposals').select('id').where('event_id', '=', event.id).execute();
    assert.equal(rows.length, 4);
    const owners = await db()
      .selectFrom('unconf_owners')
      .select('proposal_id')
      .where('event_id', '=', event.id)
      .execute();
    assert.equal(owners.length, 4, 'no owner row without its proposal');
  });

  test('withdrawing: the proposer while proposals are open; ratings go with it', async () => {
    const event = await createEvent();
    const owner = await member();
    const fan = await member();
    const p = await propose(owner.client, event.id, 'Short lived');
    await fan.client.put(`${API}/proposals/${p.id}/interest`, { level: 75 });
    assert.equal((await fan.client.request('DELETE', `${API}/proposals/${p.id}`)).status, 403);
    assert.equal((await owner.client.request('DELETE', `${API}/proposals/${p.id}`)).status, 204);
    assert.equal(
      (await db().selectFrom('unconf_interests').selectAll().where('proposal_id', '=', p.id).execute()).length,
      0,
    );
    assert.equal((await owner.client.get(`${API}/proposals/${p.id}`)).status, 404);
  });
});
