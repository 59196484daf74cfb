import { sql } from 'kysely';
import type { Executor } from './database.js';

/**
 * The rows that changes queue up on: each table's key and the column its no-op write sets to itself
 * (a timestamp where the row has one, so the key is never in the SET list).
 */
const LOCKABLE = {
  meetings: { key: 'id', touch: 'updated_at' },
  people: { key: 'id', touch: 'updated_at' },
  // One row per unconference: proposals to one event take turns on it.
  unconf_settings: { key: 'event_id', touch: 'event_id' },
} as const;

export type LockableTable = keyof typeof LOCKABLE;

/**
 * A no-op write to one row: on PostgreSQL it takes the row lock until the transaction ends, so
 * concurrent changes to the same thing queue up and each sees the one before it (SQLite runs one
 * writing transaction at a time anyway). Same SQL on both engines, unlike SELECT … FOR UPDATE.
 * A missing row locks nothing; callers that need the row read it afterwards.
 */
export async function lockRow(trx: Executor, table: LockableTable, id: string): Promise<void> {
  const { key, touch } = LOCKABLE[table];
  await sql`update ${sql.table(table)} set ${sql.ref(touch)} = ${sql.ref(touch)} where ${sql.ref(key)} = ${id}`.execute(
    trx,
  );
}
