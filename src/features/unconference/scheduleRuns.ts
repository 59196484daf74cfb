import { Worker } from 'node:worker_threads';
import type { SolveResult } from '../../core/scheduling/index.js';
import { recordAudit } from '../../db/audit.js';
import type { Db, Executor } from '../../db/database.js';
import { isUniqueViolation } from '../../db/errors.js';
import type { UnconfRunMode, UnconfRunsTable } from '../../db/schema.js';
import { badRequest, conflict, notFound } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { nowIso } from '../../lib/time.js';
import { scheduleFingerprint } from './runBound.js';
import { type EventSchedule, findUnconferenceEvent, loadEventSchedule, type Placement } from './scheduleInstance.js';
import { latestVersionPlacements } from './versions.js';

/** How often a running run writes its progress and heartbeat (and reads a cancel from another process). */
const TICK_MS = 500;
/** Past the budget, a worker that has not answered is stopped and its run failed. */
const GRACE_MS = 30_000;

export interface RunLimits {
  maxSeconds: number;
  /** A running run whose heartbeat is older than this lost its process. */
  staleSeconds: number;
  /** Annealing steps that also end a run (config unconferenceRuns.iterations); unset, time alone. */
  iterations?: number;
}

interface LocalRun {
  worker: Worker;
  timer: NodeJS.Timeout;
  progress: { fraction: number; bestScore: number; upperBound: number } | null;
  finished: Promise<void>;
}

/** The runs this process is executing, by id: the only ones it may stop without asking the database. */
const local = new Map<string, LocalRun>();

export type RunRow = UnconfRunsTable;

function workerEntry(): { code: string | URL; eval: boolean } {
  if (!import.meta.url.endsWith('.ts')) return { code: new URL('./scheduleWorker.js', import.meta.url), eval: false };
  // Under tsx (tests, `npm run dev`) the worker registers the TypeScript loader before importing the entry.
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./scheduleWorker.ts', import.meta.url).href;
  return {
    code: `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`,
    eval: true,
  };
}

const ACTIVE = ['queued', 'running'] as const;

/**
 * Runs left 'running' by a process that died (no heartbeat for `staleSeconds`) are marked failed.
 * Their result was never applied, so the working schedule is the one from before they started.
 */
export async function failStaleRuns(
  db: Executor,
  eventId: string,
  limits: RunLimits,
  now = new Date(),
): Promise<number> {
  const cutoff = new Date(now.getTime() - limits.staleSeconds * 1000).toISOString();
  const stale = await db
    .selectFrom('unconf_runs')
    .select(['id', 'heartbeat_at', 'created_at'])
    .where('event_id', '=', eventId)
    .where('status', 'in', ACTIVE)
    .execute();
  let failed = 0;
  for (const run of stale) {
    if (local.has(run.id) || (run.heartbeat_at ?? run.created_at) > cutoff) continue;
    const done = await db
      .updateTable('unconf_runs')
      .set({
        status: 'failed',
        error: 'The process running it stopped (no heartbeat); the working schedule was left as it was.',
        finished_at: now.toISOString(),
      })
      .where('id', '=', run.id)
      .where('status', 'in', ACTIVE)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) > 0) {
      failed++;
      await recordAudit(db, {
        actorId: null,
        action: 'unconference.run.lost',
        subjectType: 'unconf_run',
        subjectId: run.id,
        data: { eventId },
      });
    }
  }
  return failed;
}

export async function activeRun(db: Executor, eventId: string): Promise<RunRow | undefined> {
  return db
    .selectFrom('unconf_runs')
    .selectAll()
    .where('event_id', '=', eventId)
    .where('status', 'in', ACTIVE)
    .executeTakeFirst();
}

/** Refuses an edit of the working schedule while a run would overwrite it. */
export async function assertNoActiveRun(db: Executor, eventId: string, limits: RunLimits): Promise<void> {
  await failStaleRuns(db, eventId, limits);
  if (await activeRun(db, eventId)) {
    throw conflict('The scheduler is running for this event: wait for it or cancel it first.', 'run');
  }
}

export async function listRuns(db: Executor, eventId: string, limit = 10): Promise<RunRow[]> {
  return db
    .selectFrom('unconf_runs')
    .selectAll()
    .where('event_id', '=', eventId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export async function findRun(db: Executor, eventId: string, runId: string): Promise<RunRow> {
  const run = await db
    .selectFrom('unconf_runs')
    .selectAll()
    .where('id', '=', runId)
    .where('event_id', '=', eventId)
    .executeTakeFirst();
  if (!run) throw notFound('No such scheduler run.');
  return run;
}

/**
 * The schedule a minimal-change run stays close to: the working schedule in locked slots (kept
 * exactly), and the latest published version everywhere else.
 */
async function minimalChangeCurrent(db: Executor, schedule: EventSchedule): Promise<Placement[]> {
  const published = await latestVersionPlacements(db, schedule.eventId);
  if (!published) throw conflict('Nothing is published yet: run a full schedule first.', 'mode');
  const locked = new Set(schedule.slots.filter((s) => s.locked).map((s) => s.id));
  const sessions = new Set(schedule.sessions.map((s) => s.id));
  const rooms = new Set(schedule.rooms.map((r) => r.id));
  const kept = schedule.working.filter((p) => locked.has(p.slot));
  const placed = new Set(kept.map((p) => p.session));
  const taken = new Set(kept.map((p) => `${p.slot}/${p.room}`));
  for (const p of published) {
    if (!sessions.has(p.session) || !rooms.has(p.room) || locked.has(p.slot) || placed.has(p.session)) continue;
    if (!schedule.slots.some((s) => s.id === p.slot) || taken.has(`${p.slot}/${p.room}`)) continue;
    kept.push(p);
    placed.add(p.session);
    taken.add(`${p.slot}/${p.room}`);
  }
  return kept;
}

/**
 * Starts the scheduler for an event in a worker thread and returns at once with the run: its
 * progress and heartbeat are written to unconf_runs every half second, and when it finishes its
 * schedule replaces the working schedule in one transaction. One active run per event (409).
 */
export async function startScheduleRun(props: {
  db: Db;
  eventId: string;
  actorId: string | null;
  seconds: number;
  mode: UnconfRunMode;
  moveWeight?: number;
  seed?: string;
  limits: RunLimits;
}): Promise<RunRow> {
  const { db, eventId, limits } = props;
  if (props.seconds > limits.maxSeconds) {
    throw badRequest(`seconds: at most ${limits.maxSeconds} (unconferenceRuns.maxSeconds).`, 'seconds');
  }
  await findUnconferenceEvent(db, eventId);
  await failStaleRuns(db, eventId, limits);
  const running = await activeRun(db, eventId);
  if (running) throw conflict('The scheduler is already running for this event.', 'run');

  const schedule = await loadEventSchedule(db, eventId);
  if (!schedule.slots.length) throw badRequest('slots: the event has no slots to schedule into.', 'slots');
  if (!schedule.rooms.length) throw badRequest('rooms: the event has no rooms to schedule into.', 'rooms');
  const current = props.mode === 'minimal_change' ? await minimalChangeCurrent(db, schedule) : schedule.working;
  const moveWeight = props.mode === 'minimal_change' ? (props.moveWeight ?? 100) : 0;

  const id = newId();
  const now = nowIso();
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('unconf_runs')
        .values({
          id,
          event_id: eventId,
          requested_by: props.actorId,
          mode: props.mode,
          status: 'running',
          budget_seconds: props.seconds,
          progress: 0,
          best_score: null,
          upper_bound: null,
          result: null,
          error: null,
          cancel_requested: 0,
          created_at: now,
          started_at: now,
          finished_at: null,
          heartbeat_at: now,
        })
        .execute();
      await recordAudit(trx, {
        actorId: props.actorId,
        action: 'unconference.run.start',
        subjectType: 'unconf_run',
        subjectId: id,
        data: { eventId, mode: props.mode, seconds: props.seconds, sessions: schedule.sessions.length },
      });
    });
  } catch (error) {
    // Two starts at once: the partial unique index lets one through.
    if (isUniqueViolation(error)) throw conflict('The scheduler is already running for this event.', 'run');
    throw error;
  }

  const file = workerEntry();
  const worker = new Worker(file.code, {
    eval: file.eval,
    execArgv: process.execArgv.filter((flag) => !flag.startsWith('--input-type')),
    workerData: {
      instance: schedule.instance,
      options: {
        seconds: props.seconds,
        ...(limits.iterations !== undefined && { iterations: limits.iterations }),
        seed: props.seed ?? id,
        threads: 1,
        current: { assignments: current },
        moveWeight,
        pins: schedule.pins,
      },
    },
  });
  const startedMs = Date.now();
  let settle!: () => void;
  const entry: LocalRun = {
    worker,
    progress: null,
    finished: new Promise<void>((resolve) => {
      settle = resolve;
    }),
    timer: setInterval(() => void tick(db, id, eventId, startedMs, props.seconds), TICK_MS),
  };
  local.set(id, entry);

  let answered = false;
  const finish = async (outcome: () => Promise<void>) => {
    if (answered) return;
    answered = true;
    clearInterval(entry.timer);
    try {
      await outcome();
    } catch (error) {
      await markEnded(db, id, 'failed', `Saving the schedule failed: ${(error as Error).message}`).catch(() => {});
    } finally {
      local.delete(id);
      void worker.terminate();
      settle();
    }
  };
  worker.on('message', (message: WorkerMessage) => {
    if (message.type === 'progress') {
      entry.progress = {
        fraction: message.progress.fraction,
        bestScore: message.progress.bestScore,
        upperBound: message.progress.upperBound,
      };
    } else if (message.type === 'done') {
      void finish(() => applyRunResult(db, id, schedule, props.actorId, message.result));
    } else if (message.type === 'error') {
      void finish(() => markEnded(db, id, 'failed', message.message));
    }
  });
  worker.on(
    'error',
    (error) => void finish(() => markEnded(db, id, 'failed', `The scheduler stopped: ${error.message}`)),
  );
  worker.on('exit', () => void finish(() => markEnded(db, id, 'failed', 'The scheduler stopped without an answer.')));
  worker.unref();
  return findRun(db, eventId, id);
}

type WorkerMessage =
  | { type: 'progress'; progress: { fraction: number; bestScore: number; upperBound: number } }
  | { type: 'done'; result: SolveResult }
  | { type: 'error'; message: string; input: boolean };

/** Heartbeat and progress; a cancel asked through another process stops the worker here. */
async function tick(db: Db, id: string, eventId: string, startedMs: number, seconds: number): Promise<void> {
  const entry = local.get(id);
  if (!entry) return;
  try {
    const p = entry.progress;
    await db
      .updateTable('unconf_runs')
      .set({
        heartbeat_at: nowIso(),
        ...(p && { progress: Math.min(1, p.fraction), best_score: p.bestScore, upper_bound: p.upperBound }),
      })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .execute();
    const row = await db.selectFrom('unconf_runs').select(['cancel_requested']).where('id', '=', id).executeTakeFirst();
    if (row?.cancel_requested === 1) await stopLocal(db, id, eventId);
    else if (Date.now() - startedMs > seconds * 1000 + GRACE_MS) {
      clearInterval(entry.timer);
      await entry.worker.terminate();
    }
  } catch {
    // A missed heartbeat is retried on the next tick; the database may be closing.
  }
}

async function markEnded(
  db: Executor,
  id: string,
  status: 'failed' | 'cancelled',
  error: string | null,
): Promise<void> {
  await db
    .updateTable('unconf_runs')
    .set({ status, error, finished_at: nowIso() })
    .where('id', '=', id)
    .where('status', 'in', ACTIVE)
    .execute();
}

/**
 * The run's schedule becomes the working schedule, in one transaction with the run's end: either
 * the whole new schedule and a 'done' run, or (cancelled meanwhile, or an error) the old one intact.
 */
async function applyRunResult(
  db: Db,
  id: string,
  schedule: EventSchedule,
  actorId: string | null,
  result: SolveResult,
) {
  const { eventId } = schedule;
  await db.transaction().execute(async (trx) => {
    const run = await trx
      .selectFrom('unconf_runs')
      .select(['status', 'cancel_requested'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!run || run.status !== 'running') return;
    if (run.cancel_requested === 1) {
      await markEnded(trx, id, 'cancelled', null);
      return;
    }
    const stillThere = new Set(
      (
        await trx
          .selectFrom('unconf_proposals')
          .select('id')
          .where('event_id', '=', eventId)
          .where('status', '=', 'approved')
          .execute()
      ).map((p) => p.id),
    );
    const rows = result.assignments
      .filter((a) => stillThere.has(a.session))
      .map((a) => ({ proposal_id: a.session, event_id: eventId, slot_id: a.slot, room_id: a.room }));
    await trx.deleteFrom('unconf_assignments').where('event_id', '=', eventId).execute();
    for (let i = 0; i < rows.length; i += 200) {
      await trx
        .insertInto('unconf_assignments')
        .values(rows.slice(i, i + 200))
        .execute();
    }
    const saved = await trx
      .updateTable('unconf_runs')
      .set({
        status: 'done',
        progress: 1,
        best_score: result.score,
        upper_bound: result.upperBound,
        result: JSON.stringify({
          assignments: result.assignments.length,
          unplaced: result.unplaced,
          stats: result.stats,
          // The instance the engine bounded and the schedule saved: the console shows this run's
          // bound only while both are still what the event has (runBound.ts).
          fingerprint: scheduleFingerprint(
            schedule,
            rows.map((r) => ({ session: r.proposal_id, slot: r.slot_id, room: r.room_id })),
          ),
        }),
        finished_at: nowIso(),
        heartbeat_at: nowIso(),
      })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .executeTakeFirst();
    // Cancelled between the read above and here (another connection): nothing of it stays.
    if (Number(saved.numUpdatedRows) === 0) throw new Error('the run was cancelled meanwhile');
    await recordAudit(trx, {
      actorId,
      action: 'unconference.run.done',
      subjectType: 'unconf_run',
      subjectId: id,
      data: { eventId, score: result.score, upperBound: result.upperBound, placed: rows.length },
    });
  });
}

async function stopLocal(db: Executor, id: string, _eventId: string): Promise<void> {
  const entry = local.get(id);
  await markEnded(db, id, 'cancelled', null);
  if (entry) {
    clearInterval(entry.timer);
    entry.worker.postMessage({ type: 'cancel' });
    await entry.worker.terminate();
  }
}

/**
 * Cancels an active run: its result is never applied and the working schedule stays as it was.
 * A run of this process stops at once; one of another process stops at that process's next tick.
 */
export async function cancelScheduleRun(props: {
  db: Db;
  eventId: string;
  runId: string;
  actorId: string | null;
  limits: RunLimits;
}): Promise<RunRow> {
  const { db, eventId, runId } = props;
  await failStaleRuns(db, eventId, props.limits);
  const run = await findRun(db, eventId, runId);
  if (!ACTIVE.includes(run.status as (typeof ACTIVE)[number])) {
    throw conflict(`This run is ${run.status} already.`, 'run');
  }
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('unconf_runs').set({ cancel_requested: 1 }).where('id', '=', runId).execute();
    await recordAudit(trx, {
      actorId: props.actorId,
      action: 'unconference.run.cancel',
      subjectType: 'unconf_run',
      subjectId: runId,
      data: { eventId },
    });
  });
  if (local.has(runId)) await stopLocal(db, runId, eventId);
  return findRun(db, eventId, runId);
}

/** Waits for this process's run to end (tests, the bench, the CLI). */
export async function waitForRun(runId: string): Promise<void> {
  await local.get(runId)?.finished;
}

/** On shutdown: this process's runs stop and are marked failed; the working schedule is untouched. */
export async function stopAllRuns(db: Executor): Promise<void> {
  for (const [id, entry] of [...local]) {
    clearInterval(entry.timer);
    await markEnded(db, id, 'failed', 'The server stopped during the run.').catch(() => {});
    local.delete(id);
    await entry.worker.terminate();
  }
}
