import {
  type Insertable,
  type InsertQueryBuilder,
  type Kysely,
  PostgresAdapter,
  type RawBuilder,
  type SelectQueryBuilder,
  sql,
} from 'kysely';
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
 * Characters JSON.stringify writes as an escape that PostgreSQL's array syntax would read
 * differently (`\n` is "n" there): control characters and lone surrogates.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
const JSON_ONLY_ESCAPES = /[\u0000-\u001f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * An array parameter (text or integers) as PostgreSQL's array literal, written by one call of
 * JSON.stringify: inside double quotes both escape only `"` and `\` with a backslash, and an
 * unquoted `null` is NULL to both. node-postgres would otherwise escape each element with two
 * regular-expression replacements and a concatenation: this process's CPU per 42 delivery went
 * from 0.61 to 0.57 ms (bench/ingestProfile.ts, three runs each), most of it a queued message's
 * payload. Values with anything else (a control
 * character, a lone surrogate, a non-finite number, an object) go to node-postgres as they are.
 */
export function arrayParam(values: readonly unknown[]): string | readonly unknown[] {
  for (const value of values) {
    if (value === null) continue;
    if (typeof value === 'string' ? JSON_ONLY_ESCAPES.test(value) : !Number.isFinite(value)) return values;
  }
  return `{${JSON.stringify(values).slice(1, -1)}}`;
}

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
      arrays.push(
        sql`${arrayParam(parts.map((p) => p.own))}::text[]`,
        sql`${arrayParam(parts.map((p) => shared.get(p.shared)))}::int4[]`,
      );
      names.push(`c${i}`, `s${i}`);
      selected.push(sql`${name} || (${arrayParam([...shared.keys()])}::text[])[${sql.raw(`s${i}`)}]`);
      continue;
    }
    // An undefined value is left out by Kysely's VALUES: null here (a column's default is not used).
    const values = list.map((row) => row[column] ?? null);
    arrays.push(sql`${arrayParam(values)}::${sql.raw(ints.has(column) ? 'int4' : 'text')}[]`);
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
 * `query` narrowed to the rows whose `column` is one of `keys` (a few hundred at most: callers
 * chunk; a key given twice counts once). On PostgreSQL, one index probe per key: `from
 * unnest(keys) as probe_key cross join lateral (query where column = probe_key offset 0)` (the
 * offset keeps the planner from turning it back into a join of its choosing). With `column = any(keys)` the planner chose by the table's
 * statistics, and on a table that had grown since they were last taken (a new install's first
 * hour of 42 evaluations) it scanned all of it for each batch: 27–41 ms for 300 keys among 45,000
 * people instead of about 1 ms. On SQLite, `column in (…)`, which it answers by the index.
 */
export function whereKeyIn<D, TB extends keyof D, O>(
  db: Executor,
  query: SelectQueryBuilder<D, TB, O>,
  column: string,
  keys: readonly string[],
): SelectQueryBuilder<D, TB, O> {
  const unique = [...new Set(keys)];
  if (!unique.length) return query.where(sql<boolean>`1 = 0`);
  if (!isPostgres(db)) return query.where(sql<boolean>`${sql.ref(column)} in (${sql.join(unique)})`);
  const probe = query.where(sql<boolean>`${sql.ref(column)} = probe_key.probe_key`).offset(sql<number>`0`);
  // The probe's own tables stay inside it: outside, its rows are `found`, its columns as it names them.
  // biome-ignore lint/suspicious/noExplicitAny: the probe's typed columns are re-exposed as O below.
  const outer = db as unknown as Kysely<any>;
  return outer
    .selectFrom(sql`unnest(${arrayParam(unique)}::text[])`.as('probe_key'))
    .innerJoinLateral(probe.as('found'), (join) => join.onTrue())
    .selectAll('found') as unknown as SelectQueryBuilder<D, TB, O>;
}
