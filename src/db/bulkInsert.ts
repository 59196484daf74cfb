import { type Insertable, type InsertQueryBuilder, PostgresAdapter, type RawBuilder, sql } from 'kysely';
import type { Executor } from './database.js';
import type { DB } from './schema.js';
import { SplitJson } from './splitJson.js';

/**
 * Marks a statement whose SQL text never changes, so the PostgreSQL pool runs it as a named
 * prepared statement (parsed and planned once per connection; see database.ts).
 */
export const PREPARED_MARK = '/* prepared */';

export const isPostgres = (db: Executor): boolean => db.getExecutor().adapter instanceof PostgresAdapter;

/** A row whose text values may come as `SplitJson` (see splitJson.ts). */
export type Splittable<R> = { [K in keyof R]: R[K] | SplitJson };

const hasSplit = (list: ReadonlyArray<Record<string, unknown>>, column: string) =>
  list.some((row) => row[column] instanceof SplitJson);

/**
 * Many rows for an INSERT. On PostgreSQL, one array per column (`select c0, c1, … from
 * unnest($1::text[], $2::int4[], …) as u(c0, c1, …)`): the SQL text is the same whatever the number
 * of rows, so it is parsed and planned once per connection, and the server reads a few arrays
 * instead of binding thousands of parameters. On SQLite, a plain multi-row VALUES (its statements
 * are cached by text already).
 *
 * Every row must have the same keys as the first (an undefined value stands for null); `integers`
 * names the integer columns (the others are text). A text column with a `SplitJson` in any row is
 * sent on PostgreSQL as each row's own part and the index of its shared part in an array of the
 * distinct ones, joined by the server (`c1 || ($n::text[])[s1]`); its plain values are own parts
 * with an empty shared part. Reaching element k of that array walks the k before it: a few
 * nanoseconds each, about 0.4 ms for 500 rows with 500 distinct parts. The caller chunks (SQLite
 * binds at most 32,766 values).
 */
export function withRows<T extends keyof DB, O>(
  db: Executor,
  query: InsertQueryBuilder<DB, T, O>,
  rows: ReadonlyArray<Splittable<Insertable<DB[T]>>>,
  integers: readonly string[] = [],
): InsertQueryBuilder<DB, T, O> {
  const list = rows as ReadonlyArray<Record<string, unknown>>;
  if (!isPostgres(db)) {
    const split = Object.keys(list[0] ?? {}).filter((column) => hasSplit(list, column));
    if (!split.length) return query.values(rows as never);
    const joined = list.map((row) => {
      const out = { ...row };
      for (const column of split) if (out[column] instanceof SplitJson) out[column] = String(out[column]);
      return out;
    });
    return query.values(joined as never);
  }
  const first = list[0];
  if (!first) throw new Error('withRows: no rows to insert');
  const columns = Object.keys(first);
  for (const row of list) {
    if (Object.keys(row).length !== columns.length) throw new Error('withRows: rows with different columns');
  }
  const ints = new Set(integers);
  const arrays: RawBuilder<unknown>[] = [];
  const names: string[] = [];
  const selected: RawBuilder<unknown>[] = [];
  for (const [i, column] of columns.entries()) {
    const name = sql.raw(`c${i}`);
    if (hasSplit(list, column)) {
      if (ints.has(column)) throw new Error(`withRows: ${column} is an integer column, not JSON text`);
      // Each row's own part, and the index of its shared part in one array of the distinct ones.
      const shared = new Map<string, number>();
      const parts = list.map((row) => {
        const value = row[column] ?? null;
        if (value instanceof SplitJson) return value;
        if (value !== null && typeof value !== 'string')
          throw new Error(`withRows: ${column} mixes JSON parts and other values`);
        // A plain value is all its own (null stays null: null || '' is null).
        return { own: value, shared: '' };
      });
      for (const part of parts) if (!shared.has(part.shared)) shared.set(part.shared, shared.size + 1);
      arrays.push(sql`${parts.map((p) => p.own)}::text[]`, sql`${parts.map((p) => shared.get(p.shared))}::int4[]`);
      names.push(`c${i}`, `s${i}`);
      selected.push(sql`${name} || (${[...shared.keys()]}::text[])[${sql.raw(`s${i}`)}]`);
      continue;
    }
    // An undefined value is left out by Kysely's VALUES: null here (a column's default is not used).
    const values = list.map((row) => row[column] ?? null);
    arrays.push(sql`${values}::${sql.raw(ints.has(column) ? 'int4' : 'text')}[]`);
    names.push(`c${i}`);
    selected.push(name);
  }
  return query
    .columns(columns as never)
    .expression(
      sql`select ${sql.raw(PREPARED_MARK)} ${sql.join(selected)} from unnest(${sql.join(arrays)}) as u(${sql.raw(names.join(', '))})`,
    );
}

/**
 * `column IN (values)` for a look-up by many keys. On PostgreSQL `column = any($1::text[])`: one
 * parameter whatever the number of keys. Not a named statement, unlike the bulk inserts: a named
 * one gets, after five runs, a generic plan costed for the table as it was then, and a fresh
 * database's empty tables made that a sequential scan that stayed as they grew (the second 2,000
 * webhooks ran at half the first's rate). Planned with its values each time, it uses the index.
 */
export const isAnyOf = (db: Executor, column: string, values: readonly string[]) =>
  isPostgres(db)
    ? sql<boolean>`${sql.ref(column)} = any(${[...values]}::text[])`
    : sql<boolean>`${sql.ref(column)} in (${sql.join(values)})`;
