// test-runner: one process per engine
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSession } from '../src/features/auth/sessions.js';
import { sessionExternalId } from '../src/features/unconference/publish.js';
import { waitForRun } from '../src/features/unconference/scheduleRuns.js';
import { icsUtc } from '../src/integrations/ics.js';
import { icsEvent } from './helpers/icsEvent.js';
import { deliverOutbox, startForFile, testOutboxOptions } from './helpers/outbox.js';
import { clientFor, insertPerson } from './helpers/people.js';
import { spawnConvene } from './helpers/process.js';
import { ADMIN_PASSWORD, adminClient, Client } from './helpers/server.js';
import { TestSmtp } from './helpers/smtp.js';
import { forEachEngine } from './helpers/suite.js';
import {
  type EventFixture,
  insertUnconference,
  placeInOrder,
  workingSchedule,
} from './helpers/unconferenceSchedule.js';

const smtp = await startForFile(new TestSmtp());

/** Annealing steps per run (unconferenceRuns.iterations): ample for the fixtures' few sessions. */
const RUN_ITERATIONS = 20_000;

const base = (eventId: string) => `/api/v1/admin/unconference/events/${eventId}/schedule`;

async function waitForEnd(admin: Client, eventId: string, runId: string) {
  await waitForRun(runId);
  for (let i = 0; i < 200; i++) {
    const { body } = await admin.get(`${base(eventId)}/runs/${runId}`);
    if (!['queued', 'running'].includes(body.run.status)) return body.run;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('run did not end');
}

async function runToEnd(admin: Client, eventId: string, body: Record<string, unknown> = {}) {
  const started = await admin.post(`${base(eventId)}/runs`, { seconds: 2, seed: 'test', ...body });
  assert.equal(started.status, 202, JSON.stringify(started.body));
  return waitForEnd(admin, eventId, started.body.run.id);
}

/** Every hard rule of a schedule: one session per (slot, room), no owner in two places at once. */
function assertRules(fixture: EventFixture, schedule: Map<string, string>) {
  const places = new Set<string>();
  const ownerSlots = new Set<string>();
  for (const [proposal, place] of schedule) {
    assert.ok(!places.has(place), `two sessions in ${place}`);
    places.add(place);
    const slot = place.split('/')[0]!;
    assert.ok(fixture.slotIds.includes(slot), 'placed in a non-break slot of the event');
    for (const owner of fixture.owners.get(proposal) ?? []) {
      assert.ok(!ownerSlots.has(`${owner}@${slot}`), 'an owner in two sessions at once');
      ownerSlots.add(`${owner}@${slot}`);
    }
  }
}

forEachEngine(
  'Unconference scheduling console',
  (get, engine) => {
    test('a run places every session it can in the background and saves the schedule in one go', async () => {
      const { app, ctx } = get();
      const db = ctx.database.db;
      const fixture = await insertUnconference(db, { proposals: 8, people: 14, tag: `run${engine}` });
      const admin = await adminClient(app);
      const run = await runToEnd(admin, fixture.eventId);
      assert.equal(run.status, 'done');
      assert.equal(run.progress, 1);
      assert.ok(run.upperBound >= run.bestScore);
      const saved = await workingSchedule(db, fixture.eventId);
      assert.equal(saved.size, 8, '8 sessions in 8 places (4 slots x 2 rooms)');
      assertRules(fixture, saved);

      const { status, body } = await admin.get(base(fixture.eventId));
      assert.equal(status, 200);
      assert.equal(body.evaluation.score, run.bestScore, 'the console scores the saved schedule as the engine did');
      assert.equal(body.evaluation.placed, 8);
      assert.equal(body.evaluation.unplaced.length, 0);
      assert.ok(body.evaluation.trivialBound >= body.evaluation.score);
      assert.ok(body.evaluation.leastServed.length > 0 && body.evaluation.leastServed.length <= 10);
      const shares = body.evaluation.leastServed.map((p: { share: number }) => p.share);
      assert.deepEqual(
        shares,
        [...shares].sort((a, b) => a - b),
        'least served first',
      );
      assert.equal(body.lastRun.id, run.id);
      assert.equal(body.activeRun, null);
      assert.equal(body.slots.length, 4, 'breaks are not offered');
    });

    test('unplaced sessions are listed with a reason; overflowing rooms are flagged', async () => {
      const { app, ctx } = get();
      const db = ctx.database.db;
      // 10 sessions for 8 places, rooms of 1 seat.
      const fixture = await insertUnconference(db, { proposals: 10, people: 14, capacity: 1, tag: `unp${engine}` });
      const admin = await adminClient(app);
      await runToEnd(admin, fixture.eventId);
      const { body } = await admin.get(base(fixture.eventId));
      assert.equal(body.evaluation.placed, 8);
      assert.equal(body.evaluation.unplaced.length, 2);
      for (const u of body.evaluation.unplaced) {
        assert.equal(u.reason, 'slots_full');
        assert.match(u.detail, /every room is taken/);
      }
      assert.ok(body.evaluation.overflowing.length > 0, 'one-seat rooms overflow');
      assert.ok(
        body.evaluation.overflowing.every((o: { audience: number; capacity: number }) => o.audience > o.capacity),
      );
    });

    test('a run whose process is killed is failed at the next start and the schedule stays as it was', async () => {
      const { app, ctx, config } = get();
      const db = ctx.database.db;
      const fixture = await insertUnconference(db, { tag: `kil${engine}` });
      await placeInOrder(db, fixture, 4);
      const before = await workingSchedule(db, fixture.eventId);
      const server = await spawnConvene({
        DATABASE_URL: config.databaseUrl,
        CONVENE_JOBS: 'false',
        CONVENE_ADMIN_PASSWORD: ADMIN_PASSWORD,
      });
      let runId: string;
      try {
        const adminId = (
          await db.selectFrom('people').select('id').where('role', '=', 'admin').executeTakeFirstOrThrow()
        ).id;
        const { token } = await createSession(db, { personId: adminId, days: 1 });
        const response = await fetch(
          `${server.url}/api/v1/admin/unconference/events/${fixture.eventId}/schedule/runs`,
          {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              cookie: `convene_session=${token}; convene_csrf=x`,
              'x-csrf-token': 'x',
            },
            body: JSON.stringify({ seconds: 60 }),
          },
        );
        const body = (await response.json()) as { run: { id: string } };
        assert.equal(response.status, 202, JSON.stringify(body));
        runId = body.run.id;
        // Wait until the other process is really running it (a heartbeat after the start).
        for (let i = 0; i < 100; i++) {
          const row = await db.selectFrom('unconf_runs').selectAll().where('id', '=', runId).executeTakeFirstOrThrow();
          if (row.progress > 0) break;
          await new Promise((r) => setTimeout(r, 100));
        }
      } finally {
        server.child.kill('SIGKILL');
        await server.exited;
      }
      const orphan = await db.selectFrom('unconf_runs').selectAll().where('id', '=', runId).executeTakeFirstOrThrow();
      assert.equal(orphan.status, 'running', 'nobody was left to end it');
      assert.deepEqual(await workingSchedule(db, fixture.eventId), before);

      const admin = await adminClient(app);
      // Within the heartbeat window it still counts as running elsewhere. The window is short in this
      // test, so the heartbeat is dated now rather than trusting a loaded machine to get here in time.
      await db
        .updateTable('unconf_runs')
        .set({ heartbeat_at: new Date().toISOString() })
        .where('id', '=', runId)
        .execute();
      assert.equal((await admin.post(`${base(fixture.eventId)}/runs`, { seconds: 1 })).status, 409);
      await new Promise((r) => setTimeout(r, (config.unconferenceRuns.staleSeconds + 1) * 1000));
      const next = await admin.post(`${base(fixture.eventId)}/runs`, { seconds: 1, seed: 'after-kill' });
      assert.equal(next.status, 202, JSON.stringify(next.body));
      const failed = await admin.get(`${base(fixture.eventId)}/runs/${runId}`);
      assert.equal(failed.body.run.status, 'failed');
      assert.match(failed.body.run.error, /stopped/);
      await waitForEnd(admin, fixture.eventId, next.body.run.id);
    });

    test('locked slots keep their sessions and pinned sessions stay where pinned', async () => {
      const { app, ctx } = get();
      const db = ctx.database.db;
      const fixture = await insertUnconference(db, { proposals: 7, tag: `lck${engine}` });
      await placeInOrder(db, fixture, 2); // both in slot 0
      const admin = await adminClient(app);
      const lock = await admin.put(`${base(fixture.eventId)}/slots/${fixture.slotIds[0]}/lock`, { locked: true });
      assert.equal(lock.status, 204);
      const pinned = fixture.proposalIds[5]!;
      const pin = await admin.put(`${base(fixture.eventId)}/proposals/${pinned}/pin`, {
        pinned: true,
        slotId: fixture.slotIds[3],
        roomId: fixture.roomIds[1],
      });
      assert.equal(pin.status, 204, JSON.stringify(pin.body));
      const before = await workingSchedule(db, fixture.eventId);
      const run = await runToEnd(admin, fixture.eventId);
      assert.equal(run.status, 'done', run.error);
      const after = await workingSchedule(db, fixture.eventId);
      assertRules(fixture, after);
      for (const p of fixture.proposalIds.slice(0, 2))
        assert.equal(after.get(p), before.get(p), 'kept in the locked slot');
      const inLocked = [...after.values()].filter((place) => place.startsWith(`${fixture.slotIds[0]}/`));
      assert.equal(inLocked.length, 2, 'nothing else enters the locked slot');
      assert.equal(after.get(pinned), `${fixture.slotIds[3]}/${fixture.roomIds[1]}`);

      // Bad input: a break, an unknown slot, a pin without a place, moving a pinned session.
      assert.equal(
        (await admin.put(`${base(fixture.eventId)}/slots/${fixture.breakSlotIds[0]}/lock`, { locked: true })).status,
        400,
      );
      assert.equal((await admin.put(`${base(fixture.eventId)}/slots/nope/lock`, { locked: true })).status, 404);
      const noBool = await admin.put(`${base(fixture.eventId)}/slots/${fixture.slotIds[0]}/lock`, { locked: 'yes' });
      assert.equal(noBool.status, 400);
      assert.match(noBool.body.error.message, /locked/);
      const movePinned = await admin.post(`${base(fixture.eventId)}/moves/preview`, {
        proposalId: pinned,
        slotId: fixture.slotIds[1],
      });
      assert.equal(movePinned.status, 409);
      assert.match(movePinned.body.error.message, /pinned/);
      const intoLocked = await admin.post(`${base(fixture.eventId)}/moves/preview`, {
        proposalId: fixture.proposalIds[6],
        slotId: fixture.slotIds[0],
      });
      assert.equal(intoLocked.status, 409);
      assert.equal(intoLocked.body.error.field, 'slotId');
      assert.equal(
        (await admin.put(`${base(fixture.eventId)}/proposals/${pinned}/pin`, { pinned: false })).status,
        204,
      );
      assert.equal(
        (await admin.put(`${base(fixture.eventId)}/slots/${fixture.slotIds[0]}/lock`, { locked: false })).status,
        204,
      );
    });

    test('a move preview shows the score the move gives once saved, and swaps with the session in the way', async () => {
      const { app, ctx } = get();
      const db = ctx.database.db;
      const fixture = await insertUnconference(db, { proposals: 6, tag: `mov${engine}` });
      const admin = await adminClient(app);
      await runToEnd(admin, fixture.eventId);
      const working = await workingSchedule(db, fixture.eventId);
      const [mover, other] = [...working.keys()];
      const otherPlace = working.get(other!)!.split('/');
      const moverPlace = working.get(mover!)!;
      const preview = await admin.post(`${base(fixture.eventId)}/moves/preview`, {
        proposalId: mover,
        slotId: otherPlace[0],
        roomId: otherPlace[1],
      });
      // Every proposal of the fixture has its own owner: a swap is always allowed.
      assert.equal(preview.status, 200, JSON.stringify(preview.body));
      assert.equal(preview.body.saved, false);
      assert.equal(preview.body.changes.length, 2, 'the occupant swaps');
      assert.deepEqual(await workingSchedule(db, fixture.eventId), working, 'a preview saves nothing');
      const before = (await admin.get(base(fixture.eventId))).body.evaluation.score;
      assert.equal(preview.body.scoreBefore, before);
      const applied = await admin.post(`${base(fixture.eventId)}/moves`, {
        proposalId: mover,
        slotId: otherPlace[0],
        roomId: otherPlace[1],
      });
      assert.equal(applied.status, 200);
      assert.equal(applied.body.saved, true);
      const after = (await admin.get(base(fixture.eventId))).body.evaluation.score;
      assert.equal(after, preview.body.scoreAfter, 'the preview told the truth');
      assert.equal(preview.body.delta, after - before);
      const now = await workingSchedule(db, fixture.eventId);
      assert.equal(now.get(mover!), otherPlace.join('/'));
      assert.equal(now.get(other!), moverPlace);

      // Taking a session out, and bad moves.
      const out = await admin.post(`${base(fixture.eventId)}/moves`, { proposalId: mover, slotId: null });
      assert.equal(out.status, 200);
      assert.equal((await workingSchedule(db, fixture.eventId)).has(mover!), false);
      const console = (await admin.get(base(fixture.eventId))).body;
      assert.equal(console.evaluation.unplaced[0].session, mover);
      assert.equal(console.evaluation.unplaced[0].reason, 'room_free');
      for (const [body, field] of [
        [{ proposalId: mover, slotId: 'nope' }, 'slotId'],
        [{ proposalId: mover, slotId: fixture.breakSlotIds[0] }, 'slotId'],
        [{ proposalId: 'nope', slotId: fixture.slotIds[0] }, 'proposalId'],
        [{ proposalId: mover, slotId: fixture.slotIds[0], roomId: 'nope' }, 'roomId'],
        [{ slotId: fixture.slotIds[0] }, 'proposalId'],
      ] as const) {
        const bad = await admin.post(`${base(fixture.eventId)}/moves/preview`, body);
        assert.equal(bad.status, 400, JSON.stringify(body));
        assert.equal(bad.body.error.field, field);
      }
      // Owner clash: a second session of the same owner cannot join the first one's slot.
      const owner = fixture.owners.get(fixture.proposalIds[0]!)![0]!;
      await db
        .insertInto('unconf_owners')
        .values({ proposal_id: mover!, person_id: owner, event_id: fixture.eventId, role: 'co-owner' })
        .execute();
      const firstSlot = (await workingSchedule(db, fixture.eventId)).get(fixture.proposalIds[0]!);
      if (firstSlot && mover !== fixture.proposalIds[0]) {
        const clash = await admin.post(`${base(fixture.eventId)}/moves/preview`, {
          proposalId: mover,
          slotId: firstSlot.split('/')[0],
        });
        assert.equal(clash.status, 409);
        assert.match(clash.body.error.message, /same owner/);
      }
    });

    test('publishing makes versions and meetings; only the people of moved sessions are told, with the old time', async () => {
      const { app, ctx } = get();
      const db = ctx.database.db;
      const fixture = await insertUnconference(db, { proposals: 4, people: 10, rooms: 1, tag: `pub${engine}` });
      const admin = await adminClient(app);
      assert.equal((await admin.post(`${base(fixture.eventId)}/publish`, {})).status, 400, 'nothing to publish yet');
      await placeInOrder(db, fixture, 4); // one per slot, one room
      const first = await admin.post(`${base(fixture.eventId)}/publish`, { note: 'First cut' });
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.equal(first.body.version.number, 1);
      assert.equal(first.body.version.notified, false);
      const phase = await db.selectFrom('events').select('phase').where('id', '=', fixture.eventId).executeTakeFirst();
      assert.equal(phase?.phase, 'published', 'publishing makes the event published');
      const phaseMoves = async () =>
        (
          await db
            .selectFrom('audit_log')
            .select('data')
            .where('action', '=', 'event.phase')
            .where('subject_id', '=', fixture.eventId)
            .execute()
        ).map((m) => JSON.parse(m.data ?? '{}'));
      assert.deepEqual(await phaseMoves(), [{ kind: 'unconference', to: 'published', byPublication: true }]);
      const meetings = await db
        .selectFrom('meetings')
        .select(['id', 'external_id', 'origin', 'starts_at', 'title'])
        .where('source', '=', 'unconference')
        .where('origin', '=', `event:${fixture.eventId}`)
        .execute();
      assert.equal(meetings.length, 4);
      const noticesAfterFirst = await db
        .selectFrom('notifications')
        .select('id')
        .where('origin', '=', `event:${fixture.eventId}`)
        .execute();
      assert.equal(noticesAfterFirst.length, 0, 'the first publication tells nobody');

      // Move session 1 from slot 0 to slot 1 (swapping with session 2), publish again.
      const [s1, s2, s3] = fixture.proposalIds;
      const moved = await admin.post(`${base(fixture.eventId)}/moves`, {
        proposalId: s1,
        slotId: fixture.slotIds[1],
        roomId: fixture.roomIds[0],
      });
      assert.equal(moved.status, 200, JSON.stringify(moved.body));
      const second = await admin.post(`${base(fixture.eventId)}/publish`, {});
      assert.equal(second.status, 200);
      assert.equal(second.body.version.number, 2);
      assert.equal((await phaseMoves()).length, 1, 'publishing again leaves the phase as it was');
      assert.equal(second.body.version.moved, 2);
      assert.equal(second.body.version.meetingsCreated, 0);
      const notices = await db
        .selectFrom('notifications')
        .innerJoin('meetings', 'meetings.id', 'notifications.meeting_id')
        .select(['notifications.kind', 'notifications.person_id', 'notifications.payload', 'meetings.external_id'])
        .where('notifications.origin', '=', `event:${fixture.eventId}`)
        .execute();
      assert.ok(notices.length > 0, 'the people of moved sessions are told');
      const movedIds = new Set([sessionExternalId(fixture.eventId, s1!), sessionExternalId(fixture.eventId, s2!)]);
      for (const n of notices) {
        assert.ok(movedIds.has(n.external_id!), 'only moved sessions');
        // The notice, and the reminder re-armed for the new time.
        assert.ok(['rescheduled', 'reminder'].includes(n.kind), n.kind);
      }
      assert.ok(
        notices.some((n) => n.kind === 'rescheduled' && n.external_id === sessionExternalId(fixture.eventId, s1!)),
      );
      assert.ok(
        notices.some((n) => n.kind === 'rescheduled' && n.external_id === sessionExternalId(fixture.eventId, s2!)),
      );
      const s1Notice = notices.find(
        (n) => n.kind === 'rescheduled' && n.external_id === sessionExternalId(fixture.eventId, s1!) && n.person_id,
      );
      const payload = JSON.parse(s1Notice!.payload);
      assert.equal(payload.meeting.previousStartsAt, meetings.find((m) => m.external_id?.endsWith(s1!))!.starts_at);
      // Who: owners and people at 75 or more, nobody else.
      const told = new Set(
        notices.filter((n) => n.external_id === sessionExternalId(fixture.eventId, s1!)).map((n) => n.person_id),
      );
      const expected = new Set([
        ...fixture.owners.get(s1!)!,
        ...(
          await db
            .selectFrom('unconf_interests')
            .select('person_id')
            .where('proposal_id', '=', s1!)
            .where('level', '>=', 75)
            .execute()
        ).map((r) => r.person_id),
      ]);
      for (const person of told) if (person) assert.ok(expected.has(person), 'told only owners and interested people');

      const changelog = await new Client(app).get(`/api/v1/unconference/events/${fixture.eventId}/changelog`);
      assert.equal(changelog.status, 200);
      assert.equal(changelog.body.versions.length, 2);
      assert.equal(changelog.body.versions[0].number, 2);
      const changes = changelog.body.versions[0].changes;
      assert.deepEqual(changes.map((c: { kind: string }) => c.kind).sort(), ['moved', 'moved']);
      const c1 = changes.find((c: { proposalId: string }) => c.proposalId === s1);
      assert.ok(c1.from.startsAt < c1.to.startsAt);
      assert.equal(changelog.body.versions[1].changes.length, 4);
      assert.ok(changelog.body.versions[1].changes.every((c: { kind: string }) => c.kind === 'added'));
      assert.equal(changelog.body.versions[1].note, 'First cut');
      assert.equal(s3 !== undefined, true);

      // Re-optimise with minimal change: the published schedule is the start, little moves.
      const minimal = await runToEnd(admin, fixture.eventId, { mode: 'minimal_change', moveWeight: 1000 });
      assert.equal(minimal.status, 'done', minimal.error);
      assert.equal(minimal.mode, 'minimal_change');
    });

    test("the console's upper bound is the engine's while it holds, else the trivial bound, named so", async () => {
      const { app, ctx } = get();
      const db = ctx.database.db;
      const fixture = await insertUnconference(db, { proposals: 8, people: 14, tag: `bnd${engine}` });
      const admin = await adminClient(app);
      const fresh = (await admin.get(base(fixture.eventId))).body;
      assert.equal(fresh.runBound, null, 'no run yet: only the trivial bound is known');
      assert.equal('upperBound' in fresh.evaluation, false, 'the trivial bound is never called the upper bound');
      assert.ok(fresh.evaluation.trivialBound > 0);

      const run = await runToEnd(admin, fixture.eventId);
      const after = (await admin.get(base(fixture.eventId))).body;
      assert.equal(after.runBound.runId, run.id);
      assert.equal(after.runBound.upperBound, run.upperBound, "the run's bound, as the engine gave it");
      assert.ok(after.runBound.upperBound <= after.evaluation.trivialBound, 'never looser than the trivial bound');
      assert.ok(after.runBound.upperBound >= after.evaluation.score);
      const gap = (run.upperBound - after.evaluation.score) / run.upperBound;
      assert.ok(Math.abs(after.runBound.gap - gap) < 1e-9);
      assert.equal(after.runBound.gap, run.gap, 'the console and the run card show one gap');

      // A hand move changes the score, not what the engine bounded: the bound stays, the gap follows.
      const working = await workingSchedule(db, fixture.eventId);
      const [mover, other] = [...working.keys()];
      const moved = await admin.post(`${base(fixture.eventId)}/moves`, {
        proposalId: mover,
        slotId: working.get(other!)!.split('/')[0],
        roomId: working.get(other!)!.split('/')[1],
      });
      assert.equal(moved.status, 200, JSON.stringify(moved.body));
      const afterMove = (await admin.get(base(fixture.eventId))).body;
      assert.equal(afterMove.runBound?.upperBound, run.upperBound);
      const gapAfterMove = (run.upperBound - afterMove.evaluation.score) / run.upperBound;
      assert.ok(Math.abs(afterMove.runBound.gap - gapAfterMove) < 1e-9);

      // A new rating changes the instance: the run's bound no longer holds and is not shown.
      const person = fixture.people[0]!;
      await db
        .deleteFrom('unconf_interests')
        .where('event_id', '=', fixture.eventId)
        .where('person_id', '=', person)
        .execute();
      await db
        .insertInto('unconf_interests')
        .values(
          fixture.proposalIds.map((proposal_id) => ({
            proposal_id,
            person_id: person,
            event_id: fixture.eventId,
            level: 100,
            updated_at: new Date().toISOString(),
          })),
        )
        .execute();
      const stale = (await admin.get(base(fixture.eventId))).body;
      assert.equal(stale.runBound, null, 'ratings changed since the run');
      assert.ok(stale.evaluation.trivialBound >= stale.evaluation.score);
      // Locking a slot after the run changes what the engine was given too.
      await runToEnd(admin, fixture.eventId);
      assert.ok((await admin.get(base(fixture.eventId))).body.runBound);
      await admin.put(`${base(fixture.eventId)}/slots/${fixture.slotIds[0]}/lock`, { locked: true });
      assert.equal((await admin.get(base(fixture.eventId))).body.runBound, null, 'a lock since the run');
    });

    test('a session that keeps its time and changes room: its people are told the old and new room, by e-mail', async () => {
      const { app, ctx } = get();
      const db = ctx.database.db;
      // Two rooms: sessions 1 and 2 share slot 0 (rooms A and B), 3 and 4 slot 1.
      const fixture = await insertUnconference(db, { proposals: 4, people: 10, rooms: 2, tag: `room${engine}` });
      const admin = await adminClient(app);
      await placeInOrder(db, fixture, 4);
      const [s1, s2] = fixture.proposalIds;
      const first = await admin.post(`${base(fixture.eventId)}/publish`, {});
      assert.equal(first.status, 200, JSON.stringify(first.body));
      const notices = () =>
        db
          .selectFrom('notifications')
          .innerJoin('meetings', 'meetings.id', 'notifications.meeting_id')
          .select(['notifications.kind', 'notifications.person_id', 'notifications.payload', 'meetings.external_id'])
          .where('notifications.origin', '=', `event:${fixture.eventId}`)
          .execute();
      assert.equal((await notices()).length, 0, 'the first publication tells nobody');

      // Session 1 to room B of the same slot: session 2 swaps into room A. Same times, new rooms.
      const swap = await admin.post(`${base(fixture.eventId)}/moves`, {
        proposalId: s1,
        slotId: fixture.slotIds[0],
        roomId: fixture.roomIds[1],
      });
      assert.equal(swap.status, 200, JSON.stringify(swap.body));
      const second = await admin.post(`${base(fixture.eventId)}/publish`, {});
      assert.equal(second.status, 200, JSON.stringify(second.body));
      assert.equal(second.body.version.moved, 0, 'no time changed');
      assert.equal(second.body.version.relocated, 2);

      const queued = await notices();
      const notice = (proposal: string) =>
        queued.filter(
          (n) => n.kind === 'rescheduled' && n.external_id === sessionExternalId(fixture.eventId, proposal),
        );
      assert.ok(notice(s1!).length > 0 && notice(s2!).length > 0, 'both sessions that changed room tell their people');
      for (const n of queued) {
        assert.ok(
          [sessionExternalId(fixture.eventId, s1!), sessionExternalId(fixture.eventId, s2!)].includes(n.external_id!),
          'nobody else is told',
        );
      }
      const payload = JSON.parse(notice(s1!)[0]!.payload);
      assert.equal(payload.meeting.place, 'Room B');
      assert.equal(payload.meeting.previousPlace, 'Room A');
      assert.equal(payload.meeting.previousStartsAt, payload.meeting.startsAt, 'same time');

      // Through the outbox to the SMTP server: what the owner of session 1 reads.
      smtp.mails.length = 0;
      await deliverOutbox(get, engine, { options: testOutboxOptions() });
      const ownerId = fixture.owners.get(s1!)![0]!;
      const owner = await db.selectFrom('people').select('email').where('id', '=', ownerId).executeTakeFirstOrThrow();
      const mail = smtp.mails.find(
        (m) => JSON.stringify(m.to).includes(owner.email!) && m.subject?.startsWith('Room changed'),
      );
      assert.ok(mail, `an e-mail to ${owner.email}: ${smtp.mails.map((m) => m.subject).join(' | ')}`);
      assert.match(mail.subject ?? '', /^Room changed: /);
      assert.match(mail.text ?? '', /Where: Room B \(was: Room A\)/);
      assert.doesNotMatch(mail.text ?? '', /When: .*\(was:/, 'the time did not change: no "was" time');
      // Its calendar entry moves to the new room, at the same time.
      const invite = mail.attachments.find((a) => a.contentType.startsWith('text/calendar'));
      assert.ok(invite, 'the calendar entry is attached');
      const entry = icsEvent(invite.content.toString('utf8'));
      assert.equal(entry.get('LOCATION'), 'Room B');
      assert.equal(entry.get('DTSTART'), icsUtc(payload.meeting.startsAt));

      // The public changelog lists the change of room.
      const changelog = await new Client(app).get(`/api/v1/unconference/events/${fixture.eventId}/changelog`);
      const changes = changelog.body.versions[0].changes;
      assert.deepEqual(changes.map((c: { kind: string }) => c.kind).sort(), ['room_changed', 'room_changed']);
      const c1 = changes.find((c: { proposalId: string }) => c.proposalId === s1);
      assert.equal(c1.from.room, 'Room A');
      assert.equal(c1.to.room, 'Room B');
      assert.equal(c1.from.startsAt, c1.to.startsAt);

      // Publishing again without a change tells nobody more.
      const before = (await notices()).length;
      const third = await admin.post(`${base(fixture.eventId)}/publish`, {});
      assert.equal(third.body.version.relocated, 0);
      assert.equal((await notices()).length, before);
    });

    test('bad input and strangers: 4xx naming the field, never a 500', async () => {
      const { app, ctx, config } = get();
      const db = ctx.database.db;
      const fixture = await insertUnconference(db, { tag: `bad${engine}` });
      const admin = await adminClient(app);
      const cases: Array<[unknown, string]> = [
        [{ seconds: config.unconferenceRuns.maxSeconds + 1 }, 'seconds'],
        [{ seconds: 0 }, 'seconds'],
        [{ seconds: 'ten' }, 'seconds'],
        [{ mode: 'greedy' }, 'mode'],
        [{ extra: 1 }, ''],
      ];
      for (const [body, field] of cases) {
        const r = await admin.post(`${base(fixture.eventId)}/runs`, body);
        assert.equal(r.status, 400, JSON.stringify(body));
        if (field) assert.match(`${r.body.error.field ?? ''} ${r.body.error.message}`, new RegExp(field));
      }
      assert.equal((await admin.post(`${base('nope')}/runs`, { seconds: 1 })).status, 404);
      assert.equal((await admin.get(`${base(fixture.eventId)}/runs/nope`)).status, 404);
      assert.equal((await admin.post(`${base(fixture.eventId)}/runs/nope/cancel`)).status, 404);
      const minimal = await admin.post(`${base(fixture.eventId)}/runs`, { mode: 'minimal_change' });
      assert.equal(minimal.status, 409, 'nothing published to stay close to');
      assert.equal(minimal.body.error.field, 'mode');
      const member = await clientFor(app, db, await insertPerson(db, { username: `m${engine}bad` }));
      assert.equal((await member.get(base(fixture.eventId))).status, 403);
      assert.equal((await member.post(`${base(fixture.eventId)}/runs`, { seconds: 1 })).status, 403);
      // An event with no rooms cannot be scheduled.
      const empty = await insertUnconference(db, { rooms: 0, proposals: 2, tag: `emp${engine}` });
      const noRooms = await admin.post(`${base(empty.eventId)}/runs`, { seconds: 1 });
      assert.equal(noRooms.status, 400);
      assert.equal(noRooms.body.error.field, 'rooms');
      assert.equal((await admin.get(base(empty.eventId))).status, 200);
    });
  },
  {
    // A fixed amount of annealing per run rather than its whole time budget: these runs are to end.
    unconferenceRuns: { maxSeconds: 60, staleSeconds: 2, iterations: RUN_ITERATIONS },
    'notifications.email.smtpUrl': smtp.url,
    'notifications.email.from': 'Convene <convene@example.org>',
  },
);

// Runs that must still be going when the test acts on them: the time budget alone ends them.
forEachEngine(
  'Unconference scheduling console, runs in flight',
  (get, engine) => {
    test('one active run per event: a second start is refused (409), also when two start at once', async () => {
      const { app, ctx } = get();
      const fixture = await insertUnconference(ctx.database.db, { tag: `one${engine}` });
      const admin = await adminClient(app);
      const [a, b] = await Promise.all([
        admin.post(`${base(fixture.eventId)}/runs`, { seconds: 20 }),
        admin.post(`${base(fixture.eventId)}/runs`, { seconds: 20 }),
      ]);
      assert.deepEqual([a.status, b.status].sort(), [202, 409]);
      const loser = a.status === 409 ? a : b;
      assert.equal(loser.body.error.field, 'run');
      const winner = a.status === 202 ? a : b;
      const third = await admin.post(`${base(fixture.eventId)}/runs`, { seconds: 5 });
      assert.equal(third.status, 409);
      const cancelled = await admin.post(`${base(fixture.eventId)}/runs/${winner.body.run.id}/cancel`);
      assert.equal(cancelled.status, 200);
      assert.equal(cancelled.body.run.status, 'cancelled');
      const again = await admin.post(`${base(fixture.eventId)}/runs/${winner.body.run.id}/cancel`);
      assert.equal(again.status, 409, 'a cancelled run cannot be cancelled again');
    });

    test('a cancelled run leaves the previous working schedule intact', async () => {
      const { app, ctx } = get();
      const db = ctx.database.db;
      const fixture = await insertUnconference(db, { tag: `can${engine}` });
      await placeInOrder(db, fixture, 3);
      const before = await workingSchedule(db, fixture.eventId);
      const admin = await adminClient(app);
      const started = await admin.post(`${base(fixture.eventId)}/runs`, { seconds: 30 });
      assert.equal(started.status, 202);
      // Progress and heartbeat are written while it runs.
      let seen: any;
      for (let i = 0; i < 50; i++) {
        seen = (await admin.get(`${base(fixture.eventId)}/runs/${started.body.run.id}`)).body.run;
        if (seen.progress > 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(seen.status, 'running');
      assert.ok(seen.heartbeatAt);
      const cancelled = await admin.post(`${base(fixture.eventId)}/runs/${started.body.run.id}/cancel`);
      assert.equal(cancelled.body.run.status, 'cancelled');
      await waitForRun(started.body.run.id);
      assert.deepEqual(await workingSchedule(db, fixture.eventId), before);
      // Edits are possible again, and refused while a run is going.
      const next = await admin.post(`${base(fixture.eventId)}/runs`, { seconds: 30 });
      const move = await admin.post(`${base(fixture.eventId)}/moves`, {
        proposalId: fixture.proposalIds[0],
        slotId: fixture.slotIds[3],
      });
      assert.equal(move.status, 409);
      assert.match(move.body.error.message, /scheduler is running/);
      await admin.post(`${base(fixture.eventId)}/runs/${next.body.run.id}/cancel`);
    });
  },
  { unconferenceRuns: { maxSeconds: 60, staleSeconds: 2 } },
);
