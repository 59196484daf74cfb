import type { EventPhase } from '../../db/schema.js';
import type { Representations } from '../../http/precompressed.js';

/** One event's proposal list, built once and shared by every request until something changes. */
export interface CachedList<L> {
  eventId: string;
  /** The exact bytes every signed-out visitor gets. */
  body: Buffer;
  etag: string;
  /** `body` in each encoding worth sending, compressed when the entry was built (absent: `body` only). */
  encoded?: Representations;
  /** The same list as data, for signed-in viewers' personal versions. */
  list: L;
  /** Speaker of each proposal in `list`, in order (never sent: used to mark a viewer's own talks). */
  speakerIds: string[];
  /** The phase the list was built for; the entry expires when the phase would change by itself. */
  phase: EventPhase;
  expiresAt: number;
}

export type CacheEntryInput<L> = Omit<CachedList<L>, 'expiresAt'> & { expiresAt?: number };

/**
 * In-memory cache of proposal lists. Changes made through this process invalidate an entry at once
 * (use cases call `invalidate` after they commit); entries also expire after `ttlMs`, so changes
 * made by another process sharing the database show within that time.
 *
 * A build that started before an invalidation is answered to its callers but not stored, so a list
 * read from the database before a change cannot outlive it.
 */
export class ProposalListCache<L> {
  private readonly entries = new Map<string, CachedList<L>>();
  private readonly generations = new Map<string, number>();
  private readonly building = new Map<string, { generation: number; promise: Promise<CachedList<L> | null> }>();

  constructor(
    readonly ttlMs = 5000,
    private readonly maxEntries = 1000,
  ) {}

  /** The entry for `eventId`, building it (once, however many requests ask at the same time) when needed. */
  get(eventId: string, build: () => Promise<CacheEntryInput<L> | null>): CachedList<L> | Promise<CachedList<L> | null> {
    const hit = this.peek(eventId);
    if (hit) return hit;
    const generation = this.generations.get(eventId) ?? 0;
    const pending = this.building.get(eventId);
    if (pending && pending.generation === generation) return pending.promise;
    const promise = build()
      .then((built) => {
        if (!built) return null;
        const entry: CachedList<L> = {
          ...built,
          expiresAt: Math.min(built.expiresAt ?? Number.POSITIVE_INFINITY, Date.now() + this.ttlMs),
        };
        if ((this.generations.get(eventId) ?? 0) === generation) this.store(entry);
        return entry;
      })
      .finally(() => {
        if (this.building.get(eventId)?.promise === promise) this.building.delete(eventId);
      });
    this.building.set(eventId, { generation, promise });
    return promise;
  }

  /** The entry for `eventId` when it is in the cache and fresh; never builds one. */
  peek(eventId: string): CachedList<L> | undefined {
    const hit = this.entries.get(eventId);
    return hit && hit.expiresAt > Date.now() ? hit : undefined;
  }

  invalidate(eventId: string): void {
    this.entries.delete(eventId);
    this.generations.set(eventId, (this.generations.get(eventId) ?? 0) + 1);
  }

  clear(): void {
    for (const eventId of [...this.entries.keys()]) this.invalidate(eventId);
  }

  private store(entry: CachedList<L>): void {
    this.entries.delete(entry.eventId);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(entry.eventId, entry);
  }
}

/**
 * One cache per database handle, so the routes, the phase job and the CLI of one process share it,
 * and two apps in one process (tests) never see each other's lists.
 */
const caches = new WeakMap<object, ProposalListCache<unknown>>();

export function listCacheFor<L>(db: object): ProposalListCache<L> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new ProposalListCache<unknown>();
    caches.set(db, cache);
  }
  return cache as ProposalListCache<L>;
}

/** Called by every use case after it commits a change visible in an event's proposal list. */
export const listChanged = (db: object, eventId: string): void => listCacheFor(db).invalidate(eventId);
