import { randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Db, Engine } from '../../db/database.js';
import type { NotificationChannel, NotificationsTable } from '../../db/schema.js';
import { recordMessage } from '../../lib/metrics.js';
import { ChannelLimits } from './channelLimits.js';
import { type NotificationPayload, parsePayload } from './payload.js';

export type NotificationRow = Selectable<NotificationsTable>;

/** What a channel throws when it could not deliver. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    /** True when trying again cannot help (no such address, nobody reachable). */
    readonly permanent = false,
    /** The channel asked us to wait this long (Slack's 429 Retry-After). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** Thrown when a message is no longer worth sending (a reminder after its meeting started). */
export class SkipDelivery extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'SkipDelivery';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Not a failure: the row goes back to pending, due when the channel may send again. */
class HandBack extends DeliveryError {
  constructor(message: string, waitMs: number) {
    super(message, false, Math.max(1, Math.ceil(waitMs / 1000)));
  }
}

/** A channel's adapter: delivers one row, returns what to record (ids, people not reached). */
export type Sender = (row: NotificationRow, payload: NotificationPayload) => Promise<Record<string, unknown>>;

export interface OutboxOptions {
  batchSize: number;
  concurrency: number;
  maxAttempts: number;
  leaseSeconds: number;
  baseDelaySeconds: number;
  maxDelaySeconds: number;
}

export interface OutboxRun {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  skipped: number;
}

/**
 * Claims up to `limit` due rows for this worker in one statement: pending rows whose time has
 * come, and rows still 'sending' whose lease ran out (their worker died mid-send). On PostgreSQL
 * the inner SELECT locks with SKIP LOCKED, so two workers never claim the same row; SQLite has a
 * single writer, so the one UPDATE … RETURNING is atomic. Each claim gets a fresh token, and a
 * result is only recorded while the row is still held under it.
 */
export async function claimDue(
  db: Db,
  engine: Engine,
  props: { workerId: string; limit: number; leaseSeconds: number; now?: Date },
): Promise<{ claim: string; rows: NotificationRow[] }> {
  const now = props.now ?? new Date();
  const nowText = now.toISOString();
  const claim = `${props.workerId}:${randomBytes(6).toString('base64url')}`;
  const rows = await db
    .updateTable('notifications')
    .set((eb) => ({
      status: 'sending',
      claimed_by: claim,
      claimed_until: new Date(now.getTime() + props.leaseSeconds * 1000).toISOString(),
      attempts: eb('attempts', '+', 1),
      // Still 'sending' here means its worker died mid-send (the lease ran out). A row a stopping
      // worker handed back unsent (releaseClaims: no claim on it) keeps what it was.
      recovered: eb
        .case()
        .when('status', '=', 'sending')
        .then(1)
        .when('claimed_by', 'is', null)
        .then(eb.ref('recovered'))
        .else(0)
        .end()
        .$castTo<0 | 1>(),
      updated_at: nowText,
    }))
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('notifications')
        .select('id')
        .where((w) =>
          w.or([
            w.and([w('status', '=', 'pending'), w('next_attempt_at', '<=', nowText)]),
            w.and([w('status', '=', 'sending'), w('claimed_until', '<=', nowText)]),
          ]),
        )
        .orderBy('next_attempt_at')
        .limit(props.limit)
        .$if(engine === 'postgres', (q) => q.forUpdate().skipLocked()),
    )
    .returningAll()
    .execute();
  return { claim, rows };
}

/** Exponential backoff with full jitter over the upper half: base·2^(n-1), capped, × [0.5, 1). */
export function backoffSeconds(attempts: number, options: Pick<OutboxOptions, 'baseDelaySeconds' | 'maxDelaySeconds'>) {
  const ceiling = Math.min(options.maxDelaySeconds, options.baseDelaySeconds * 2 ** Math.max(0, attempts - 1));
  return ceiling * (0.5 + Math.random() * 0.5);
}

/**
 * Writes "sent" results in batches: one transaction for every result that arrived while the
 * previous write ran, so a busy worker commits a few times per batch instead of once per message.
 * A result lost to a crash leaves its row 'sending' under a lease; the next claim marks it
 * recovered and the channel checks before sending again.
 */
class SentRecorder {
  private buffer: Array<{ row: NotificationRow; claim: string; result: Record<string, unknown>; at: string }> = [];
  private writing: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly retryDelaysMs = [100, 250, 500, 1000, 2000, 4000, 8000],
  ) {}

  /** Never rejects: a result that cannot be written leaves its row to the lease (see write). */
  add(row: NotificationRow, claim: string, result: Record<string, unknown>): Promise<void> {
    this.buffer.push({ row, claim, result, at: new Date().toISOString() });
    return this.flushSoon();
  }

  private flushSoon(): Promise<void> {
    this.writing ??= this.write().finally(() => {
      this.writing = null;
    });
    return this.writing;
  }

  /**
   * A failed write (the database busy or unreachable for a moment) is tried again with the same
   * results: those messages went out, so they must never be counted as failed deliveries. If the
   * database stays away, the rows stay 'sending' and the lease hands them to a later claim, which
   * checks the chat before posting again.
   */
  private async write(): Promise<void> {
    let failures = 0;
    while (this.buffer.length) {
      const items = this.buffer.splice(0);
      try {
        await this.db.transaction().execute(async (trx) => {
          for (const { row, claim, result, at } of items) {
            await trx
              .updateTable('notifications')
              .set({
                status: 'sent',
                sent_at: at,
                updated_at: at,
                claimed_until: null,
                last_error: null,
                result: JSON.stringify(result),
              })
              .where('id', '=', row.id)
              .where('claimed_by', '=', claim)
              .where('status', '=', 'sending')
              .execute();
          }
        });
        failures = 0;
      } catch {
        const delay = this.retryDelaysMs[failures++];
        if (delay === undefined) return;
        this.buffer.unshift(...items);
        await sleep(delay);
      }
    }
  }

  /** Resolves once everything added so far is written (or given up to the lease). */
  async drain(): Promise<void> {
    while (this.writing) await this.writing;
  }
}

/**
 * Hands rows this worker claimed but never started sending back to 'pending', as they were before
 * the claim: due at once for the next worker, the attempt taken back, no claim on them. Only rows
 * still held under their claim are touched.
 */
export async function releaseClaims(db: Db, items: Array<{ row: NotificationRow; claim: string }>): Promise<number> {
  const byClaim = new Map<string, string[]>();
  for (const { row, claim } of items) byClaim.set(claim, [...(byClaim.get(claim) ?? []), row.id]);
  let released = 0;
  const at = new Date().toISOString();
  for (const [claim, ids] of byClaim) {
    const result = await db
      .updateTable('notifications')
      .set((eb) => ({
        status: 'pending',
        attempts: eb('attempts', '-', 1),
        claimed_by: null,
        claimed_until: null,
        updated_at: at,
      }))
      .where('id', 'in', ids)
      .where('claimed_by', '=', claim)
      .where('status', '=', 'sending')
      .executeTakeFirst();
    released += Number(result.numUpdatedRows);
  }
  return released;
}

async function recordSkipped(db: Db, row: NotificationRow, claim: string, reason: string) {
  const at = new Date().toISOString();
  await db
    .updateTable('notifications')
    .set({ status: 'skipped', updated_at: at, claimed_until: null, last_error: reason.slice(0, 1000) })
    .where('id', '=', row.id)
    .where('claimed_by', '=', claim)
    .where('status', '=', 'sending')
    .execute();
}

async function recordFailure(
  db: Db,
  row: NotificationRow,
  claim: string,
  error: unknown,
  options: OutboxOptions,
  now: Date,
): Promise<'retried' | 'failed'> {
  const delivery = error instanceof DeliveryError ? error : undefined;
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
  const rateLimited = delivery?.retryAfterSeconds !== undefined;
  // Being asked to wait is not a failed attempt: it does not count towards maxAttempts.
  const attempts = rateLimited ? Math.max(0, row.attempts - 1) : row.attempts;
  const failed = delivery?.permanent === true || attempts >= options.maxAttempts;
  const delay = Math.max(delivery?.retryAfterSeconds ?? 0, rateLimited ? 0 : backoffSeconds(attempts, options));
  await db
    .updateTable('notifications')
    .set({
      status: failed ? 'failed' : 'pending',
      attempts,
      last_error: message,
      next_attempt_at: new Date(now.getTime() + delay * 1000).toISOString(),
      claimed_until: null,
      updated_at: new Date().toISOString(),
    })
    .where('id', '=', row.id)
    .where('claimed_by', '=', claim)
    .where('status', '=', 'sending')
    .execute();
  return failed ? 'failed' : 'retried';
}

export interface DrainProps {
  db: Db;
  engine: Engine;
  senders: Partial<Record<NotificationChannel, Sender>>;
  options: OutboxOptions;
  workerId: string;
  /** The clock for claims and retry times (tests move it forward). */
  now?: Date;
  /** Stop claiming after this many claims (a job run must end while work keeps arriving). */
  maxBatches?: number;
  /** Per-channel pacing, kept by the worker across runs. */
  limits?: ChannelLimits;
  /**
   * Aborted when the worker stops: no further claim, rows claimed but not started are handed back
   * (releaseClaims), and the messages already being sent get `stopGraceMs` to finish and be recorded.
   */
  signal?: AbortSignal;
  /** How long sends in flight at a stop may still take; one still going then is left to its lease. */
  stopGraceMs?: number;
}

/** Sends in flight when a worker stops get this long (the CLI's last resort exits at 15 s). */
export const STOP_GRACE_MS = 10_000;

/**
 * Delivers due messages until none is left (or `maxBatches` claims), `concurrency` at a time. The
 * next batch is claimed while the last messages of the current one are still in flight, so the
 * lanes never sit idle waiting for a batch's slowest message.
 */
export async function drainOutbox(props: DrainProps): Promise<OutboxRun> {
  const { options, signal } = props;
  const limits = props.limits ?? new ChannelLimits();
  const recorder = new SentRecorder(props.db);
  const run: OutboxRun = { claimed: 0, sent: 0, retried: 0, failed: 0, skipped: 0 };
  const queue: Array<{ row: NotificationRow; claim: string }> = [];
  let claims = 0;
  let exhausted = false;
  let claiming: Promise<void> | null = null;
  // Hand-backs under way; all are written before the drain returns (the database closes after).
  const releases: Array<Promise<unknown>> = [];
  const handBack = (items: Array<{ row: NotificationRow; claim: string }>) => {
    if (!items.length) return;
    // A failed write leaves the rows to their lease, as a worker that died would.
    releases.push(releaseClaims(props.db, items).catch(() => undefined));
  };
  // On a stop the rows waiting in the queue go back at once, not when a lane would reach them.
  const onStop = () => handBack(queue.splice(0));
  // Set when the drain returns: a send still hanging then (past the grace) has its row left to the
  // lease, and its late outcome is not written (the database may be closed by then).
  let abandoned = false;
  signal?.addEventListener('abort', onStop, { once: true });

  const claimMore = async () => {
    if (signal?.aborted || claims >= (props.maxBatches ?? Number.POSITIVE_INFINITY)) {
      exhausted = true;
      return;
    }
    claims++;
    const { claim, rows } = await claimDue(props.db, props.engine, {
      workerId: props.workerId,
      limit: options.batchSize,
      leaseSeconds: options.leaseSeconds,
      ...(props.now ? { now: props.now } : {}),
    });
    run.claimed += rows.length;
    for (const row of rows) queue.push({ row, claim });
    if (rows.length < options.batchSize) exhausted = true;
    // Stopped while this claim ran: its rows go straight back.
    if (signal?.aborted) {
      exhausted = true;
      onStop();
    }
  };
  const take = async () => {
    for (;;) {
      if (signal?.aborted) return undefined;
      if (queue.length <= options.concurrency && !exhausted && !claiming) {
        claiming = claimMore().finally(() => {
          claiming = null;
        });
      }
      const item = queue.shift();
      if (item) return item;
      if (claiming) await claiming;
      else if (exhausted) return undefined;
    }
  };
  const deliver = async (row: NotificationRow, claim: string) => {
    const now = props.now ?? new Date();
    let result: Record<string, unknown>;
    try {
      const sender = props.senders[row.channel];
      if (!sender) throw new DeliveryError(`The ${row.channel} channel is not configured.`);
      // Claimed again after every worker that took it died mid-send: something in this message
      // kills workers, so stop rather than loop forever.
      if (row.recovered === 1 && row.attempts > options.maxAttempts) {
        throw new DeliveryError(`A worker stopped while sending this message ${row.attempts - 1} times.`, true);
      }
      const wait = limits.reserve(row.channel);
      // The lease must outlast the wait and the send; otherwise another worker could claim the row
      // while this one still sends it. Hand it back (not counted as an attempt) instead.
      const leaseLeft = Date.parse(row.claimed_until ?? '') - Date.now();
      if (wait + (options.leaseSeconds * 1000) / 4 > leaseLeft) {
        throw new HandBack(`The ${row.channel} channel is paced; this message waits for a later claim.`, wait);
      }
      if (wait > 0 && !(await pause(wait, signal))) {
        // Stopped while waiting for the channel's pace: not started, so handed back.
        handBack([{ row, claim }]);
        return;
      }
      result = await sender(row, parsePayload(row.payload));
    } catch (error) {
      if (abandoned) return;
      try {
        if (error instanceof SkipDelivery) {
          await recordSkipped(props.db, row, claim, error.message);
          run.skipped++;
          recordMessage(row.channel, 'skipped');
          return;
        }
        if (error instanceof DeliveryError && error.retryAfterSeconds !== undefined && !(error instanceof HandBack)) {
          limits.pause(row.channel, error.retryAfterSeconds);
        }
        const outcome = await recordFailure(props.db, row, claim, error, options, now);
        run[outcome]++;
        recordMessage(row.channel, outcome);
      } catch {
        // The database refused the outcome: the row stays claimed until its lease runs out.
      }
      return;
    }
    if (abandoned) return;
    await recorder.add(row, claim, result);
    run.sent++;
    recordMessage(row.channel, 'sent');
  };
  const lane = async () => {
    for (let item = await take(); item; item = await take()) await deliver(item.row, item.claim);
  };
  const lanes = Promise.all(Array.from({ length: options.concurrency }, lane));
  try {
    await untilStoppedFor(lanes, signal, props.stopGraceMs ?? STOP_GRACE_MS);
    abandoned = true;
    // Whatever was sent is recorded before the worker goes (a send still hanging after the grace
    // is not: its row keeps its lease, as if the worker had died).
    await recorder.drain();
    await Promise.all(releases);
  } finally {
    signal?.removeEventListener('abort', onStop);
  }
  return run;
}

/** Waits `ms`; false if `signal` aborted first. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (waited: boolean) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', stopped);
      resolve(waited);
    };
    const stopped = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal?.addEventListener('abort', stopped, { once: true });
  });
}

/** Resolves with `work`, or `graceMs` after `signal` aborts if `work` is not done by then. */
async function untilStoppedFor(work: Promise<unknown>, signal: AbortSignal | undefined, graceMs: number) {
  if (!signal) return void (await work);
  let timer: NodeJS.Timeout | undefined;
  let graceOver!: () => void;
  const over = new Promise<void>((resolve) => {
    graceOver = resolve;
  });
  const start = () => {
    timer = setTimeout(graceOver, graceMs);
  };
  if (signal.aborted) start();
  else signal.addEventListener('abort', start, { once: true });
  try {
    await Promise.race([work, over]);
  } finally {
    signal.removeEventListener('abort', start);
    clearTimeout(timer);
  }
}
