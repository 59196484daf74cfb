import type { Kysely } from 'kysely';

/**
 * Talks event settings: whether speakers may vote for their own proposal (off, as before), when an
 * event was archived (kept with its results, out of the everyday list), and when and where the
 * selected talks are given.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('events')
    .addColumn('allow_self_vote', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('events').addColumn('archived_at', 'text').execute();
  // UTC ISO text, as the voting switch times.
  await db.schema.alterTable('events').addColumn('talks_at', 'text').execute();
  await db.schema.alterTable('events').addColumn('venue', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of ['venue', 'talks_at', 'archived_at', 'allow_self_vote']) {
    await db.schema.alterTable('events').dropColumn(column).execute();
  }
}
