import { CompiledQuery } from 'kysely';
import type { WatchedChange } from '../../db/changeStamp.js';
import type { Executor } from '../../db/database.js';
import { hashToken, newToken } from '../../lib/ids.js';
import { addSeconds, nowIso, toIso } from '../../lib/time.js';
import type { PersonRow } from '../people/presenters.js';

export const SESSION_COOKIE = 'convene_session';
// Refreshing last_seen_at on every request would turn each read into a write.
const TOUCH_INTERVAL_MS = 5 * 60 * 1000;

export async function createSession(
  db: Executor,
  props: { personId: string; days: number; ip?: string; userAgent?: string },
): Promise<{ token: string; expiresAt: Date }> {
  const token = newToken();
  const now = new Date();
  const expiresAt = addSeconds(now, props.days * 86_400);
  await db
    .insertInto('auth_sessions')
    .values({
      id: hashToken(token),
      person_id: props.personId,
      created_at: toIso(now),
      last_seen_at: toIso(now),
      expires_at: toIso(expiresAt),
      ip: props.ip ?? null,
      user_agent: props.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  return { token, expiresAt };
}

// One query on every signed-in request: the session and its person together.
const sessionLookup = (db: Executor) =>
  db
    .selectFrom('auth_sessions')
    .innerJoin('people', 'people.id', 'auth_sessions.person_id')
    .selectAll('people')
    .select(['auth_sessions.expires_at as session_expires_at', 'auth_sessions.last_seen_at as session_last_seen_at'])
    .where('auth_sessions.id', '=', '')
    .compile();

// Building and compiling that query with Kysely cost more than running it: compiled once per
// database handle (the SQL differs between engines), then run with each request's session id.
const sessionLookups = new WeakMap<Executor, ReturnType<typeof sessionLookup>>();

function sessionLookupFor(db: Executor): ReturnType<typeof sessionLookup> {
  let compiled = sessionLookups.get(db);
  if (!compiled) {
    compiled = sessionLookup(db);
    sessionLookups.set(db, compiled);
  }
  return compiled;
}

/** The writes that can change what a session lookup returns (new people and sessions cannot). */
export const SESSION_CHANGES: WatchedChange[] = [
  { table: 'people', event: 'UPDATE' },
  { table: 'people', event: 'DELETE' },
  { table: 'auth_sessions', event: 'DELETE' },
  // Not last_seen_at: touching a session must not empty the cache (the entry's copy is updated).
  { table: 'auth_sessions', event: 'UPDATE OF id, person_id, expires_at' },
];

interface SessionEntry {
  person: PersonRow;
  /** Milliseconds since the epoch, parsed once per read. */
  expiresAt: number;
  lastSeenAt: number;
}

/**
 * Signed-in people by session id, kept only while nothing they were read from can have changed
 * (see changeStamp.ts): a sign-out, a disabled account or a role change, in this process or any
 * other, takes effect on the very next request. The lookup costs a pragma instead of a join, on
 * every signed-in request, which is the busiest read of all.
 */
export class SessionCache {
  private readonly entries = new Map<string, SessionEntry>();
  private current = '';

  constructor(
    readonly stamp: () => string,
    private readonly capacity = 10_000,
  ) {}

  get(sessionId: string, stamp: string): SessionEntry | undefined {
    if (stamp !== this.current) {
      this.entries.clear();
      this.current = stamp;
      return undefined;
    }
    return this.entries.get(sessionId);
  }

  /** Keeps an entry read under `stamp`, unless something changed since (then it may be stale). */
  set(sessionId: string, entry: SessionEntry, stamp: string): void {
    if (stamp !== this.current) return;
    this.entries.set(sessionId, entry);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }
}

async function readSession(db: Executor, sessionId: string): Promise<SessionEntry | undefined> {
  const lookup = sessionLookupFor(db);
  const row = (await db.executeQuery(CompiledQuery.raw(lookup.sql, [sessionId]) as typeof lookup)).rows[0];
  if (!row) return undefined;
  const { session_expires_at: expiresAt, session_last_seen_at: lastSeenAt, ...person } = row;
  // Shared by every request of the session while cached: nobody may change it in place.
  return { person: Object.freeze(person), expiresAt: Date.parse(expiresAt), lastSeenAt: Date.parse(lastSeenAt) };
}

/** The person behind a session token, or undefined when it is unknown, expired or disabled. */
export async function personForSession(
  db: Executor,
  token: string,
  cache?: SessionCache,
): Promise<{ person: PersonRow; sessionId: string } | undefined> {
  const sessionId = hashToken(token);
  // Taken before the read, so that a change made while it runs keeps its result out of the cache.
  const stamp = cache?.stamp();
  const cached = stamp === undefined ? undefined : cache?.get(sessionId, stamp);
  const entry = cached ?? (await readSession(db, sessionId));
  if (!entry) return undefined;
  const now = Date.now();
  // Written as "not later than now" so that an unreadable expiry (NaN) counts as expired.
  if (!(entry.expiresAt > now)) {
    await db.deleteFrom('auth_sessions').where('id', '=', sessionId).execute();
    return undefined;
  }
  if (entry.person.enabled !== 1) return undefined;
  if (now - entry.lastSeenAt > TOUCH_INTERVAL_MS) {
    await db
      .updateTable('auth_sessions')
      .set({ last_seen_at: toIso(new Date(now)) })
      .where('id', '=', sessionId)
      .execute();
    entry.lastSeenAt = now;
  }
  if (!cached && stamp !== undefined) cache?.set(sessionId, entry, stamp);
  return { person: entry.person, sessionId };
}

export async function deleteSession(db: Executor, token: string): Promise<void> {
  await db.deleteFrom('auth_sessions').where('id', '=', hashToken(token)).execute();
}

/** Signs a person out everywhere, optionally keeping the session they are using now. */
export async function deleteSessionsOf(db: Executor, personId: string, keepSessionId?: string): Promise<void> {
  let query = db.deleteFrom('auth_sessions').where('person_id', '=', personId);
  if (keepSessionId) query = query.where('id', '!=', keepSessionId);
  await query.execute();
}

export async function deleteExpiredSessions(db: Executor): Promise<void> {
  await db.deleteFrom('auth_sessions').where('expires_at', '<=', nowIso()).execute();
}
