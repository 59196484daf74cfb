import type { DeliveriesPage } from '../../contract/ingest.js';
import type { Db } from '../../db/database.js';
import { isUniqueViolation } from '../../db/errors.js';
import type { DeliveryOutcome } from '../../db/schema.js';
import { newId } from '../../lib/ids.js';

export type Claim = { claimed: true; id: string } | { claimed: false; outcome: DeliveryOutcome };

/**
 * Takes a delivery for processing, once per (source, delivery id): the unique key makes two
 * copies racing end with one winner. A delivery that failed (a database or 42 API outage) may be
 * taken again by its redelivery; one that ended otherwise, or is being processed, may not.
 */
export async function claimDelivery(db: Db, source: string, deliveryId: string, now = new Date()): Promise<Claim> {
  const id = newId();
  try {
    await db
      .insertInto('deliveries')
      .values({
        id,
        source,
        delivery_id: deliveryId,
        received_at: now.toISOString(),
        outcome: 'processing',
        status_code: null,
        error: null,
        summary: null,
        meeting_id: null,
      })
      .execute();
    return { claimed: true, id };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  const retaken = await db
    .updateTable('deliveries')
    .set({ outcome: 'processing', received_at: now.toISOString(), error: null, status_code: null })
    .where('source', '=', source)
    .where('delivery_id', '=', deliveryId)
    .where('outcome', '=', 'failed')
    .returning('id')
    .executeTakeFirst();
  if (retaken) return { claimed: true, id: retaken.id };
  const row = await db
    .selectFrom('deliveries')
    .select('outcome')
    .where('source', '=', source)
    .where('delivery_id', '=', deliveryId)
    .executeTakeFirst();
  return { claimed: false, outcome: row?.outcome ?? 'processing' };
}

export interface DeliveryEnd {
  outcome: Exclude<DeliveryOutcome, 'processing'>;
  statusCode: number;
  error?: string | null;
  summary?: string | null;
  meetingId?: string | null;
}

export async function finishDelivery(db: Db, id: string, end: DeliveryEnd): Promise<void> {
  await db
    .updateTable('deliveries')
    .set({
      outcome: end.outcome,
      status_code: end.statusCode,
      error: end.error?.slice(0, 1000) ?? null,
      summary: end.summary?.slice(0, 300) ?? null,
      meeting_id: end.meetingId ?? null,
    })
    .where('id', '=', id)
    .execute();
}

const PAGE_SIZE = 50;

/** The admin's "Inbound" page: the newest deliveries first, 50 a page, by outcome and source. */
export async function listDeliveries(
  db: Db,
  filter: { outcome?: DeliveryOutcome | undefined; source?: string | undefined; page: number },
): Promise<DeliveriesPage> {
  const rows = await db
    .selectFrom('deliveries')
    .selectAll()
    .$if(filter.outcome !== undefined, (q) => q.where('outcome', '=', filter.outcome as DeliveryOutcome))
    .$if(Boolean(filter.source), (q) => q.where('source', '=', filter.source as string))
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
    })),
  };
}
