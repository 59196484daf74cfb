import type { DeliveriesPage } from '../../contract/ingest.js';
import { withRows } from '../../db/bulkInsert.js';
import type { Db, Executor } from '../../db/database.js';
import type { DeliveryChannel, DeliveryOutcome } from '../../db/schema.js';
import { newId } from '../../lib/ids.js';
import { INTRA42_SOURCE } from './people.js';

export type Claim =
  | { claimed: true; id: string }
  | {
      claimed: false;
      id: string | null;
      outcome: DeliveryOutcome;
      error: string | null;
      statusCode: number | null;
      deadLettered: boolean;
      /** The meeting it made or changed, so a duplicate's answer names it too. */
      meetingId: string | null;
    };

export interface ClaimOptions {
  now?: Date;
  /** How long the "processing" claim holds before a redelivery may take it over. */
  leaseMs?: number;
  channel?: DeliveryChannel;
  /** What each delivery is about (by delivery id), kept on its row for the admin's search. */
  subjects?: ReadonlyMap<string, string>;
  /** The event each delivery carried (by delivery id). */
  events?: ReadonlyMap<string, string>;
}

const DEFAULT_LEASE_MS = 60_000;

/** A delivery seen before: taken again if it failed or its claim's lease ran out, else how it ended. */
async function takeAgain(
  db: Executor,
  source: string,
  deliveryId: string,
  now: Date,
  leaseUntil: string,
): Promise<Claim> {
  // One conditional UPDATE: of two redeliveries racing for a failed or expired claim, one wins.
  const retaken = await db
    .updateTable('deliveries')
    .set({
      outcome: 'processing',
      received_at: now.toISOString(),
      error: null,
      status_code: null,
      lease_until: leaseUntil,
    })
    .where('source', '=', source)
    .where('delivery_id', '=', deliveryId)
    .where((eb) =>
      eb.or([
        eb('outcome', '=', 'failed'),
        eb.and([
          eb('outcome', '=', 'processing'),
          eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now.toISOString())]),
        ]),
      ]),
    )
    .returning('id')
    .executeTakeFirst();
  if (retaken) return { claimed: true, id: retaken.id };
  const row = await db
    .selectFrom('deliveries')
    .select(['id', 'outcome', 'error', 'status_code', 'dead_lettered_at', 'meeting_id'])
    .where('source', '=', source)
    .where('delivery_id', '=', deliveryId)
    .executeTakeFirst();
  return {
    claimed: false,
    id: row?.id ?? null,
    outcome: row?.outcome ?? 'processing',
    error: row?.error ?? null,
    statusCode: row?.status_code ?? null,
    deadLettered: Boolean(row?.dead_lettered_at),
    meetingId: row?.meeting_id ?? null,
  };
}

/**
 * Takes deliveries for processing, once per (source, delivery id): the unique key makes two copies
 * racing end with one winner. A delivery that failed (a database or 42 API outage) may be taken
 * again by its redelivery, and so may one still "processing" after its lease ran out (the process
 * handling it died); one that ended otherwise, or is being processed under a live lease, may not.
 * Distinct ids, in the caller's transaction, one insert for all: on PostgreSQL a delivery another
 * transaction is taking is waited for, so the claims of a batch committed with its work are never
 * seen "processing" by anyone else.
 */
export async function claimDeliveries(
  trx: Executor,
  source: string,
  deliveryIds: readonly string[],
  options: ClaimOptions = {},
): Promise<Map<string, Claim>> {
  const now = options.now ?? new Date();
  const leaseUntil = new Date(now.getTime() + (options.leaseMs ?? DEFAULT_LEASE_MS)).toISOString();
  const claims = new Map<string, Claim>();
  if (!deliveryIds.length) return claims;
  const rows = deliveryIds.map((deliveryId) => ({
    id: newId(),
    source,
    delivery_id: deliveryId,
    received_at: now.toISOString(),
    outcome: 'processing' as const,
    status_code: null,
    error: null,
    summary: null,
    meeting_id: null,
    channel: options.channel ?? 'webhook',
    lease_until: leaseUntil,
    dead_lettered_at: null,
    subject: options.subjects?.get(deliveryId)?.slice(0, SUBJECT_MAX) ?? null,
    event: options.events?.get(deliveryId) ?? null,
  }));
  for (let i = 0; i < rows.length; i += 100) {
    const inserted = await withRows(trx, trx.insertInto('deliveries'), rows.slice(i, i + 100), ['status_code'])
      .onConflict((oc) => oc.columns(['source', 'delivery_id']).doNothing())
      .returning(['id', 'delivery_id'])
      .execute();
    for (const row of inserted) claims.set(row.delivery_id, { claimed: true, id: row.id });
  }
  // Seen before: a failed or abandoned one is taken again (one at a time: these are rare).
  for (const deliveryId of deliveryIds) {
    if (!claims.has(deliveryId)) claims.set(deliveryId, await takeAgain(trx, source, deliveryId, now, leaseUntil));
  }
  return claims;
}

export interface DeliveryEnd {
  outcome: Exclude<DeliveryOutcome, 'processing'>;
  statusCode: number;
  error?: string | null;
  summary?: string | null;
  meetingId?: string | null;
  /** A refused queue message: when it was put in the dead-letter queue. */
  deadLetteredAt?: string | null;
}

/**
 * The outcomes of a batch's deliveries, claimed earlier in this transaction, in one statement per
 * 100: an insert that meets each row's id and writes the outcome over it (an UPDATE cannot set
 * each row its own values in SQL both engines speak). The values given for the key columns are the
 * rows' own; received_at is never written (the claim's time stays).
 */
export async function finishDeliveries(
  trx: Executor,
  source: string,
  ends: ReadonlyArray<{ id: string; deliveryId: string; end: DeliveryEnd }>,
): Promise<void> {
  const receivedAt = new Date().toISOString();
  for (let i = 0; i < ends.length; i += 100) {
    await withRows(
      trx,
      trx.insertInto('deliveries'),
      ends.slice(i, i + 100).map(({ id, deliveryId, end }) => ({
        id,
        source,
        delivery_id: deliveryId,
        received_at: receivedAt,
        ...endColumns(end),
        dead_lettered_at: end.deadLetteredAt ?? null,
      })),
      ['status_code'],
    )
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          outcome: eb.ref('excluded.outcome'),
          status_code: eb.ref('excluded.status_code'),
          error: eb.ref('excluded.error'),
          summary: eb.ref('excluded.summary'),
          meeting_id: eb.ref('excluded.meeting_id'),
          lease_until: null,
          dead_lettered_at: eb.fn.coalesce('excluded.dead_lettered_at', 'deliveries.dead_lettered_at'),
        })),
      )
      .execute();
  }
}

const endColumns = (end: DeliveryEnd) => ({
  outcome: end.outcome,
  status_code: end.statusCode,
  error: end.error?.slice(0, 1000) ?? null,
  summary: end.summary?.slice(0, 300) ?? null,
  meeting_id: end.meetingId ?? null,
  lease_until: null,
});

export async function finishDelivery(db: Executor, id: string, end: DeliveryEnd): Promise<void> {
  await db
    .updateTable('deliveries')
    .set({
      ...endColumns(end),
      ...(end.deadLetteredAt ? { dead_lettered_at: end.deadLetteredAt } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** A refused queue message is now in the dead-letter queue: a copy of it is acknowledged, not dead-lettered again. */
export async function markDeadLettered(db: Executor, ids: readonly string[], at: string): Promise<void> {
  if (!ids.length) return;
  await db.updateTable('deliveries').set({ dead_lettered_at: at }).where('id', 'in', ids).execute();
}

const PAGE_SIZE = 50;
const SUBJECT_MAX = 200;
/** The sources whose deliveries are recorded here: the 42 receiver's, by webhook and by queue. */
const DELIVERY_SOURCES = [INTRA42_SOURCE];

/**
 * The admin's "Inbound" page: the newest deliveries first, 50 a page, by outcome and source, and
 * `find`: the deliveries about one subject (a scale team's id) or the one with that delivery id.
 */
export async function listDeliveries(
  db: Db,
  filter: {
    outcome?: DeliveryOutcome | undefined;
    source?: string | undefined;
    find?: string | undefined;
    page: number;
  },
): Promise<DeliveriesPage> {
  const find = filter.find;
  const rows = await db
    .selectFrom('deliveries')
    .selectAll()
    .$if(filter.outcome !== undefined, (q) => q.where('outcome', '=', filter.outcome as DeliveryOutcome))
    .$if(Boolean(filter.source), (q) => q.where('source', '=', filter.source as string))
    // Each side of the "or" reads an index: delivery ids are unique per source, hence the sources.
    .$if(find !== undefined, (q) =>
      q.where((eb) =>
        eb.or([
          eb('subject', '=', find as string),
          eb.and([eb('source', 'in', DELIVERY_SOURCES), eb('delivery_id', '=', find as string)]),
        ]),
      ),
    )
    .orderBy('received_at', 'desc')
    .orderBy('id')
    .limit(PAGE_SIZE + 1)
    .offset((filter.page - 1) * PAGE_SIZE)
    .execute();
  return {
    page: filter.page,
    hasMore: rows.length > PAGE_SIZE,
    deliveries: rows.slice(0, PAGE_SIZE).map((r) => ({
      id: r.id,
      source: r.source,
      deliveryId: r.delivery_id,
      receivedAt: r.received_at,
      outcome: r.outcome,
      statusCode: r.status_code,
      error: r.error,
      summary: r.summary,
      meetingId: r.meeting_id,
      channel: r.channel,
      deadLettered: Boolean(r.dead_lettered_at),
      subject: r.subject,
    })),
  };
}

/**
 * Of these subjects (scale team ids), the ones a destroy delivery came for while no meeting had
 * them yet (ignored, with no meeting): the evaluation is gone, and a create or update arriving
 * after it (a retry of one answered 503) must not bring it back. A destroy that found its meeting
 * cancelled it, and that meeting stays cancelled (`staysCancelled`).
 */
export async function destroyedSubjects(
  trx: Executor,
  source: string,
  subjects: readonly string[],
): Promise<Set<string>> {
  const gone = new Set<string>();
  for (let i = 0; i < subjects.length; i += 400) {
    const rows = await trx
      .selectFrom('deliveries')
      .select('subject')
      .where('source', '=', source)
      .where('subject', 'in', subjects.slice(i, i + 400))
      .where('event', '=', 'destroy')
      .where('outcome', '=', 'ignored')
      .where('meeting_id', 'is', null)
      .execute();
    for (const row of rows) if (row.subject) gone.add(row.subject);
  }
  return gone;
}
