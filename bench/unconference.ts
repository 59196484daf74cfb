/**
 * Unconference scheduling end to end: a Xen-size event (60 sessions, 16 slots, 5 rooms, 300 people,
 * Xen's generator) stored in a real database, scheduled through the HTTP API (request → tables read →
 * worker thread → schedule saved in one transaction) against the engine alone on the same instance,
 * in the same run. Then the event loop: how long it stalls while a run goes (worker thread) against
 * running the engine on the main thread. Prints ratios and writes bench/results/unconference.json.
 *
 * `npm run bench:unconference` (builds the server first; about a minute); `--quick` for a shorter budget.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
// The generator is for tests and benches only (not built).
import { generateInstance } from '../src/core/scheduling/testSupport.js';
import type { Db } from '../src/db/database.js';
import { insertBenchPeople } from './people.js';

// The server and the engine from the build (dist/), as they run in production: the run's worker
// thread then loads compiled JavaScript, not TypeScript through tsx.
const dist = (path: string) => new URL(`../dist/${path}`, import.meta.url).href;
const { openContext } = (await import(dist('app.js'))) as typeof import('../src/app.js');
const { loadConfig } = (await import(dist('config.js'))) as typeof import('../src/config.js');
const { solve } = (await import(dist('core/scheduling/index.js'))) as typeof import('../src/core/scheduling/index.js');
const { ensureAdmin } = (await import(
  dist('features/auth/service.js')
)) as typeof import('../src/features/auth/service.js');
const { createSession } = (await import(
  dist('features/auth/sessions.js')
)) as typeof import('../src/features/auth/sessions.js');
const { loadEventSchedule } = (await import(
  dist('features/unconference/scheduleInstance.js')
)) as typeof import('../src/features/unconference/scheduleInstance.js');
const { waitForRun } = (await import(
  dist('features/unconference/scheduleRuns.js')
)) as typeof import('../src/features/unconference/scheduleRuns.js');
const { newId } = (await import(dist('lib/ids.js'))) as typeof import('../src/lib/ids.js');
const { buildServer } = (await import(dist('server.js'))) as typeof import('../src/server.js');

const quick = process.argv.includes('--quick');
const SECONDS = quick ? 1 : 3;
const REPEATS = quick ? 2 : 3;

/** Stores a generated instance as an unconference event: days, slots, rooms, people, proposals, owners, interests. */
async function storeEvent(db: Db, seed: string): Promise<string> {
  const instance = generateInstance({ sessions: 60, slots: 16, rooms: 5, people: 300, seed });
  const now = new Date().toISOString();
  const eventId = newId();
  await db
    .insertInto('events')
    .values({
      id: eventId,
      kind: 'unconference',
      name: `Xen-size ${seed}`,
      description: '',
      description_html: '',
      phase: 'scheduling',
      proposals_during_voting: 0,
      top_n: 10,
      vote_limit: null,
      voting_opens_at: null,
      voting_closes_at: null,
      archived_at: null,
      talks_at: null,
      venue: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await db
    .insertInto('unconf_settings')
    .values({ event_id: eventId, timezone: 'UTC', website_active: 1, schedule_visible: 0, video_rooms: 0 })
    .execute();
  const ids = new Map<string, string>();
  const id = (key: string) => {
    const known = ids.get(key);
    if (known) return known;
    const made = newId();
    ids.set(key, made);
    return made;
  };
  const days = new Map<string, string>();
  for (const slot of instance.slots) {
    const date = slot.start.slice(0, 10);
    if (!days.has(date)) {
      days.set(date, newId());
      await db
        .insertInto('unconf_days')
        .values({ id: days.get(date)!, event_id: eventId, date, label: date })
        .execute();
    }
    const start = `${slot.start}Z`;
    await db
      .insertInto('unconf_slots')
      .values({
        id: id(slot.id),
        event_id: eventId,
        day_id: days.get(date)!,
        starts_at: new Date(start).toISOString(),
        ends_at: new Date(Date.parse(start) + 50 * 60_000).toISOString(),
        is_break: 0,
        label: '',
        locked: 0,
      })
      .execute();
  }
  for (const [r, room] of instance.rooms.entries()) {
    await db
      .insertInto('unconf_rooms')
      .values({
        id: id(room.id),
        event_id: eventId,
        name: room.name,
        name_key: room.name.toLowerCase(),
        capacity: room.capacity,
        url: null,
        is_place: 1,
        position: r,
      })
      .execute();
  }
  await insertBenchPeople(
    db,
    instance.users.map((u) => ({
      id: id(u),
      username: `${seed}-${u}`,
      email: `${seed}-${u}@example.org`,
      name: `Person ${u}`,
    })),
  );
  for (const [k, s] of instance.sessions.entries()) {
    await db
      .insertInto('unconf_proposals')
      .values({
        id: id(s.id),
        event_id: eventId,
        created_by: id(s.owners[0]!),
        title: s.title,
        title_key: s.title.toLowerCase(),
        description: '',
        description_html: '',
        status: 'approved',
        approved_title: null,
        approved_description_html: null,
        edit_pending: 0,
        pinned_slot_id: null,
        pinned_room_id: null,
        is_fake: 0,
        created_at: new Date(Date.parse(now) + k).toISOString(),
        updated_at: now,
      })
      .execute();
    await db
      .insertInto('unconf_owners')
      .values(
        s.owners.map((o, i) => ({
          proposal_id: id(s.id),
          person_id: id(o),
          event_id: eventId,
          role: i ? 'co-owner' : 'owner',
        })),
      )
      .execute();
    if (s.allowedSlots?.length) {
      await db
        .insertInto('unconf_allowed_slots')
        .values(s.allowedSlots.map((t) => ({ proposal_id: id(s.id), slot_id: id(t) })))
        .execute();
    }
  }
  const rows = Object.entries(instance.interests).flatMap(([u, mine]) =>
    Object.entries(mine)
      .filter(([, level]) => level > 0)
      .map(([s, level]) => ({
        proposal_id: id(s),
        person_id: id(u),
        event_id: eventId,
        level: level as 25 | 75 | 100,
        updated_at: now,
      })),
  );
  for (let i = 0; i < rows.length; i += 300)
    await db
      .insertInto('unconf_interests')
      .values(rows.slice(i, i + 300))
      .execute();
  return eventId;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(0)} ms`;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'convene-bench-unconf-'));
  const config = loadConfig({
    env: { DATABASE_URL: `sqlite:${join(dir, 'bench.db')}`, LOG_LEVEL: 'silent' },
    cwd: '/nonexistent-convene-config-dir',
    overrides: { jobs: { enabled: false } },
  });
  const ctx = await openContext(config);
  const db = ctx.database.db;
  const admin = await ensureAdmin({ db, password: 'bench-admin-password-1', defaultTimezone: 'UTC' });
  const app = await buildServer(ctx, { logger: false });
  await app.ready();
  const adminId =
    (admin as { id?: string } | undefined)?.id ??
    (await db.selectFrom('people').select('id').where('role', '=', 'admin').executeTakeFirstOrThrow()).id;
  const { token } = await createSession(db, { personId: adminId, days: 1 });
  const headers = { cookie: `convene_session=${token}; convene_csrf=b`, 'x-csrf-token': 'b' };

  const rows: Array<Record<string, unknown>> = [];
  try {
    // 1. End to end vs the engine alone, same instance, same budget.
    const endToEnd: number[] = [];
    const engineAlone: number[] = [];
    const scores: Array<{ api: number; engine: number }> = [];
    for (let k = 0; k < REPEATS; k++) {
      const eventId = await storeEvent(db, `xen-${k}`);
      const schedule = await loadEventSchedule(db, eventId);
      if (k === 0) await solve(schedule.instance, { seconds: 0.2, seed: 'warm-up', threads: 1 });
      const t0 = performance.now();
      const engine = await solve(schedule.instance, { seconds: SECONDS, seed: `bench-${k}`, threads: 1 });
      engineAlone.push(performance.now() - t0);

      const t1 = performance.now();
      const started = await app.inject({
        method: 'POST',
        url: `/api/v1/admin/unconference/events/${eventId}/schedule/runs`,
        headers,
        payload: { seconds: SECONDS, seed: `bench-${k}` },
      });
      if (started.statusCode !== 202) throw new Error(`start: ${started.statusCode} ${started.body}`);
      await waitForRun(started.json().run.id);
      endToEnd.push(performance.now() - t1);
      const run = await db
        .selectFrom('unconf_runs')
        .select(['status', 'best_score'])
        .where('id', '=', started.json().run.id)
        .executeTakeFirstOrThrow();
      if (run.status !== 'done') throw new Error(`run ended ${run.status}`);
      const saved = await db
        .selectFrom('unconf_assignments')
        .select(db.fn.countAll<number>().as('n'))
        .where('event_id', '=', eventId)
        .executeTakeFirstOrThrow();
      scores.push({ api: Number(run.best_score), engine: engine.score });
      rows.push({
        case: `xen-${k}`,
        engineMs: engineAlone.at(-1),
        endToEndMs: endToEnd.at(-1),
        engineScore: engine.score,
        apiScore: Number(run.best_score),
        saved: Number(saved.n),
        method: engine.stats.method,
        optimal: engine.stats.optimal,
      });
    }

    // 2. The event loop while a run goes: worker thread (the API) vs the engine on the main thread.
    const stallEvent = await storeEvent(db, 'xen-stall');
    const stallSchedule = await loadEventSchedule(db, stallEvent);
    /**
     * While `work` runs, a request is due every 20 ms and timed from when it was due: a blocked
     * event loop delays it as it would delay a real client's, so the slowest one is the longest stall.
     */
    const measure = async (work: () => Promise<unknown>) => {
      let done = false;
      const latencies: number[] = [];
      const probe = (async () => {
        let due = performance.now();
        for (;;) {
          // A request due while the loop was blocked still goes out (late) before the probe stops.
          await app.inject({ method: 'GET', url: '/api/v1/auth/options' });
          latencies.push(performance.now() - due);
          if (done) break;
          due += 20;
          const wait = due - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          else due = performance.now();
        }
      })();
      await new Promise((r) => setTimeout(r, 10));
      const started = performance.now();
      await work();
      const workMs = performance.now() - started;
      done = true;
      await probe;
      const sorted = [...latencies].sort((a, b) => a - b);
      return {
        maxRequestMs: sorted.at(-1) ?? 0,
        p99RequestMs: sorted[Math.floor(sorted.length * 0.99)] ?? 0,
        requests: latencies.length,
        workMs,
      };
    };
    const worker = await measure(async () => {
      const started = await app.inject({
        method: 'POST',
        url: `/api/v1/admin/unconference/events/${stallEvent}/schedule/runs`,
        headers,
        payload: { seconds: SECONDS, seed: 'stall' },
      });
      await waitForRun(started.json().run.id);
    });
    const mainThread = await measure(() =>
      solve(stallSchedule.instance, { seconds: SECONDS, seed: 'stall', threads: 1 }),
    );

    const e2e = median(endToEnd);
    const alone = median(engineAlone);
    const summary = {
      budgetSeconds: SECONDS,
      repeats: REPEATS,
      endToEndMedianMs: e2e,
      engineAloneMedianMs: alone,
      endToEndOverEngine: e2e / alone,
      overheadMs: e2e - alone,
      worker,
      mainThread,
      maxRequestMainOverWorker: mainThread.maxRequestMs / worker.maxRequestMs,
      scores,
    };
    console.log(`Xen-size event (60 sessions, 16 slots, 5 rooms, 300 people), budget ${SECONDS} s, ${REPEATS} runs\n`);
    console.log('case    engine alone   API end to end   engine score   API score   saved');
    for (const r of rows) {
      console.log(
        `${String(r.case).padEnd(8)}${ms(r.engineMs as number).padStart(12)}${ms(r.endToEndMs as number).padStart(17)}${String(r.engineScore).padStart(15)}${String(r.apiScore).padStart(12)}${String(r.saved).padStart(8)}`,
      );
    }
    console.log(
      `\nend to end / engine alone: ${summary.endToEndOverEngine.toFixed(3)} (median ${ms(e2e)} vs ${ms(alone)}, +${ms(summary.overheadMs)})`,
    );
    console.log('\nevent loop during a run      slowest request (= longest stall)   p99 request   requests served');
    for (const [name, m] of [
      ['worker thread (API)', worker],
      ['engine on main thread', mainThread],
    ] as const) {
      console.log(
        `${name.padEnd(28)}${ms(m.maxRequestMs).padStart(36)}${ms(m.p99RequestMs).padStart(14)}${String(m.requests).padStart(18)}`,
      );
    }
    console.log(
      `\nlongest stall, engine on the main thread / worker thread: x${summary.maxRequestMainOverWorker.toFixed(1)}`,
    );
    const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'unconference.json');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify({ summary, rows }, null, 2)}\n`);
    console.log(`\nwritten to ${out}`);
  } finally {
    await app.close();
    await ctx.database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
