import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { forgetAttendance } from '../src/features/unconference/attendance.js';
import { seedDemoUnconference } from '../src/features/unconference/demoEvent.js';
import { frabSchemaProblems } from './helpers/frabSchema.js';
import { clientFor, insertPerson } from './helpers/people.js';
import { type Fixture, publishedUnconference } from './helpers/publishedUnconference.js';
import { adminClient, Client } from './helpers/server.js';
import { forEachEngine } from './helpers/suite.js';
import { childrenNamed, childText, parseXml } from './helpers/xmlTree.js';

forEachEngine('unconference attendee pages, exports and test mode', (get) => {
  let f: Fixture;
  const people: Record<string, string> = {};
  const s: Record<string, string> = {};

  before(async () => {
    const { db } = get().ctx.database;
    for (const name of ['ada', 'bob', 'cy', 'dee', 'ed']) people[name] = await insertPerson(db, { username: name });
    f = await publishedUnconference(db, { videoRooms: true });
    s.patching = await f.propose('Live patching', [people.ada!]);
    s.fuzzing = await f.propose('Fuzzing & <friends>', [people.bob!], 'Fuzz *everything*; then "more".');
    s.release = await f.propose('Release process', [people.cy!, people.dee!]);
    s.docs = await f.propose('Docs sprint', [people.bob!]);
    s.unplaced = await f.propose('Never placed', [people.ed!]);
    await f.rate(people.bob!, s.patching!, 75);
    await f.rate(people.cy!, s.patching!, 100);
    await f.rate(people.cy!, s.fuzzing!, 25);
    await f.rate(people.dee!, s.patching!, 25);
    await f.rate(people.dee!, s.fuzzing!, 75);
    await f.rate(people.ed!, s.patching!, 75);
    await f.rate(people.ed!, s.fuzzing!, 75);
    const [main, roomB] = f.rooms;
    const day1 = f.slots.filter((x) => x.dayId === f.days[0]!.id);
    const day2 = f.slots.filter((x) => x.dayId === f.days[1]!.id);
    await f.publish([
      { proposalId: s.patching!, slotId: day1[0]!.id, roomId: main!.id },
      { proposalId: s.fuzzing!, slotId: day1[0]!.id, roomId: roomB!.id },
      { proposalId: s.release!, slotId: day1[1]!.id, roomId: main!.id },
      { proposalId: s.docs!, slotId: day2[0]!.id, roomId: roomB!.id },
    ]);
    forgetAttendance();
  });

  const member = (name: string) => clientFor(get().app, get().ctx.database.db, people[name]!);

  test('the timetable grid: days, slots with breaks, sessions by room, attendance by the engine model', async () => {
    const res = await (await member('cy')).get(`/api/v1/unconference/events/${f.eventId}/published`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const grid = res.body;
    assert.equal(grid.event.version.number, 1);
    assert.equal(grid.timezone, 'UTC', "a member's own timezone by default");
    assert.deepEqual(
      grid.rooms.map((r: any) => r.name),
      ['Main hall', 'Room B', 'Online'],
    );
    assert.equal(grid.days.length, 2);
    const [first] = grid.days;
    assert.equal(first.slots.length, 4);
    assert.deepEqual(
      first.slots.map((x: any) => x.isBreak),
      [false, false, true, false],
    );
    assert.equal(first.slots[2].label, 'Coffee');
    const opening = first.slots[0].sessions;
    assert.deepEqual(
      opening.map((x: any) => x.title),
      ['Live patching', 'Fuzzing & <friends>'],
    );
    // ada (owner) + cy (100) + ed half (tie 75/75) = 2.5; bob (owner) + dee (75) + ed half = 2.5.
    assert.deepEqual(
      opening.map((x: any) => x.attendance),
      [2.5, 2.5],
    );
    assert.deepEqual(
      opening.map((x: any) => x.myInterest),
      [100, 25],
    );
    // Release process has two owners: both expected.
    assert.equal(first.slots[1].sessions[0].attendance, 2);
    assert.deepEqual(
      first.slots[1].sessions[0].owners.map((o: any) => o.name),
      ['Cy', 'Dee'],
    );
  });

  test('a chosen timezone, and a bad one named in a 400', async () => {
    const client = await member('ada');
    const ok = await client.get(`/api/v1/unconference/events/${f.eventId}/published?tz=America/New_York`);
    assert.equal(ok.status, 200);
    assert.equal(ok.body.timezone, 'America/New_York');
    const bad = await client.get(`/api/v1/unconference/events/${f.eventId}/published?tz=Mars/Olympus`);
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(bad.body), /tz/);
  });

  test('my agenda picks my highest interest per slot (owners 100) and lists the alternatives', async () => {
    const cy = await (await member('cy')).get(`/api/v1/unconference/events/${f.eventId}/published/agenda`);
    assert.equal(cy.status, 200, JSON.stringify(cy.body));
    const slots = cy.body.slots;
    // Day 1: two session slots and the break; day 2: one session slot and its break.
    assert.deepEqual(
      slots.map((x: any) => (x.isBreak ? 'break' : (x.pick?.title ?? null))),
      ['Live patching', 'Release process', 'break', null, 'break'],
    );
    assert.deepEqual(
      slots[0].alternatives.map((a: any) => [a.title, a.interest]),
      [['Fuzzing & <friends>', 25]],
    );
    assert.deepEqual(
      slots[3].alternatives.map((a: any) => a.title),
      ['Docs sprint'],
      'nothing rated: no pick, the session offered as an alternative',
    );
    // bob rated Live patching 75 but owns Fuzzing: he is in his own session.
    const bob = await (await member('bob')).get(`/api/v1/unconference/events/${f.eventId}/published/agenda`);
    assert.equal(bob.body.slots[0].pick.title, 'Fuzzing & <friends>');
    assert.equal(bob.body.slots[0].pick.interest, 100);
    assert.equal(bob.body.slots[3].pick.title, 'Docs sprint');
  });

  test('the agenda needs a signed-in person; the grid is public only while the schedule is visible', async () => {
    const anonymous = await new Client(get().app).prime();
    assert.equal((await anonymous.get(`/api/v1/unconference/events/${f.eventId}/published/agenda`)).status, 401);
    const grid = await anonymous.get(`/api/v1/unconference/events/${f.eventId}/published`);
    assert.equal(grid.status, 200);
    assert.equal(grid.body.days[0].slots[0].sessions[0].myInterest, null);

    const { db } = get().ctx.database;
    const hidden = await publishedUnconference(db, { visible: false, name: 'Hidden summit' });
    const p = await hidden.propose('Secret', [people.ada!]);
    await hidden.publish([{ proposalId: p, slotId: hidden.slots[0]!.id, roomId: hidden.rooms[0]!.id }]);
    assert.equal((await anonymous.get(`/api/v1/unconference/events/${hidden.eventId}/published`)).status, 404);
    assert.equal(
      (await (await member('ada')).get(`/api/v1/unconference/events/${hidden.eventId}/published`)).status,
      404,
    );
    const admin = await adminClient(get().app);
    assert.equal((await admin.get(`/api/v1/unconference/events/${hidden.eventId}/published`)).status, 200);

    const unpublished = await publishedUnconference(db, { name: 'Not yet' });
    const res = await anonymous.get(`/api/v1/unconference/events/${unpublished.eventId}/published`);
    assert.equal(res.status, 404);
    assert.match(res.body.error.message, /not published/);
    assert.equal((await anonymous.get('/api/v1/unconference/events/nope/published')).status, 404);
  });

  test("a session's page: time, room with its link, attendance, and the session's video room", async () => {
    const client = await member('dee');
    const page = await client.get(`/api/v1/unconference/sessions/${s.fuzzing}`);
    assert.equal(page.status, 200, JSON.stringify(page.body));
    const session = page.body.session;
    assert.equal(session.room.name, 'Room B');
    assert.equal(session.room.url, 'https://maps.example.org/room-b');
    assert.equal(session.myInterest, 75);
    assert.equal(session.attendance, 2.5);
    assert.match(session.descriptionHtml, /Fuzz \*everything\*/);
    assert.deepEqual(
      session.alongside.map((a: any) => a.title),
      ['Live patching'],
    );
    assert.equal(session.videoUrl, null, 'no meeting made for it yet');

    await f.meetingFor(s.fuzzing!, [people.bob!, people.dee!]);
    const withRoom = await client.get(`/api/v1/unconference/sessions/${s.fuzzing}`);
    assert.match(withRoom.body.session.videoUrl, /^https:\/\/meet\.jit\.si\/convene-fuzzing/);
    const anonymous = await new Client(get().app).prime();
    const signedOut = await anonymous.get(`/api/v1/unconference/sessions/${s.fuzzing}`);
    assert.equal(signedOut.status, 200);
    assert.equal(signedOut.body.session.videoUrl, null, 'the room is for signed-in people only');

    assert.equal((await client.get(`/api/v1/unconference/sessions/${s.unplaced}`)).status, 404);
    assert.equal((await client.get('/api/v1/unconference/sessions/does-not-exist')).status, 404);
  });

  test('Frab schedule.xml is well-formed with the right days, rooms and events', async () => {
    const anonymous = await new Client(get().app).prime();
    const res = await anonymous.get(`/api/v1/unconference/events/${f.eventId}/published/schedule.xml`);
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /application\/xml/);
    const root = parseXml(res.body as string);
    assert.equal(root.name, 'schedule');
    assert.equal(childText(root, 'version'), '1');
    const conference = childrenNamed(root, 'conference')[0]!;
    assert.equal(childText(conference, 'title'), 'Design Summit');
    assert.equal(childText(conference, 'acronym'), 'design-summit');
    assert.equal(childText(conference, 'start'), '2027-03-01');
    assert.equal(childText(conference, 'end'), '2027-03-02');
    assert.equal(childText(conference, 'days'), '2');
    assert.equal(childText(conference, 'time_zone_name'), 'Europe/Berlin');
    const days = childrenNamed(root, 'day');
    assert.deepEqual(
      days.map((d) => [d.attributes.index, d.attributes.date]),
      [
        ['1', '2027-03-01'],
        ['2', '2027-03-02'],
      ],
    );
    assert.equal(days[0]!.attributes.start, '2027-03-01T10:00:00+01:00', 'in the event timezone with its offset');
    assert.deepEqual(
      childrenNamed(days[0]!, 'room').map((r) => r.attributes.name),
      ['Main hall', 'Room B'],
    );
    assert.deepEqual(
      childrenNamed(days[1]!, 'room').map((r) => r.attributes.name),
      ['Room B'],
    );
    const events = days.flatMap((d) => childrenNamed(d, 'room').flatMap((r) => childrenNamed(r, 'event')));
    assert.equal(events.length, 4);
    const ids = new Set<string>();
    const guids = new Set<string>();
    for (const e of events) {
      assert.match(e.attributes.id!, /^[1-9][0-9]*$/);
      assert.match(e.attributes.guid!, /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/);
      ids.add(e.attributes.id!);
      guids.add(e.attributes.guid!);
      for (const required of [
        'room',
        'title',
        'subtitle',
        'type',
        'date',
        'start',
        'duration',
        'abstract',
        'slug',
        'track',
      ]) {
        assert.ok(childrenNamed(e, required).length === 1, `event has <${required}>`);
      }
      assert.match(childText(e, 'start')!, /^[0-2][0-9]:[0-5][0-9]$/);
      assert.match(childText(e, 'duration')!, /^[0-9]{1,2}:[0-9]{2}$/);
      assert.match(childText(e, 'date')!, /\+01:00$/);
    }
    assert.equal(ids.size, 4);
    assert.equal(guids.size, 4);
    const fuzz = events.find((e) => childText(e, 'title') === 'Fuzzing & <friends>')!;
    assert.ok(fuzz, 'markup in a title survives escaping');
    assert.equal(childText(fuzz, 'start'), '10:00');
    assert.equal(childText(fuzz, 'duration'), '00:55');
    assert.equal(childText(fuzz, 'room'), 'Room B');
    assert.deepEqual(
      childrenNamed(childrenNamed(fuzz, 'persons')[0]!, 'person').map((p) => p.text),
      ['Bob'],
    );
    // The same ids on the next read: apps keep their favourites.
    const again = parseXml(
      (await anonymous.get(`/api/v1/unconference/events/${f.eventId}/published/schedule.xml`)).body as string,
    );
    const againIds = childrenNamed(again, 'day').flatMap((d) =>
      childrenNamed(d, 'room').flatMap((r) => childrenNamed(r, 'event').map((e) => e.attributes.id)),
    );
    assert.deepEqual(new Set(againIds), ids);
  });

  test('Frab schedule.xml holds only what the published schema allows (elements, order, patterns, unique ids)', async () => {
    const res = await new Client(get().app).prime();
    const root = parseXml(
      (await res.get(`/api/v1/unconference/events/${f.eventId}/published/schedule.xml`)).body as string,
    );
    assert.deepEqual(frabSchemaProblems(root), []);
    // The check itself refuses what the schema refuses.
    const event = childrenNamed(childrenNamed(childrenNamed(root, 'day')[0]!, 'room')[0]!, 'event')[0]!;
    event.attributes.colour = 'red';
    event.children = event.children.filter((c) => c.name !== 'slug');
    childrenNamed(event, 'start')[0]!.text = '9:5';
    assert.deepEqual(frabSchemaProblems(root).sort(), [
      'schedule/day[3]/room[0]/event[0]/start[1]: "9:5" is not valid',
      'schedule/day[3]/room[0]/event[0]: <slug> occurs 0 times (allowed 1–1)',
      'schedule/day[3]/room[0]/event[0]: attribute colour is not in the schema',
    ]);
  });

  test('Frab schedule.json has the same days, rooms and events', async () => {
    const res = await (await member('ada')).get(`/api/v1/unconference/events/${f.eventId}/published/schedule.json`);
    assert.equal(res.status, 200);
    const conf = res.body.schedule.conference;
    assert.equal(res.body.schedule.version, '1');
    assert.equal(conf.daysCount, 2);
    assert.equal(conf.days.length, 2);
    assert.deepEqual(Object.keys(conf.days[0].rooms), ['Main hall', 'Room B']);
    const event = conf.days[0].rooms['Room B'][0];
    assert.equal(event.title, 'Fuzzing & <friends>');
    assert.equal(event.start, '10:00');
    assert.equal(event.duration, '00:55');
    assert.equal(event.date, '2027-03-01T10:00:00+01:00');
    assert.deepEqual(
      event.persons.map((p: any) => p.public_name),
      ['Bob'],
    );
    assert.equal(typeof event.id, 'number');
  });

  test('test mode fills an event with fake people, proposals and ratings, and clears them', async () => {
    const { db } = get().ctx.database;
    const admin = await adminClient(get().app);
    const g = await publishedUnconference(db, { name: 'Test mode summit' });
    const url = `/api/v1/admin/unconference/events/${g.eventId}/test-mode`;
    assert.equal((await (await member('ada')).post(url, { people: 10, proposals: 5 })).status, 403);
    const bad = await admin.post(url, { people: 1, proposals: 5 });
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(bad.body), /people/);
    assert.equal(
      (await admin.post('/api/v1/admin/unconference/events/nope/test-mode', { people: 5, proposals: 2 })).status,
      404,
    );

    const filled = await admin.post(url, { people: 40, proposals: 12, seed: 'xen' });
    assert.equal(filled.status, 201, JSON.stringify(filled.body));
    assert.equal(filled.body.people, 40);
    assert.equal(filled.body.proposals, 12);
    assert.ok(filled.body.interests > 40, `ratings made: ${filled.body.interests}`);
    const fake = await db
      .selectFrom('unconf_test_people')
      .select('person_id')
      .where('event_id', '=', g.eventId)
      .execute();
    assert.equal(fake.length, 40);
    const fakePeople = await db
      .selectFrom('people')
      .select(['enabled', 'email', 'password_hash'])
      .where(
        'id',
        'in',
        fake.map((x) => x.person_id),
      )
      .execute();
    assert.ok(fakePeople.every((p) => p.enabled === 0 && p.email === null && p.password_hash === null));
    // Tastes cluster: most people copy a model, so many rows are identical to another person's.
    const ratings = await db
      .selectFrom('unconf_interests')
      .select(['person_id', 'proposal_id', 'level'])
      .where('event_id', '=', g.eventId)
      .execute();
    const rows = new Map<string, string[]>();
    for (const r of ratings) rows.set(r.person_id, [...(rows.get(r.person_id) ?? []), `${r.proposal_id}:${r.level}`]);
    const signatures = [...rows.values()].map((x) => x.sort().join(','));
    assert.ok(new Set(signatures).size < signatures.length, 'some people rate exactly like their model');

    assert.equal((await admin.post(url, { people: 5, proposals: 2 })).status, 409, 'clear first');

    const real = await g.propose('A real session', [people.ada!]);
    await g.rate(people.bob!, real, 75);
    const cleared = await admin.request('DELETE', url);
    assert.equal(cleared.status, 200);
    assert.deepEqual(cleared.body, { people: 40, proposals: 12, interests: filled.body.interests });
    const left = await db.selectFrom('unconf_proposals').select('title').where('event_id', '=', g.eventId).execute();
    assert.deepEqual(
      left.map((x) => x.title),
      ['A real session'],
    );
    assert.equal(
      (await db.selectFrom('unconf_interests').select('level').where('event_id', '=', g.eventId).execute()).length,
      1,
      "a real member's rating stays",
    );
    const gone = await db
      .selectFrom('people')
      .select('id')
      .where(
        'id',
        'in',
        fake.map((x) => x.person_id),
      )
      .execute();
    assert.equal(gone.length, 0);
    // Filling again after a clear works (titles are free again), and the same seed makes the same ratings.
    const again = await admin.post(url, { people: 40, proposals: 12, seed: 'xen' });
    assert.equal(again.status, 201);
    assert.equal(again.body.interests, filled.body.interests);
  });

  test("the demo's unconference is published: every session placed, with a timetable and exports", async () => {
    const { db } = get().ctx.database;
    const crowd = [];
    for (let i = 0; i < 20; i++) {
      const id = await insertPerson(db, { username: `demo${i}` });
      crowd.push(await db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
    }
    const demo = await seedDemoUnconference({ db, people: crowd, timezone: 'Europe/London', now: new Date() });
    assert.equal(demo.sessions, 12, 'twelve sessions in eight slots of three rooms: all placed');
    const grid = await (await member('ada')).get(`/api/v1/unconference/events/${demo.id}/published`);
    assert.equal(grid.status, 200);
    const placed = grid.body.days.flatMap((d: any) => d.slots.flatMap((x: any) => x.sessions));
    assert.equal(placed.length, 12);
    assert.ok(placed.some((x: any) => x.attendance > 0));
    const xml = await (await member('ada')).get(`/api/v1/unconference/events/${demo.id}/published/schedule.xml`);
    assert.equal(childrenNamed(parseXml(xml.body as string), 'day').length, 2);
    assert.deepEqual(frabSchemaProblems(parseXml(xml.body as string)), []);
  });

  test('everything is in the OpenAPI document', async () => {
    const doc = (await new Client(get().app).get('/api/openapi.json')).body;
    for (const path of [
      '/api/v1/unconference/events/{id}/published',
      '/api/v1/unconference/events/{id}/published/agenda',
      '/api/v1/unconference/sessions/{id}',
      '/api/v1/unconference/events/{id}/published/schedule.xml',
      '/api/v1/unconference/events/{id}/published/schedule.json',
      '/api/v1/admin/unconference/events/{id}/test-mode',
      '/api/v1/me/calendar-feed',
      '/api/v1/feeds/{token}/unconference/{id}/agenda.ics',
      '/api/v1/feeds/{token}/unconference/{id}/event.ics',
      '/api/v1/feeds/{token}/unconference/{id}/rooms/{roomId}/room.ics',
    ]) {
      assert.ok(doc.paths[path], `${path} documented`);
    }
  });
});
