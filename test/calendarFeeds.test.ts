import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, test } from 'node:test';
import { calendarFeed, icsText } from '../src/integrations/ics.js';
import { clientFor, insertPerson } from './helpers/people.js';
import { type Fixture, publishedUnconference } from './helpers/publishedUnconference.js';
import { Client } from './helpers/server.js';
import { forEachEngine } from './helpers/suite.js';

/** The VEVENTs of a calendar, each as a map of its properties (unfolded). */
function vevents(ics: string): Array<Record<string, string>> {
  const lines = ics.replace(/\r\n[ \t]/g, '').split('\r\n');
  const events: Array<Record<string, string>> = [];
  let current: Record<string, string> | null = null;
  for (const line of lines) {
    if (line === 'BEGIN:VEVENT') current = {};
    else if (line === 'END:VEVENT') {
      events.push(current!);
      current = null;
    } else if (current) {
      const colon = line.indexOf(':');
      current[line.slice(0, colon)] = line.slice(colon + 1);
    }
  }
  return events;
}

function assertWellFormedIcs(ics: string) {
  assert.ok(ics.startsWith('BEGIN:VCALENDAR\r\n'));
  assert.ok(ics.endsWith('END:VCALENDAR\r\n'));
  assert.ok(!/[^\r]\n/.test(ics), 'every line ends in CRLF');
  for (const line of ics.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, `folded at 75 octets: ${line}`);
  assert.match(ics, /\r\nVERSION:2\.0\r\n/);
  assert.match(ics, /\r\nPRODID:/);
  assert.match(ics, /\r\nMETHOD:PUBLISH\r\n/);
}

test('calendarFeed: escapes TEXT, folds long non-ASCII lines by octets, times in UTC', () => {
  const ics = calendarFeed(
    {
      name: 'Sommer; Treffen, 2027',
      timezone: 'Europe/Berlin',
      events: [
        {
          uid: 'a@convene',
          title: 'Über-lange Überschrift mit Ümläuten, Kommas; und Semikolons — '.repeat(3),
          description: 'line one\nline two \\ backslash',
          startsAt: '2027-03-01T09:00:00.000Z',
          endsAt: '2027-03-01T09:55:00.000Z',
          location: 'Room B',
          url: 'https://convene.example.org/unconference/sessions/a',
          sequence: 2,
          updatedAt: '2027-02-01T00:00:00.000Z',
        },
      ],
    },
    new Date('2027-02-02T00:00:00Z'),
  );
  assertWellFormedIcs(ics);
  assert.match(ics, /X-WR-CALNAME:Sommer\\; Treffen\\, 2027/);
  const [event] = vevents(ics);
  assert.equal(event!.DTSTART, '20270301T090000Z');
  assert.equal(event!.DTEND, '20270301T095500Z');
  assert.equal(event!.DTSTAMP, '20270202T000000Z');
  assert.equal(event!.SEQUENCE, '2');
  assert.equal(event!.DESCRIPTION, 'line one\\nline two \\\\ backslash');
  assert.ok(event!.SUMMARY!.startsWith('Über-lange Überschrift mit Ümläuten\\, Kommas\\; und'));
  assert.equal(icsText('a,b;c\\d\r\ne'), 'a\\,b\\;c\\\\d\\ne');
});

forEachEngine('calendar feeds', (get) => {
  let f: Fixture;
  const people: Record<string, string> = {};
  const s: Record<string, string> = {};

  before(async () => {
    const { db } = get().ctx.database;
    for (const name of ['ada', 'bob', 'cy']) people[name] = await insertPerson(db, { username: name });
    f = await publishedUnconference(db);
    s.patching = await f.propose('Live patching', [people.ada!]);
    s.fuzzing = await f.propose('Fuzzing, fast; and loose', [people.bob!]);
    s.docs = await f.propose('Docs sprint', [people.bob!]);
    await f.rate(people.cy!, s.fuzzing!, 75);
    await f.rate(people.cy!, s.patching!, 25);
    await f.rate(people.cy!, s.docs!, 100);
    const [main, roomB] = f.rooms;
    const day1 = f.slots.filter((x) => x.dayId === f.days[0]!.id);
    const day2 = f.slots.filter((x) => x.dayId === f.days[1]!.id);
    await f.publish([
      { proposalId: s.patching!, slotId: day1[0]!.id, roomId: main!.id },
      { proposalId: s.fuzzing!, slotId: day1[0]!.id, roomId: roomB!.id },
      { proposalId: s.docs!, slotId: day2[1]!.id, roomId: roomB!.id },
    ]);
  });

  const member = (name: string) => clientFor(get().app, get().ctx.database.db, people[name]!);
  /** A calendar app: no cookie, no CSRF, just the URL. */
  const calendarApp = () => new Client(get().app);
  const path = (baseUrl: string) => new URL(baseUrl).pathname;

  test('a feed URL is made once, works without a cookie, and holds my agenda', async () => {
    const cy = await member('cy');
    assert.deepEqual((await cy.get('/api/v1/me/calendar-feed')).body, { feed: null });
    const made = await cy.post('/api/v1/me/calendar-feed');
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.match(made.body.token, /^[A-Za-z0-9_-]{43}$/);
    assert.ok(made.body.baseUrl.endsWith(`/api/v1/feeds/${made.body.token}/`));
    const status = await cy.get('/api/v1/me/calendar-feed');
    assert.equal(status.body.feed.id, made.body.id);
    assert.ok(!JSON.stringify(status.body).includes(made.body.token), 'the token is never shown again');
    const stored = await get()
      .ctx.database.db.selectFrom('calendar_feeds')
      .select('token_hash')
      .where('id', '=', made.body.id)
      .executeTakeFirstOrThrow();
    assert.notEqual(stored.token_hash, made.body.token, 'only a hash is stored');

    const res = await calendarApp().get(`${path(made.body.baseUrl)}unconference/${f.eventId}/agenda.ics`);
    assert.equal(res.status, 200, String(res.body));
    assert.match(String(res.headers['content-type']), /^text\/calendar; charset=utf-8/);
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
    const ics = res.body as string;
    assertWellFormedIcs(ics);
    assert.match(ics, /X-WR-CALNAME:Design Summit: my agenda/);
    assert.match(ics, /X-WR-TIMEZONE:Europe\/Berlin/);
    const events = vevents(ics);
    assert.deepEqual(
      events.map((e) => e.SUMMARY),
      ['Fuzzing\\, fast\\; and loose', 'Docs sprint'],
    );
    assert.equal(events[0]!.DTSTART, '20270301T090000Z');
    assert.equal(events[0]!.DTEND, '20270301T095500Z');
    assert.equal(events[0]!.LOCATION, 'Room B');
    assert.equal(events[0]!.UID, `unconference-${s.fuzzing}@convene`);
    assert.match(events[0]!.URL!, new RegExp(`/unconference/sessions/${s.fuzzing}$`));
    const used = await cy.get('/api/v1/me/calendar-feed');
    assert.ok(used.body.feed.lastUsedAt, 'the first poll is recorded');
  });

  test('the event and room feeds; an unknown room or event is a 404', async () => {
    const made = (await (await member('ada')).post('/api/v1/me/calendar-feed')).body;
    const base = path(made.baseUrl);
    const event = await calendarApp().get(`${base}unconference/${f.eventId}/event.ics`);
    assert.equal(event.status, 200);
    assert.equal(vevents(event.body as string).length, 3);
    const roomB = f.rooms[1]!;
    const room = await calendarApp().get(`${base}unconference/${f.eventId}/rooms/${roomB.id}/room.ics`);
    assert.equal(room.status, 200);
    assert.match(room.body as string, /X-WR-CALNAME:Design Summit: Room B/);
    assert.deepEqual(
      vevents(room.body as string).map((e) => e.SUMMARY),
      ['Fuzzing\\, fast\\; and loose', 'Docs sprint'],
    );
    assert.equal((await calendarApp().get(`${base}unconference/${f.eventId}/rooms/nope/room.ics`)).status, 404);
    assert.equal((await calendarApp().get(`${base}unconference/nope/event.ics`)).status, 404);
    // An owner's agenda holds their own session.
    const agenda = await calendarApp().get(`${base}unconference/${f.eventId}/agenda.ics`);
    assert.deepEqual(
      vevents(agenda.body as string).map((e) => e.SUMMARY),
      ['Live patching'],
    );
  });

  test('rotating makes the old URL answer 410; revoking does too; tokens never issued are 404', async () => {
    const bob = await member('bob');
    const first = (await bob.post('/api/v1/me/calendar-feed')).body;
    const second = (await bob.post('/api/v1/me/calendar-feed')).body;
    assert.notEqual(first.token, second.token);
    const oldUrl = `${path(first.baseUrl)}unconference/${f.eventId}/agenda.ics`;
    const newUrl = `${path(second.baseUrl)}unconference/${f.eventId}/agenda.ics`;
    const gone = await calendarApp().get(oldUrl);
    assert.equal(gone.status, 410);
    assert.equal(gone.body.error.code, 'gone');
    assert.equal((await calendarApp().get(newUrl)).status, 200);

    assert.equal((await bob.request('DELETE', '/api/v1/me/calendar-feed')).status, 204);
    assert.equal((await calendarApp().get(newUrl)).status, 410);
    assert.deepEqual((await bob.get('/api/v1/me/calendar-feed')).body, { feed: null });
    assert.equal((await bob.request('DELETE', '/api/v1/me/calendar-feed')).status, 404);

    for (const token of [
      randomBytes(32).toString('base64url'),
      'short',
      `${'a'.repeat(42)}!`,
      'x'.repeat(90),
      '..%2F..%2Fetc',
    ]) {
      const res = await calendarApp().get(`/api/v1/feeds/${token}/unconference/${f.eventId}/agenda.ics`);
      assert.equal(res.status, 404, `${token}: ${res.status}`);
    }
    assert.equal(
      (await calendarApp().get(`/api/v1/feeds/${'y'.repeat(201)}/unconference/${f.eventId}/agenda.ics`)).status,
      400,
      'an over-long token is refused by the router before any lookup',
    );
  });

  test('feed management needs a signed-in person; a disabled person’s feed is gone', async () => {
    const anonymous = await new Client(get().app).prime();
    assert.equal((await anonymous.post('/api/v1/me/calendar-feed')).status, 401);
    assert.equal((await anonymous.get('/api/v1/me/calendar-feed')).status, 401);
    const { db } = get().ctx.database;
    const leaver = await insertPerson(db, { username: 'leaver' });
    const made = (await (await clientFor(get().app, db, leaver)).post('/api/v1/me/calendar-feed')).body;
    await db.updateTable('people').set({ enabled: 0 }).where('id', '=', leaver).execute();
    assert.equal((await calendarApp().get(`${path(made.baseUrl)}unconference/${f.eventId}/event.ics`)).status, 410);
  });

  test('a hidden schedule is not in anyone’s feed but an admin’s', async () => {
    const { db } = get().ctx.database;
    const hidden = await publishedUnconference(db, { visible: false, name: 'Hidden' });
    const p = await hidden.propose('Secret', [people.ada!]);
    await hidden.publish([{ proposalId: p, slotId: hidden.slots[0]!.id, roomId: hidden.rooms[0]!.id }]);
    const made = (await (await member('cy')).post('/api/v1/me/calendar-feed')).body;
    assert.equal(
      (await calendarApp().get(`${path(made.baseUrl)}unconference/${hidden.eventId}/event.ics`)).status,
      404,
    );
  });

  test('concurrent "new feed URL" clicks leave exactly one live token', async () => {
    const { db } = get().ctx.database;
    const person = await insertPerson(db, { username: 'clicker' });
    const client = await clientFor(get().app, db, person);
    const answers = await Promise.all(Array.from({ length: 6 }, () => client.post('/api/v1/me/calendar-feed')));
    assert.ok(
      answers.every((a) => a.status === 201),
      answers.map((a) => a.status).join(','),
    );
    const live = await db
      .selectFrom('calendar_feeds')
      .select('id')
      .where('person_id', '=', person)
      .where('revoked_at', 'is', null)
      .execute();
    assert.equal(live.length, 1);
    const working = await Promise.all(
      answers.map((a) => calendarApp().get(`${path(a.body.baseUrl)}unconference/${f.eventId}/event.ics`)),
    );
    assert.deepEqual(working.map((w) => w.status).sort(), [200, 410, 410, 410, 410, 410]);
  });
});
