import { type Insertable, type InsertQueryBuilder, PostgresAdapter, sql } from 'kysely';
import type { Executor } from './database.js';
import type { DB } from './schema.js';

/**
 * Marks a statement whose SQL text never changes, so the PostgreSQL pool runs it as a named
 * prepared statement (parsed and planned once per connection; see database.ts).
 */
export const PREPARED_MARK = '/* prepared */';

export const isPostgres = (db: Executor): boolean => db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * Many rows for an INSERT. On PostgreSQL, all the rows as one JSON parameter read back as rows of
 * the table's own type (`select … from json_populate_recordset(null::table, $1::json)`): the SQL
 * text is the same whatever the number of rows, so it is parsed and planned once per connection;
 * the server reads one value instead of binding thousands of parameters; and the rows are
 * serialised by the native JSON.stringify, not escaped value by value in JS as array literals
 * are (that escaping was a tenth of the 42 ingestion's node CPU). On SQLite, a plain multi-row
 * VALUES (its statements are cached by text already).
 *
 * Every row must have the same keys as the first (an undefined value stands for null, not for the
 * column's default). The caller chunks (SQLite binds at most 32,766 values).
 */
export function withRows<T extends keyof DB, O>(
  db: Executor,
  query: InsertQueryBuilder<DB, T, O>,
  rows: ReadonlyArray<Insertable<DB[T]>>,
): InsertQueryBuilder<DB, T, O> {
  if (!isPostgres(db)) return query.values(rows as never);
  const list = rows as ReadonlyArray<Record<string, unknown>>;
  const first = list[0];
  if (!first) throw new Error('withRows: no rows to insert');
  const columns = Object.keys(first);
  for (const row of list) {
    if (Object.keys(row).length !== columns.length) throw new Error('withRows: rows with different columns');
  }
  const table = (query.toOperationNode().into as { table: { identifier: { name: string } } }).table.identifier.name;
  let json = JSON.stringify(list);
  // A lone surrogate is written as an escape PostgreSQL's JSON refuses; a plain parameter would have
  // been sent as U+FFFD (as Buffer.from writes it), so it is here too. Rare: looked for only then.
  if (json.includes('\\ud'))
    json = JSON.stringify(list, (_key, value) => (typeof value === 'string' ? wellFormed(value) : value));
  return query.columns(columns as never).expression(
    sql`select ${sql.raw(PREPARED_MARK)} ${sql.join(columns.map((c) => sql.ref(c)))}
        from json_populate_recordset(null::${sql.table(table)}, ${json}::json)`,
  );
}

const wellFormed = (text: string) =>
  text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

/**
 * `column IN (values)` for a look-up by many keys. On PostgreSQL `column = any($1::text[])`: one
 * parameter whatever the number of keys, so a statement made only of such conditions has one SQL
 * text and runs prepared (parsed and planned once per connection).
 */
export const isAnyOf = (db: Executor, column: string, values: readonly string[]) =>
  isPostgres(db)
    ? sql<boolean>`${sql.ref(column)} = any(${sql.raw(PREPARED_MARK)} ${[...values]}::text[])`
    : sql<boolean>`${sql.ref(column)} in (${sql.join(values)})`;
