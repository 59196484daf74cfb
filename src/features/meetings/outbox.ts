import { randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Db, Engine } from '../../db/database.js';
import type { NotificationChannel, NotificationsTable } from '../../db/schema.js';
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
      // Still 'sending' here means its worker died mid-send (the lease ran out).
      recovered: eb.case().when('status', '=', 'sending').then(1).else(0).end().$castTo<0 | 1>(),
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

async function recordSent(db: Db, row: NotificationRow, claim: string, result: Record<string, unknown>) {
  const at = new Date().toISOString();
  await db
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

/** Claims one batch and delivers it, `concurrency` messages at a time. */
export async function deliverBatch(props: {
  db: Db;
  engine: Engine;
  senders: Partial<Record<NotificationChannel, Sender>>;
  options: OutboxOptions;
  workerId: string;
  now?: Date;
}): Promise<OutboxRun> {
  const now = props.now ?? new Date();
  const { claim, rows } = await claimDue(props.db, props.engine, {
    workerId: props.workerId,
    limit: props.options.batchSize,
    leaseSeconds: props.options.leaseSeconds,
    now,
  });
  const run: OutboxRun = { claimed: rows.length, sent: 0, retried: 0, failed: 0, skipped: 0 };
  let next = 0;
  const lane = async () => {
    while (next < rows.length) {
      const row = rows[next++] as NotificationRow;
      try {
        const sender = props.senders[row.channel];
        if (!sender) throw new DeliveryError(`The ${row.channel} channel is not configured.`);
        const result = await sender(row, parsePayload(row.payload));
        await recordSent(props.db, row, claim, result);
        run.sent++;
      } catch (error) {
        if (error instanceof SkipDelivery) {
          await recordSkipped(props.db, row, claim, error.message);
          run.skipped++;
          continue;
        }
        run[await recordFailure(props.db, row, claim, error, props.options, now)]++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(props.options.concurrency, rows.length) }, lane));
  return run;
}

/** Delivers batches until nothing is due (or `maxBatches`), returning the totals. */
export async function drainOutbox(
  props: Parameters<typeof deliverBatch>[0] & { maxBatches?: number },
): Promise<OutboxRun> {
  const total: OutboxRun = { claimed: 0, sent: 0, retried: 0, failed: 0, skipped: 0 };
  for (let i = 0; i < (props.maxBatches ?? Number.POSITIVE_INFINITY); i++) {
    const run = await deliverBatch(props);
    total.claimed += run.claimed;
    total.sent += run.sent;
    total.retried += run.retried;
    total.failed += run.failed;
    total.skipped += run.skipped;
    if (run.claimed < props.options.batchSize) break;
  }
  return total;
}
