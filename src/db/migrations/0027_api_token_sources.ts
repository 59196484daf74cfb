import type { Kysely } from 'kysely';

/**
 * The sources an API token may use (a JSON array such as ["hr-tool"]): a call for another source is
 * refused. Null, as every token made before it keeps, is any source the meetings API accepts.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('api_tokens').addColumn('sources', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('api_tokens').dropColumn('sources').execute();
}
