import { sql } from 'kysely';
import type { InboundRefusal } from '../../contract/ingest.js';
import type { Db } from '../../db/database.js';
import type { DeliveryChannel, RefusalReason } from '../../db/schema.js';

/** One delivery refused before it was read. */
export interface Refusal {
  source: string;
  channel: DeliveryChannel;
  reason: RefusalReason;
  status: number;
  detail: string;
  /** The webhook's client address; none for the queue. */
  from?: string | null | undefined;
}

export interface RefusalLog {
  /** Counts a refusal in memory; never throws, never waits. */
  note(refusal: Refusal): void;
  /** Writes whatever is counted now (on shutdown, and in tests); a write that fails is kept for later. */
  flush(): Promise<void>;
}

interface Tally {
  source: string;
  channel: DeliveryChannel;
  reason: RefusalReason;
  count: number;
  firstAt: string;
  lastAt: string;
  lastStatus: number;
  lastDetail: string;
  lastFrom: string | null;
}

const DEFAULT_EVERY_MS = 10_000;

/**
 * Refusals counted in memory and written at most once per key (source, channel, reason) every
 * `everyMs`: the first of a quiet key at once, so an admin trying a setup sees it, the rest of a
 * burst at the end of the interval as one upsert adding its count. A flood of bad requests costs a
 * write per key per interval and, the reasons being a fixed set, never a new row. A write that fails
 * only logs: the counts stay in memory for the next one, and no caller ever waits for it.
 */
export function refusalLog(props: { db: Db; everyMs?: number; onError?: (error: unknown) => void }): RefusalLog {
  const everyMs = props.everyMs ?? DEFAULT_EVERY_MS;
  const tallies = new Map<string, Tally>();
  const timers = new Map<string, NodeJS.Timeout>();
  const lastWrite = new Map<string, number>();
  const writing = new Set<Promise<void>>();

  const merge = (key: string, older: Tally) => {
    const newer = tallies.get(key);
    if (!newer) tallies.set(key, older);
    else tallies.set(key, { ...newer, count: newer.count + older.count, firstAt: older.firstAt });
  };

  const schedule = (key: string) => {
    if (timers.has(key)) return;
    const wait = Math.max(0, (lastWrite.get(key) ?? Number.NEGATIVE_INFINITY) + everyMs - Date.now());
    const timer = setTimeout(() => void write(key), wait);
    timer.unref();
    timers.set(key, timer);
  };

  function write(key: string): Promise<void> {
    clearTimeout(timers.get(key));
    timers.delete(key);
    const tally = tallies.get(key);
    if (!tally) return Promise.resolve();
    tallies.delete(key);
    lastWrite.set(key, Date.now());
    const done = upsertRefusal(props.db, tally)
      .catch((error: unknown) => {
        merge(key, tally);
        schedule(key);
        props.onError?.(error);
      })
      .finally(() => writing.delete(done));
    writing.add(done);
    return done;
  }

  return {
    note(refusal) {
      const key = `${refusal.source}\u0000${refusal.channel}\u0000${refusal.reason}`;
      const at = new Date().toISOString();
      const tally = tallies.get(key);
      const last = {
        lastAt: at,
        lastStatus: refusal.status,
        lastDetail: refusal.detail.slice(0, 300),
        lastFrom: refusal.from?.slice(0, 64) ?? null,
      };
      if (tally) Object.assign(tally, last, { count: tally.count + 1 });
      else {
        const { source, channel, reason } = refusal;
        tallies.set(key, { source, channel, reason, count: 1, firstAt: at, ...last });
      }
      schedule(key);
    },
    async flush() {
      await Promise.allSettled([...writing]);
      await Promise.all([...tallies.keys()].map(write));
    },
  };
}

async function upsertRefusal(db: Db, tally: Tally): Promise<void> {
  await db
    .insertInto('inbound_refusals')
    .values({
      source: tally.source,
      channel: tally.channel,
      reason: tally.reason,
      count: tally.count,
      first_at: tally.firstAt,
      last_at: tally.lastAt,
      last_status: tally.lastStatus,
      last_detail: tally.lastDetail,
      last_from: tally.lastFrom,
    })
    .onConflict((oc) =>
      oc.columns(['source', 'channel', 'reason']).doUpdateSet((eb) => ({
        count: sql<number>`${sql.ref('inbound_refusals.count')} + ${eb.ref('excluded.count')}`,
        last_at: eb.ref('excluded.last_at'),
        last_status: eb.ref('excluded.last_status'),
        last_detail: eb.ref('excluded.last_detail'),
        last_from: eb.ref('excluded.last_from'),
      })),
    )
    .execute();
}

/** The admin's Inbound page: what was refused unread, the latest first. */
export async function listRefusals(db: Db): Promise<InboundRefusal[]> {
  const rows = await db.selectFrom('inbound_refusals').selectAll().orderBy('last_at', 'desc').execute();
  return rows.map((r) => ({
    source: r.source,
    channel: r.channel,
    reason: r.reason,
    count: Number(r.count),
    firstAt: r.first_at,
    lastAt: r.last_at,
    lastStatus: r.last_status,
    lastDetail: r.last_detail,
    lastFrom: r.last_from,
  }));
}
