import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely';

/**
 * `value LIKE pattern ESCAPE '\'`, where the pattern holds `text` literally ('%', '_' and '\'
 * escaped) at its start or anywhere. The ESCAPE clause is what makes the escapes work on SQLite,
 * which has no default escape character (PostgreSQL's is '\'): without it, a search for
 * "api_token" or "jane_doe" matched nothing there.
 */
export function likeText(
  value: string | Expression<unknown>,
  text: string,
  at: 'start' | 'anywhere',
): RawBuilder<SqlBool> {
  const literal = text.replace(/[%_\\]/g, (c) => `\\${c}`);
  const pattern = at === 'start' ? `${literal}%` : `%${literal}%`;
  return sql<SqlBool>`${typeof value === 'string' ? sql.ref(value) : value} like ${pattern} escape '\\'`;
}
