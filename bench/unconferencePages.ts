/**
 * The attendee pages of an unconference with 300 people and 60 sessions (two days of six slots and a
 * break, five rooms; ratings made as Xen's generator made them, through test mode): how long the
 * timetable grid, my agenda, a session page, the agenda feed (.ics) and schedule.xml take to answer,
 * as ratios to /healthz measured in the same run, in the same process (Fastify's inject: no
 * network, so the ratio is the page's own work). Also the first grid after publication (attendance
 * estimated, cache cold) against a warm one.
 *
 * Run with `npm run bench:unconference-pages` (SQLite; BENCH_POSTGRES_URL=postgres://… adds
 * PostgreSQL). BENCH_ITERATIONS (default 300) requests per scenario, interleaved round-robin.
 * Prints a table and writes bench/results/unconference-pages.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openContext } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createSession } from '../src/features/auth/sessions.js';
import { rotateFeedToken } from '../src/features/calendarFeeds/service.js';
import { estimateAttendance, forgetAttendance } from '../src/features/unconference/attendance.js';
import { loadPublishedSchedule } from '../src/features/unconference/publishedSchedule.js';
import { fillTestMode } from '../src/features/unconference/testMode.js';
import { newId } from '../src/lib/ids.js';
import { buildServer } from '../src/server.js';
import { insertPerson } from '../test/helpers/people.js';
import { publishedUnconference } from '../test/helpers/publishedUnconference.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 300);
const PEOPLE = 300;
const SESSIONS = 60;

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};

interface Row {
  engine: string;
  scenario: string;
  medianMs: number;
  p95Ms: number;
  vsHealthz: number;
  bytes: number;
}

async function runEngine(engine: 'sqlite' | 'postgres', databaseUrl: string): Promise<Row[]> {
  const config = loadConfig({
    env: { DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' },
    cwd: '/nonexistent-convene-config-dir',
  });
  const ctx = await openContext(config);
  const app = await buildServer(ctx, { logger: false });
  await app.ready();
  const { db } = ctx.database;
  try {
    // Two days × (6 slots + a break) × 5 rooms = 60 places for 60 sessions.
    const f = await publishedUnconference(db, {
      name: 'Bench Summit',
      days: ['2027-03-01', '2027-03-02'],
      slotsPerDay: 7,
      rooms: [
        { name: 'Hall', capacity: 120 },
        { name: 'Room 1', capacity: 60 },
        { name: 'Room 2', capacity: 40 },
        { name: 'Room 3', capacity: 30 },
        { name: 'Room 4', capacity: 20 },
      ],
    });
    const t0 = performance.now();
    const filled = await fillTestMode({
      db,
      eventId: f.eventId,
      people: PEOPLE - 1,
      proposals: SESSIONS,
      seed: 'bench',
      actorId: null,
    });
    const fillMs = performance.now() - t0;
    const member = await insertPerson(db, { username: `member-${newId().slice(-6)}` });
    const proposals = await db
      .selectFrom('unconf_proposals')
      .select(['id', 'title'])
      .where('event_id', '=', f.eventId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    for (const [i, p] of proposals.entries()) {
      if (i % 2 === 0) await f.rate(member, p.id, i % 4 === 0 ? 100 : 75);
    }
    const open = f.slots.filter((s) => !s.isBreak);
    // publishedUnconference's publish() takes titles from what it proposed itself: write the version directly.
    const versionId = newId();
    await db
      .insertInto('unconf_versions')
      .values({
        id: versionId,
        event_id: f.eventId,
        number: 1,
        published_at: new Date().toISOString(),
        published_by: null,
        score: null,
        note: '',
      })
      .execute();
    await db
      .insertInto('unconf_version_sessions')
      .values(
        proposals.map((p, i) => {
          const slot = open[Math.floor(i / f.rooms.length) % open.length]!;
          const room = f.rooms[i % f.rooms.length]!;
          return {
            version_id: versionId,
            proposal_id: p.id,
            title: p.title,
            slot_id: slot.id,
            room_id: room.id,
            room_name: room.name,
            starts_at: slot.startsAt,
            ends_at: slot.endsAt,
            meeting_id: null,
          };
        }),
      )
      .execute();
    const { token: session } = await createSession(db, { personId: member, days: 1 });
    const feed = await rotateFeedToken({ db, personId: member, actorId: member });
    const cookie = { cookie: `convene_session=${session}` };

    // Attendance estimated from scratch (what a cache miss costs), outside HTTP.
    const schedule = await loadPublishedSchedule(db, f.eventId, { role: 'admin' });
    const estimates: number[] = [];
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      await estimateAttendance(db, schedule);
      estimates.push(performance.now() - started);
    }

    const scenarios: Array<{ name: string; url: string; headers?: Record<string, string> }> = [
      { name: '/healthz (baseline)', url: '/healthz' },
      {
        name: 'timetable grid (signed in)',
        url: `/api/v1/unconference/events/${f.eventId}/published`,
        headers: cookie,
      },
      { name: 'timetable grid (signed out)', url: `/api/v1/unconference/events/${f.eventId}/published` },
      { name: 'my agenda', url: `/api/v1/unconference/events/${f.eventId}/published/agenda`, headers: cookie },
      { name: 'session page', url: `/api/v1/unconference/sessions/${proposals[7]!.id}`, headers: cookie },
      {
        name: 'agenda feed (.ics, no cookie)',
        url: `/api/v1/feeds/${feed.token}/unconference/${f.eventId}/agenda.ics`,
      },
      { name: 'event feed (.ics, no cookie)', url: `/api/v1/feeds/${feed.token}/unconference/${f.eventId}/event.ics` },
      { name: 'schedule.xml', url: `/api/v1/unconference/events/${f.eventId}/published/schedule.xml` },
    ];
    // The first grid after publication: the attendance cache is cold.
    forgetAttendance();
    let started = performance.now();
    const cold = await app.inject({ method: 'GET', url: scenarios[1]!.url, headers: cookie });
    const coldMs = performance.now() - started;
    if (cold.statusCode !== 200) throw new Error(`grid answered ${cold.statusCode}: ${cold.body}`);
    const times = new Map<string, number[]>(scenarios.map((s) => [s.name, []]));
    const bytes = new Map<string, number>();
    // Warm-up, then measured rounds: every scenario once per round, in turn.
    for (let i = 0; i < 20; i++)
      for (const s of scenarios) await app.inject({ method: 'GET', url: s.url, headers: s.headers });
    for (let i = 0; i < ITERATIONS; i++) {
      for (const s of scenarios) {
        started = performance.now();
        const res = await app.inject({ method: 'GET', url: s.url, headers: s.headers });
        times.get(s.name)!.push(performance.now() - started);
        if (res.statusCode !== 200) throw new Error(`${s.name} answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
        bytes.set(s.name, res.rawPayload.length);
      }
    }
    const base = quantile(times.get(scenarios[0]!.name)!, 0.5);
    const rows: Row[] = scenarios.map((s) => {
      const t = times.get(s.name)!;
      const median = quantile(t, 0.5);
      return {
        engine,
        scenario: s.name,
        medianMs: Number(median.toFixed(3)),
        p95Ms: Number(quantile(t, 0.95).toFixed(3)),
        vsHealthz: Number((median / base).toFixed(1)),
        bytes: bytes.get(s.name) ?? 0,
      };
    });
    rows.push({
      engine,
      scenario: 'timetable grid, first after publication (cold cache)',
      medianMs: Number(coldMs.toFixed(3)),
      p95Ms: Number(coldMs.toFixed(3)),
      vsHealthz: Number((coldMs / base).toFixed(1)),
      bytes: cold.rawPayload.length,
    });
    const estimate = quantile(estimates, 0.5);
    rows.push({
      engine,
      scenario: 'attendance estimate alone (engine model, uncached)',
      medianMs: Number(estimate.toFixed(3)),
      p95Ms: Number(quantile(estimates, 0.95).toFixed(3)),
      vsHealthz: Number((estimate / base).toFixed(1)),
      bytes: 0,
    });
    console.log(
      `[${engine}] test mode filled ${filled.people} people, ${filled.proposals} proposals, ${filled.interests} ratings in ${(fillMs / 1000).toFixed(1)} s`,
    );
    return rows;
  } finally {
    await app.close();
    await ctx.database.close();
  }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'convene-bench-unconf-'));
  const rows: Row[] = [];
  try {
    rows.push(...(await runEngine('sqlite', `sqlite:${join(dir, 'bench.db')}`)));
    const pgUrl = process.env.BENCH_POSTGRES_URL;
    if (pgUrl) {
      const name = `convene_bench_${newId()
        .toLowerCase()
        .replace(/[^a-z0-9]/g, '')}`;
      const admin = new pg.Client({ connectionString: pgUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      try {
        const url = new URL(pgUrl);
        url.pathname = `/${name}`;
        rows.push(...(await runEngine('postgres', url.toString())));
      } finally {
        await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
        await admin.end();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\n${PEOPLE} people, ${SESSIONS} sessions; ${ITERATIONS} requests per scenario, interleaved.`);
  console.table(rows);
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(
    join(root, 'bench', 'results', 'unconference-pages.json'),
    `${JSON.stringify({ at: new Date().toISOString(), people: PEOPLE, sessions: SESSIONS, iterations: ITERATIONS, rows }, null, 2)}\n`,
  );
}

await main();
