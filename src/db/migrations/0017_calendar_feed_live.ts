import { type Kysely, sql } from 'kysely';

/**
 * At most one live (unrevoked) calendar feed token per person, whatever the concurrency: two
 * "make a new feed URL" clicks at once cannot leave two live tokens (the loser retries and revokes
 * the winner's). A partial unique index, the same SQL on SQLite and PostgreSQL.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE UNIQUE INDEX calendar_feeds_live_person ON calendar_feeds (person_id) WHERE revoked_at IS NULL`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX calendar_feeds_live_person`.execute(db);
}
