import type SQLite from 'better-sqlite3';

/** A kind of write to watch, as a trigger names it: 'DELETE', 'UPDATE', 'UPDATE OF a, b', 'INSERT'. */
export interface WatchedChange {
  table: string;
  event: 'INSERT' | 'UPDATE' | 'DELETE' | `UPDATE OF ${string}`;
}

let watchers = 0;

/**
 * A stamp for caches that must never answer with stale rows: it differs from every earlier one
 * whenever the watched rows may have changed.
 * - A commit by any other connection (another process, such as a CLI command or the worker)
 *   changes SQLite's `PRAGMA data_version`. It does not say what changed, so any such commit counts.
 * - A write on this connection is seen exactly: temporary triggers (they live and fire on this
 *   connection only) count each watched change as it happens, even inside a transaction that is
 *   later rolled back, which only costs a cache miss.
 * Reading the stamp costs one pragma (about 2 µs), against 20–40 µs for a typical lookup with a join.
 *
 * Not seen: INSERT OR REPLACE (its implicit delete fires no trigger while recursive_triggers is off;
 * Convene never uses it) and a watched table dropped and created again on this connection (the
 * triggers go with it; migrations run before anything asks for a stamp).
 */
export function changeStamp(connection: SQLite.Database, changes: WatchedChange[]): () => string {
  const counter = `convene_watch_${++watchers}`;
  let local = 0;
  connection.function(counter, { deterministic: false }, () => {
    local++;
    return null;
  });
  for (const [i, { table, event }] of changes.entries()) {
    connection.exec(
      `CREATE TEMP TRIGGER ${counter}_${i} AFTER ${event} ON main."${table}" BEGIN SELECT ${counter}(); END`,
    );
  }
  const dataVersion = connection.prepare('PRAGMA data_version').pluck();
  let busy = 0;
  return () =>
    // Inside an open transaction the pragma answers from that transaction's snapshot and would miss
    // another process's commit: a stamp seen only once sends the caller to the database instead.
    connection.inTransaction ? `busy:${++busy}` : `${dataVersion.get()}:${local}`;
}
