import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import type { Db } from '../src/db/database.js';
import { intra42Receiver } from '../src/features/ingest/receive.js';
import { FakeIntra42 } from './helpers/fakeIntra42.js';
import { deliverOutbox, notificationRows, startForFile, testOutboxOptions } from './helpers/outbox.js';
import { adminClient, type TestApp } from './helpers/server.js';
import { TestSmtp } from './helpers/smtp.js';
import { forEachEngine } from './helpers/suite.js';

const smtp = await startForFile(new TestSmtp());
const intra = await startForFile(new FakeIntra42());
const SECRETS = { create: 'create-secret-1', update: 'update-secret-2', destroy: 'destroy-secret-3' };
const inHours = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();
let deliveries = 0;

type Event = keyof typeof SECRETS;

function send(
  get: () => TestApp,
  event: Event,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any; delivery: string; retryAfter: unknown }> {
  const delivery = headers['x-delivery'] ?? `d-${++deliveries}-${Date.now()}`;
  return get()
    .app.inject({
      method: 'POST',
      url: '/webhooks/42',
      headers: {
        'content-type': 'application/json',
        'x-model': 'scale_team',
        'x-event': event,
        'x-secret': SECRETS[event],
        'x-delivery': delivery,
        ...headers,
      },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    })
    .then((r) => ({ status: r.statusCode, body: r.json(), delivery, retryAfter: r.headers['retry-after'] }));
}

const scaleTeam = (id: number, over: Record<string, unknown> = {}) => ({
  id,
  begin_at: inHours(3),
  user: { login: `eval${id}` },
  team: { id: id * 10, name: 'libft', users: [{ login: `stud${id}a` }, { login: `stud${id}b` }] },
  ...over,
});

async function meetingOf(get: () => TestApp, id: number) {
  const db = get().ctx.database.db;
  const meetings = await db.selectFrom('meetings').selectAll().where('source', '=', 'intra42').execute();
  const meeting = meetings.find((m) => m.external_id === String(id));
  if (!meeting) return null;
  const people = await db
    .selectFrom('meeting_participants')
    .innerJoin('external_ids', 'external_ids.person_id', 'meeting_participants.person_id')
    .select('external_ids.external_id as login')
    .where('meeting_id', '=', meeting.id)
    .where('external_ids.source', '=', 'intra42')
    .execute();
  return { ...meeting, logins: people.map((p) => p.login).sort() };
}

/** Makes the meetings insert of one scale team fail in the database, until `drop()`. */
async function refuseMeetingInsert(db: Db, engine: string, externalId: string) {
  const name = `refuse_${externalId}`;
  if (engine === 'sqlite') {
    await sql`create trigger ${sql.raw(name)} before insert on meetings when new.external_id = ${sql.lit(externalId)}
      begin select raise(abort, 'refused on purpose'); end`.execute(db);
  } else {
    await sql`create function ${sql.raw(name)}() returns trigger language plpgsql as $$
      begin if new.external_id = ${sql.lit(externalId)} then raise exception 'refused on purpose'; end if; return new; end $$`.execute(
      db,
    );
    await sql`create trigger ${sql.raw(name)} before insert on meetings for each row execute function ${sql.raw(name)}()`.execute(
      db,
    );
  }
  return {
    async drop() {
      await sql`drop trigger if exists ${sql.raw(name)}${sql.raw(engine === 'sqlite' ? '' : ' on meetings')}`.execute(
        db,
      );
      if (engine !== 'sqlite') await sql`drop function if exists ${sql.raw(name)}()`.execute(db);
    },
  };
}

forEachEngine(
  'POST /webhooks/42: the intranet scale_team contract',
  (get, engine) => {
    test('the secret is checked first and per event; unknown model or event and a missing delivery id are 4xx', async () => {
      const body = scaleTeam(1);
      assert.equal((await send(get, 'create', body, { 'x-secret': 'wrong' })).status, 401);
      assert.equal((await send(get, 'create', body, { 'x-secret': '' })).status, 401);
      // A secret of another event does not open this one; a wrong secret on an unknown model is still 401.
      assert.equal((await send(get, 'create', body, { 'x-secret': SECRETS.update })).status, 401);
      assert.equal((await send(get, 'create', body, { 'x-model': 'team', 'x-secret': 'nope' })).status, 401);
      const model = await send(get, 'create', body, { 'x-model': 'team' });
      assert.equal(model.status, 400);
      assert.equal(model.body.error.field, 'X-Model');
      const event = await send(get, 'create', body, { 'x-event': 'explode' });
      assert.equal(event.status, 400);
      assert.equal(event.body.error.field, 'X-Event');
      const noDelivery = await send(get, 'create', body, { 'x-delivery': '' });
      assert.equal(noDelivery.status, 400);
      assert.equal(noDelivery.body.error.field, 'X-Delivery');
      assert.equal(await meetingOf(get, 1), null, 'nothing refused was stored');
    });

    test('create makes the meeting with evaluator and team, people by login; a redelivery changes nothing', async () => {
      const db = get().ctx.database.db;
      const first = await send(get, 'create', scaleTeam(2));
      assert.equal(first.status, 200, JSON.stringify(first.body));
      const meeting = await meetingOf(get, 2);
      assert.ok(meeting);
      assert.deepEqual(meeting.logins, ['eval2', 'stud2a', 'stud2b']);
      assert.equal(meeting.origin, 'source:intra42');
      assert.ok(meeting.room_url || meeting.room_name, 'a video room');
      const person = await db.selectFrom('people').select('email').where('username', '=', 'stud2a').executeTakeFirst();
      assert.equal(person?.email, 'stud2a@student.example.org');
      const intros = await notificationRows(db, { meetingId: meeting.id, kinds: ['intro'] });
      assert.equal(intros.length, 3);
      const queued = (await notificationRows(db, { meetingId: meeting.id })).length;

      const again = await send(
        get,
        'create',
        { ...scaleTeam(2), begin_at: inHours(9) },
        { 'x-delivery': first.delivery },
      );
      assert.equal(again.status, 200);
      assert.equal(again.body.status, 'duplicate');
      assert.equal(again.body.meetingId, meeting.id, 'the answer names the meeting the first copy made');
      assert.equal((await meetingOf(get, 2))?.starts_at, meeting.starts_at);
      assert.equal((await notificationRows(db, { meetingId: meeting.id })).length, queued);
      const recorded = await db
        .selectFrom('deliveries')
        .selectAll()
        .where('delivery_id', '=', first.delivery)
        .execute();
      assert.equal(recorded.length, 1);
      assert.equal(recorded[0]?.outcome, 'ok');
      assert.equal(recorded[0]?.meeting_id, meeting.id);
    });

    test('bad payloads answer 400/422 naming the field, recorded as rejected, never a 500', async () => {
      const db = get().ctx.database.db;
      const automatic = await send(get, 'create', scaleTeam(3, { user: null }));
      assert.equal(automatic.status, 422);
      assert.equal(automatic.body.error.field, 'user.login');
      assert.match(automatic.body.error.message, /automatic/);
      const time = await send(get, 'create', scaleTeam(3, { begin_at: 'tomorrow at noon' }));
      assert.equal(time.status, 400);
      assert.equal(time.body.error.field, 'begin_at');
      const id = await send(get, 'create', scaleTeam(3, { id: 'three' }));
      assert.equal(id.status, 400);
      assert.equal(id.body.error.field, 'id');
      const logins = await send(get, 'create', scaleTeam(3, { team: { id: 30, users: [{ login: '' }] } }));
      assert.equal(logins.status, 400);
      assert.equal(logins.body.error.field, 'team.users[0].login');
      for (const raw of ['{"id": 3,', '', 'null', '[]', '"text"']) {
        const response = await send(get, 'create', raw);
        assert.equal(response.status, 400, raw);
      }
      const huge = await send(get, 'create', scaleTeam(3, { notes: 'x'.repeat(300 * 1024) }));
      assert.equal(huge.status, 413, 'a body over 256 kB is not read');
      const noTeam = await send(get, 'create', scaleTeam(3, { team: { id: 31 } }));
      assert.equal(noTeam.status, 422, 'no users and the 42 API is not configured');
      assert.equal(noTeam.body.error.field, 'team.users');
      assert.equal(await meetingOf(get, 3), null);
      const rejected = await db
        .selectFrom('deliveries')
        .selectAll()
        .where('delivery_id', '=', automatic.delivery)
        .executeTakeFirstOrThrow();
      assert.equal(rejected.outcome, 'rejected');
      assert.equal(rejected.status_code, 422);
      assert.match(rejected.error ?? '', /automatic/);
    });

    test('hostile input is refused with a 4xx naming what is wrong, before the body when the secret is wrong', async () => {
      const db = get().ctx.database.db;
      const inject = (headers: Record<string, string>, payload: string | Buffer, method: 'POST' | 'GET' = 'POST') =>
        get().app.inject({
          method,
          url: '/webhooks/42',
          headers: {
            'content-type': 'application/json',
            'x-model': 'scale_team',
            'x-event': 'create',
            'x-secret': SECRETS.create,
            'x-delivery': `h-${++deliveries}`,
            ...headers,
          },
          payload,
        });
      // Too large and without the secret: 401, the body never read; with it, 413 and recorded.
      const big = JSON.stringify(scaleTeam(40, { notes: 'x'.repeat(300 * 1024) }));
      assert.equal((await inject({ 'x-secret': 'wrong' }, big)).statusCode, 401);
      const tooLarge = await inject({ 'x-delivery': 'too-large-1' }, big);
      assert.equal(tooLarge.statusCode, 413);
      assert.match(tooLarge.json().error.message, /at most 256 kB/);
      const recorded = await db
        .selectFrom('deliveries')
        .select(['outcome', 'status_code'])
        .where('delivery_id', '=', 'too-large-1')
        .executeTakeFirstOrThrow();
      assert.deepEqual(recorded, { outcome: 'rejected', status_code: 413 });

      // An id nested 100,000 deep: 400, not a stack overflow.
      const deep = `{"id":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
      assert.equal((await inject({}, deep)).statusCode, 400);
      // NUL in a login, and bytes that are not UTF-8: refused, nobody stored with them.
      const nul = await inject({}, JSON.stringify(scaleTeam(41, { user: { login: 'ev\u0000il' } })));
      assert.equal(nul.statusCode, 400);
      assert.equal(nul.json().error.field, 'user.login');
      const latin1 = Buffer.concat([
        Buffer.from('{"id":42,"begin_at":"2031-01-01T10:00:00Z","user":{"login":"bad'),
        Buffer.from([0xff]),
        Buffer.from('byte"},"team":{"id":420,"users":[{"login":"x42"}]}}'),
      ]);
      const notUtf8 = await inject({}, latin1);
      assert.equal(notUtf8.statusCode, 400);
      assert.match(notUtf8.json().error.message, /UTF-8/);
      assert.equal(
        await db.selectFrom('people').select('id').where('username', 'like', 'bad%').executeTakeFirst(),
        undefined,
      );
      // A day the calendar does not have, and 24:00: refused, not rolled into the next month.
      const feb31 = await inject({}, JSON.stringify(scaleTeam(43, { begin_at: '2031-02-31T21:00:00Z' })));
      assert.equal(feb31.statusCode, 400);
      assert.equal(feb31.json().error.field, 'begin_at');
      const midnight = await inject({}, JSON.stringify(scaleTeam(43, { begin_at: '2031-01-01 24:00:00 UTC' })));
      assert.equal(midnight.json().error.field, 'begin_at');
      // A change time years ahead would freeze the evaluation: every later update "stale".
      const ahead = await inject({}, JSON.stringify(scaleTeam(43, { updated_at: '9999-12-31T23:59:59Z' })));
      assert.equal(ahead.statusCode, 400);
      assert.equal(ahead.json().error.field, 'updated_at');
      // A delivery id with a control character or too long: 400 saying which.
      const control = await inject({ 'x-delivery': 'a\u0001b' }, JSON.stringify(scaleTeam(44)));
      assert.equal(control.statusCode, 400);
      assert.equal(control.json().error.field, 'X-Delivery');
      const long = await inject({ 'x-delivery': 'd'.repeat(201) }, JSON.stringify(scaleTeam(44)));
      assert.match(long.json().error.message, /200 at most/);
      assert.equal(await meetingOf(get, 44), null);
      // The address answers GET with 405, not a page of the web app.
      const probe = await get().app.inject({ method: 'GET', url: '/webhooks/42' });
      assert.equal(probe.statusCode, 405);
      assert.equal(probe.headers.allow, 'POST');
    });

    test("a login that cannot be matched (its e-mail is another 42 person's) is a 409 naming the field, not a 503 to retry", async () => {
      const first = await send(get, 'create', scaleTeam(45, { user: { login: 'Zed45' } }));
      assert.equal(first.status, 200, JSON.stringify(first.body));
      const clash = await send(get, 'create', scaleTeam(46, { user: { login: 'zed45' } }));
      assert.equal(clash.status, 409, JSON.stringify(clash.body));
      assert.equal(clash.body.error.code, 'conflict');
      assert.equal(clash.body.error.field, 'user.login', 'the field of the body the sender can look at');
      assert.match(
        clash.body.error.message,
        /^user\.login "zed45": email: .* already belongs to intra42 person Zed45; .* in People$/,
      );
      assert.equal(clash.retryAfter, undefined, 'nothing to retry');
      assert.equal(await meetingOf(get, 46), null);
      const row = await get()
        .ctx.database.db.selectFrom('deliveries')
        .select(['outcome', 'status_code'])
        .where('delivery_id', '=', clash.delivery)
        .executeTakeFirstOrThrow();
      assert.deepEqual(row, { outcome: 'rejected', status_code: 409 });
    });

    test('an update older than the destroy, arriving after it, does not bring the evaluation back', async () => {
      await send(get, 'create', scaleTeam(47, { updated_at: '2026-01-01T10:00:00Z' }));
      const made = await meetingOf(get, 47);
      const destroyed = await send(get, 'destroy', { id: 47, updated_at: '2026-01-01T12:00:00Z' });
      assert.equal(destroyed.status, 200, JSON.stringify(destroyed.body));
      const late = await send(
        get,
        'update',
        scaleTeam(47, { updated_at: '2026-01-01T11:00:00Z', begin_at: inHours(8) }),
      );
      assert.equal(late.status, 200);
      assert.equal(late.body.status, 'ignored', JSON.stringify(late.body));
      const after = await meetingOf(get, 47);
      assert.deepEqual([after?.id, after?.status], [made?.id, 'cancelled'], 'no new meeting under the key');
      // A destroyed scale team is gone from the intranet: an update dated after it is a late retry too.
      const again = await send(get, 'update', scaleTeam(47, { updated_at: '2026-01-01T13:00:00Z' }));
      assert.equal(again.body.status, 'ignored', JSON.stringify(again.body));
      assert.match(again.body.message, /destroyed/);
      assert.deepEqual([(await meetingOf(get, 47))?.id, (await meetingOf(get, 47))?.status], [made?.id, 'cancelled']);
    });

    test('a destroy without updated_at is not undone by an update retried after it, nor by a create sent again', async () => {
      const created = await send(get, 'create', scaleTeam(48, { updated_at: inHours(-1) }));
      assert.equal(created.status, 200, JSON.stringify(created.body));
      const made = await meetingOf(get, 48);
      assert.equal((await send(get, 'destroy', { id: 48 })).body.status, 'ok');
      for (const [event, body] of [
        ['update', scaleTeam(48, { updated_at: inHours(0), begin_at: inHours(6) })],
        ['update', scaleTeam(48, { begin_at: inHours(7) })],
        ['create', scaleTeam(48)],
      ] as const) {
        const late = await send(get, event, body);
        assert.equal(late.status, 200);
        assert.deepEqual([late.body.status, late.body.meetingId], ['ignored', made?.id], JSON.stringify(late.body));
      }
      const meetings = await get()
        .ctx.database.db.selectFrom('meetings')
        .select(['id', 'status'])
        .where('source', '=', 'intra42')
        .where('external_id', 'like', '48%')
        .execute();
      assert.deepEqual(meetings, [{ id: made?.id, status: 'cancelled' }], 'still one meeting, cancelled');
    });

    test('a login that is not one is a 400 naming it; an evaluator alone, or an empty team, is a 422; nobody is added', async () => {
      const db = get().ctx.database.db;
      const people = async () =>
        Number(
          (
            await db
              .selectFrom('people')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await people();
      for (const [body, field] of [
        [scaleTeam(49, { user: { login: 'bad login<>' } }), 'user.login'],
        [
          scaleTeam(49, { team: { id: 490, name: 'libft', users: [{ login: 'ok49' }, { login: 'x@evil.org' }] } }),
          'team.users[1].login',
        ],
        [scaleTeam(49, { team: { id: 490, name: 'libft', users: [{ login: '-dash' }] } }), 'team.users[0].login'],
        [
          scaleTeam(49, { team: { id: 490, name: 'libft', users: [{ login: 'a'.repeat(65) }] } }),
          'team.users[0].login',
        ],
      ] as const) {
        const answer = await send(get, 'create', body);
        assert.equal(answer.status, 400, JSON.stringify(answer.body));
        assert.equal(answer.body.error.field, field);
        assert.match(answer.body.error.message, /42 login/);
      }
      const alone = await send(
        get,
        'create',
        scaleTeam(49, { user: { login: 'solo49' }, team: { id: 490, name: 'libft', users: [{ login: 'solo49' }] } }),
      );
      assert.equal(alone.status, 422, JSON.stringify(alone.body));
      assert.equal(alone.body.error.field, 'team.users');
      assert.match(alone.body.error.message, /only the evaluator solo49/);
      const empty = await send(get, 'create', scaleTeam(49, { team: { id: 490, name: 'libft', users: [] } }));
      assert.equal(empty.status, 422);
      assert.match(empty.body.error.message, /^team\.users: empty, and the 42 API is not configured/);
      assert.equal(await meetingOf(get, 49), null);
      assert.equal(await people(), before, 'nobody was added');
    });

    test('both begin_at forms; a past evaluation is stored but nobody is told', async () => {
      const db = get().ctx.database.db;
      const future = new Date(Date.now() + 86_400_000);
      future.setUTCMilliseconds(0);
      const spaced = `${future.toISOString().slice(0, 10)} ${future.toISOString().slice(11, 19)} UTC`;
      assert.equal((await send(get, 'create', scaleTeam(4, { begin_at: spaced }))).status, 200);
      assert.equal((await meetingOf(get, 4))?.starts_at, future.toISOString());

      assert.equal((await send(get, 'create', scaleTeam(5, { begin_at: '2020-05-14 22:30:00 UTC' }))).status, 200);
      const past = await meetingOf(get, 5);
      assert.equal(past?.starts_at, '2020-05-14T22:30:00.000Z');
      assert.equal((await notificationRows(db, { meetingId: past?.id as string })).length, 0);
    });

    test('update moves and changes people; a burst out of order ends with the newest updated_at', async () => {
      const db = get().ctx.database.db;
      await send(get, 'create', scaleTeam(6, { updated_at: '2026-01-01T10:00:00Z' }));
      // The intros go out: the update is news to people who heard of the first time.
      await deliverOutbox(get, engine, { options: testOutboxOptions() });
      const moved = inHours(5);
      const update = await send(
        get,
        'update',
        scaleTeam(6, {
          begin_at: moved,
          updated_at: '2026-01-01T11:00:00Z',
          team: { id: 60, users: [{ login: 'stud6a' }, { login: 'stud6c' }] },
        }),
      );
      assert.equal(update.status, 200, JSON.stringify(update.body));
      const meeting = await meetingOf(get, 6);
      assert.equal(meeting?.starts_at, moved);
      assert.deepEqual(meeting?.logins, ['eval6', 'stud6a', 'stud6c']);
      const kinds = (await notificationRows(db, { meetingId: meeting?.id as string })).map((n) => n.kind);
      assert.ok(kinds.includes('rescheduled'));
      assert.ok(kinds.includes('cancel'), 'the one removed is told');

      const times = [7, 9, 8].map((h) => ({ h, at: inHours(h) }));
      await Promise.all(
        times.map(({ h, at }) =>
          send(get, 'update', scaleTeam(6, { begin_at: at, updated_at: `2026-01-02T0${h}:00:00Z` })),
        ),
      );
      // Whatever order they were committed in, the one changed last at the intranet stands.
      assert.equal((await meetingOf(get, 6))?.starts_at, times[1]?.at);
      const late = await send(
        get,
        'update',
        scaleTeam(6, { begin_at: inHours(20), updated_at: '2026-01-02T05:00:00Z' }),
      );
      assert.equal(late.status, 200);
      assert.equal((await meetingOf(get, 6))?.starts_at, times[1]?.at);
    });

    test('a second create is an update; destroy cancels with a notice; again or of an unknown id is 2xx', async () => {
      const db = get().ctx.database.db;
      await send(get, 'create', scaleTeam(7));
      const later = inHours(6);
      assert.equal((await send(get, 'create', scaleTeam(7, { begin_at: later }))).status, 200);
      const meetings = await db.selectFrom('meetings').select('id').where('external_id', '=', '7').execute();
      assert.equal(meetings.length, 1);
      assert.equal((await meetingOf(get, 7))?.starts_at, later);
      // The intros go out; a destroy then tells the people they reached.
      await deliverOutbox(get, engine, { options: testOutboxOptions() });
      const destroy = await send(get, 'destroy', { id: 7 });
      assert.equal(destroy.status, 200);
      const cancelled = await meetingOf(get, 7);
      assert.equal(cancelled?.status, 'cancelled');
      const page = await (await adminClient(get().app)).get(`/api/v1/meetings/${cancelled?.id}`);
      assert.equal(page.body.meeting.cancelled.by, 'the 42 intranet (the evaluation was destroyed)');
      const cancels = (await notificationRows(db, { meetingId: cancelled?.id as string, kinds: ['cancel'] })).filter(
        (n) => n.channel === 'email',
      );
      assert.equal(cancels.length, 3, 'the evaluator and the team of two are told');
      // A second destroy changes nothing and says the meeting was cancelled, not that it took place.
      const again = await send(get, 'destroy', { id: 7 });
      assert.equal(again.status, 200);
      assert.equal(again.body.status, 'ignored');
      assert.equal(again.body.message, 'Scale team 7 was already cancelled.');
      const unknown = await send(get, 'destroy', { id: 987_654 });
      assert.equal(unknown.status, 200);
      assert.equal(unknown.body.status, 'ignored');
      // Its create arriving after the destroy (the intranet retrying one answered 503): still gone.
      const late = await send(get, 'create', scaleTeam(987_654));
      assert.equal(late.status, 200);
      assert.equal(late.body.status, 'ignored');
      assert.match(late.body.message, /scale team 987654 was destroyed before this arrived/);
      assert.equal(await meetingOf(get, 987_654), null, 'no meeting, nobody told');
      const update = await send(get, 'update', scaleTeam(987_654, { begin_at: inHours(9) }));
      assert.equal(update.body.status, 'ignored');
      assert.equal(await meetingOf(get, 987_654), null);
    });

    test('racing: one delivery sent twice at once, and two creates of one scale team, make one meeting', async () => {
      const db = get().ctx.database.db;
      const same = await Promise.all([
        send(get, 'create', scaleTeam(8), { 'x-delivery': 'race-8' }),
        send(get, 'create', scaleTeam(8), { 'x-delivery': 'race-8' }),
      ]);
      assert.deepEqual(same.map((r) => r.status).sort(), [200, 200]);
      const both = await Promise.all([send(get, 'create', scaleTeam(9)), send(get, 'create', scaleTeam(9))]);
      assert.deepEqual(
        both.map((r) => r.status),
        [200, 200],
        JSON.stringify(both.map((r) => r.body)),
      );
      for (const id of ['8', '9']) {
        const rows = await db.selectFrom('meetings').select('id').where('external_id', '=', id).execute();
        assert.equal(rows.length, 1, `scale team ${id}`);
        // A second create with another begin_at moves the meeting before its intros went out: they
        // are replaced by intros of the meeting as it is now.
        const intros = (await notificationRows(db, { meetingId: rows[0]?.id as string, kinds: ['intro'] })).filter(
          (r) => r.status !== 'skipped',
        );
        assert.equal(intros.length, 3, 'each person introduced once');
      }
    });

    // Deliveries handed to the receiver in one tick are stored as one batch (receive.ts).
    const inOneBatch = (get: () => TestApp, batch: Array<[Event, unknown]>) => {
      const receive = intra42Receiver({ db: get().ctx.database.db, config: get().ctx.config });
      return Promise.all(
        batch.map(([event, body]) =>
          receive(
            {
              'x-model': 'scale_team',
              'x-event': event,
              'x-secret': SECRETS[event],
              'x-delivery': `b-${++deliveries}`,
            },
            Buffer.from(JSON.stringify(body)),
          ),
        ),
      );
    };

    test('one batch mixing creates, updates and destroys of the same scale teams: each ends as its newest change says', async () => {
      const db = get().ctx.database.db;
      const [at1, at2, at3] = [inHours(4), inHours(5), inHours(6)];
      const receipts = await inOneBatch(get, [
        ['create', scaleTeam(30, { updated_at: '2026-03-01T10:00:00Z' })],
        ['create', scaleTeam(31)],
        ['update', scaleTeam(30, { begin_at: at1, updated_at: '2026-03-01T12:00:00Z' })],
        ['destroy', { id: 31 }],
        ['create', scaleTeam(32, { begin_at: '2020-05-14 22:30:00 UTC' })],
        // Older than the one before it: ignored.
        ['update', scaleTeam(30, { begin_at: at2, updated_at: '2026-03-01T11:00:00Z' })],
        ['create', scaleTeam(33)],
        // A second create is an update: the new time and a third student.
        [
          'create',
          scaleTeam(33, {
            begin_at: at3,
            team: { id: 330, users: [{ login: 'stud33a' }, { login: 'stud33b' }, { login: 'stud33c' }] },
          }),
        ],
      ]);
      assert.deepEqual(
        receipts.map((r) => r.outcome),
        ['ok', 'ok', 'ok', 'ok', 'ok', 'ignored', 'ok', 'ok'],
        JSON.stringify(receipts.map((r) => r.message)),
      );
      assert.equal((await meetingOf(get, 30))?.starts_at, at1);
      assert.equal((await meetingOf(get, 31))?.status, 'cancelled');
      const past = await meetingOf(get, 32);
      assert.equal(past?.starts_at, '2020-05-14T22:30:00.000Z');
      assert.equal((await notificationRows(db, { meetingId: past?.id as string })).length, 0, 'nobody told');
      const moved = await meetingOf(get, 33);
      assert.equal(moved?.starts_at, at3);
      assert.deepEqual(moved?.logins, ['eval33', 'stud33a', 'stud33b', 'stud33c']);
      const intros = (await notificationRows(db, { meetingId: moved?.id as string, kinds: ['intro'] })).filter(
        (r) => r.status !== 'skipped',
      );
      assert.equal(intros.length, 4, 'each person introduced once');
      assert.ok(
        intros.every((r) => JSON.parse(r.payload).meeting.startsAt === at3),
        'to the meeting as it is now, not as it was created',
      );
      assert.deepEqual(
        (await notificationRows(db, { meetingId: moved?.id as string, kinds: ['rescheduled'] })).map((r) => r.kind),
        [],
        'no "rescheduled" to people who never heard of the first time',
      );
      for (const id of ['30', '31', '33']) {
        const rows = await db.selectFrom('meetings').select('id').where('external_id', '=', id).execute();
        assert.equal(rows.length, 1, `scale team ${id} is one meeting`);
      }
    });

    test('while a large batch is being stored, a later update of one of its scale teams and a copy of one of its deliveries wait for it', async () => {
      const db = get().ctx.database.db;
      const receive = intra42Receiver({ db, config: get().ctx.config });
      const deliver = (event: Event, body: unknown, delivery: string) =>
        receive(
          { 'x-model': 'scale_team', 'x-event': event, 'x-secret': SECRETS[event], 'x-delivery': delivery },
          Buffer.from(JSON.stringify(body)),
        );
      assert.equal((await deliver('create', scaleTeam(40), 'f-40')).outcome, 'ok');
      const [first, second] = [inHours(7), inHours(8)];
      // One tick: a batch of many creates, with an update of 40 (no updated_at: the order they came decides).
      const big = [
        ...Array.from({ length: 40 }, (_, k) => deliver('create', scaleTeam(41_000 + k), `f-41-${k}`)),
        deliver('update', scaleTeam(40, { begin_at: first }), 'f-40-first'),
      ];
      await new Promise((resolve) => setImmediate(resolve));
      // The next tick, while it is stored (PostgreSQL takes a second batch meanwhile): a newer update
      // of 40, a copy of one of the creates, and a scale team of its own.
      const late = [
        deliver('update', scaleTeam(40, { begin_at: second }), 'f-40-second'),
        deliver('create', scaleTeam(41_000), 'f-41-0'),
        deliver('create', scaleTeam(42_000), 'f-42'),
      ];
      const receipts = await Promise.all([...big, ...late]);
      assert.ok(
        receipts.slice(0, 41).every((r) => r.outcome === 'ok'),
        JSON.stringify(receipts.map((r) => r.message)),
      );
      const [newer, copy, own] = receipts.slice(41);
      assert.equal(newer?.outcome, 'ok', newer?.message);
      assert.equal((await meetingOf(get, 40))?.starts_at, second, 'the update that came last stands');
      assert.equal(copy?.outcome, 'duplicate');
      assert.equal(copy?.earlier?.outcome, 'ok');
      const copies = await db.selectFrom('deliveries').select('id').where('delivery_id', '=', 'f-41-0').execute();
      assert.equal(copies.length, 1);
      const made = await meetingOf(get, 41_000);
      assert.equal((await notificationRows(db, { meetingId: made?.id as string, kinds: ['intro'] })).length, 3);
      assert.equal(own?.outcome, 'ok');
      assert.deepEqual((await meetingOf(get, 42_000))?.logins, ['eval42000', 'stud42000a', 'stud42000b']);
    });

    test('a batch whose meetings insert fails is stored one delivery at a time: only the failing one fails', async () => {
      const db = get().ctx.database.db;
      const failing = await refuseMeetingInsert(db, engine, '35002');
      let receipts: Awaited<ReturnType<typeof inOneBatch>>;
      try {
        receipts = await inOneBatch(get, [
          ['create', scaleTeam(35_001)],
          ['create', scaleTeam(35_002)],
          ['create', scaleTeam(35_003)],
        ]);
      } finally {
        await failing.drop();
      }
      assert.deepEqual(
        receipts.map((r) => r.outcome),
        ['ok', 'failed', 'ok'],
      );
      assert.ok((receipts[1]?.status ?? 0) >= 500, 'the sender is asked to send it again');
      for (const id of [35_001, 35_003]) {
        const meeting = await meetingOf(get, id);
        assert.equal(meeting?.logins.length, 3, `scale team ${id} stored with its people`);
        assert.equal((await notificationRows(db, { meetingId: meeting?.id as string, kinds: ['intro'] })).length, 3);
      }
      assert.equal(await meetingOf(get, 35_002), null);
      const row = await db
        .selectFrom('deliveries')
        .select('outcome')
        .where('id', '=', receipts[1]?.deliveryRowId as string)
        .executeTakeFirstOrThrow();
      assert.equal(row.outcome, 'failed');
    });

    test('a delivery that cannot be stored answers 503 "unavailable" with a Retry-After, so the intranet sends it again', async () => {
      const failing = await refuseMeetingInsert(get().ctx.database.db, engine, '36001');
      let answer: Awaited<ReturnType<typeof send>>;
      try {
        answer = await send(get, 'create', scaleTeam(36_001));
        assert.equal(answer.status, 503);
        assert.equal(answer.body.error.code, 'unavailable');
        assert.equal(answer.retryAfter, '60');
      } finally {
        await failing.drop();
      }
      const again = await send(get, 'create', scaleTeam(36_001), { 'x-delivery': answer.delivery });
      assert.equal(again.status, 200, 'the same delivery goes through once the database takes it');
    });

    test("the admin's Inbound list finds every delivery about one scale team, refused ones too, or one delivery by its id", async () => {
      const admin = await adminClient(get().app);
      const created = await send(get, 'create', scaleTeam(37_001));
      const moved = await send(get, 'update', scaleTeam(37_001, { begin_at: inHours(5), updated_at: inHours(0) }));
      const automatic = await send(get, 'create', { ...scaleTeam(37_001), user: null });
      const asText = await send(get, 'create', { ...scaleTeam(37_002), id: '37001' });
      const other = await send(get, 'create', scaleTeam(37_003));
      assert.deepEqual(
        [created.status, moved.status, automatic.status, other.status],
        [200, 200, 422, 200],
        JSON.stringify([created.body, moved.body, automatic.body]),
      );
      assert.equal(asText.status, 400, 'an id given as text is refused, and still found by it');

      const found = await admin.get('/api/v1/admin/deliveries?find=37001');
      assert.equal(found.status, 200);
      assert.deepEqual(
        found.body.deliveries.map((d: { deliveryId: string }) => d.deliveryId).sort(),
        [created.delivery, moved.delivery, automatic.delivery, asText.delivery].sort(),
      );
      assert.ok(found.body.deliveries.every((d: { subject: string }) => d.subject === '37001'));
      const refused = found.body.deliveries.find((d: { deliveryId: string }) => d.deliveryId === automatic.delivery);
      assert.equal(refused.outcome, 'rejected');

      const one = await admin.get(`/api/v1/admin/deliveries?find=${encodeURIComponent(` ${other.delivery} `)}`);
      assert.deepEqual(
        one.body.deliveries.map((d: { deliveryId: string; subject: string }) => [d.deliveryId, d.subject]),
        [[other.delivery, '37003']],
      );
      const withOutcome = await admin.get('/api/v1/admin/deliveries?find=37001&outcome=rejected');
      assert.deepEqual(
        withOutcome.body.deliveries.map((d: { deliveryId: string }) => d.deliveryId).sort(),
        [automatic.delivery, asText.delivery].sort(),
      );
      assert.deepEqual((await admin.get('/api/v1/admin/deliveries?find=99999999')).body.deliveries, []);
      for (const bad of ['%20%20', 'x'.repeat(201)]) {
        const answer = await admin.get(`/api/v1/admin/deliveries?find=${bad}`);
        assert.equal(answer.status, 400, bad);
        assert.equal(answer.body.error.field, 'find');
      }
    });
  },
  {
    'notifications.email.smtpUrl': smtp.url,
    'notifications.email.from': 'Convene <convene@example.org>',
    'intra42.webhooks': `scale_team.create:${SECRETS.create},scale_team.update:${SECRETS.update},scale_team.destroy:${SECRETS.destroy}`,
    'intra42.emailDomain': 'student.example.org',
  },
);

forEachEngine(
  'POST /webhooks/42 with the team fetched from the 42 API',
  (get) => {
    test('team users and e-mails come from the API; the token is cached; a 429 is waited out', async () => {
      const db = get().ctx.database.db;
      intra.teams.set(110, ['api11a', 'api11b']);
      intra.emails.set('api11a', 'Ann.Api@campus.example.org');
      const issued = intra.tokensIssued;
      const first = await send(get, 'create', scaleTeam(11, { team: { id: 110, name: 'minishell' } }));
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.deepEqual((await meetingOf(get, 11))?.logins, ['api11a', 'api11b', 'eval11']);
      const ann = await db.selectFrom('people').select('email').where('username', '=', 'api11a').executeTakeFirst();
      assert.equal(ann?.email, 'ann.api@campus.example.org');
      const ben = await db.selectFrom('people').select('email').where('username', '=', 'api11b').executeTakeFirst();
      assert.equal(ben?.email, 'api11b@student.example.org', 'no e-mail from the API: login@emailDomain');

      intra.teams.set(120, ['api12a']);
      intra.rateLimit = { times: 1, retryAfter: 1 };
      const started = Date.now();
      const second = await send(get, 'create', scaleTeam(12, { team: { id: 120 } }));
      assert.equal(second.status, 200, JSON.stringify(second.body));
      assert.ok(Date.now() - started >= 900, 'the Retry-After was waited out');
      assert.deepEqual((await meetingOf(get, 12))?.logins, ['api12a', 'eval12']);
      assert.equal(intra.tokensIssued, issued + 1, 'one token for both deliveries');

      const missing = await send(get, 'create', scaleTeam(13, { team: { id: 999 } }));
      assert.equal(missing.status, 422);
      assert.equal(missing.body.error.field, 'team.users');
    });

    test('the 42 API failing answers 502 "bad_gateway" with a Retry-After; the redelivery goes through', async () => {
      intra.teams.set(140, ['api14a']);
      intra.serverErrors = 1;
      const failed = await send(get, 'create', scaleTeam(14, { team: { id: 140 } }));
      assert.equal(failed.status, 502, JSON.stringify(failed.body));
      assert.equal(failed.body.error.code, 'bad_gateway');
      assert.equal(failed.retryAfter, '60');
      const again = await send(get, 'create', scaleTeam(14, { team: { id: 140 } }), { 'x-delivery': failed.delivery });
      assert.equal(again.status, 200, JSON.stringify(again.body));
      assert.deepEqual((await meetingOf(get, 14))?.logins, ['api14a', 'eval14']);
    });
  },
  {
    'notifications.email.smtpUrl': smtp.url,
    'notifications.email.from': 'Convene <convene@example.org>',
    'intra42.webhooks': `scale_team.create:${SECRETS.create},scale_team.update:${SECRETS.update},scale_team.destroy:${SECRETS.destroy}`,
    'intra42.emailDomain': 'student.example.org',
    'intra42.apiUrl': intra.url,
    'intra42.appId': intra.appId,
    'intra42.appSecret': intra.appSecret,
  },
);
