import type { Kysely } from 'kysely';

/**
 * Undoing a round (an admin, within `mixers.undoRoundHours`): the round stays, marked undone, so its
 * cancelled meetings keep their history and messages; every rule that reads rounds (pairing
 * history, sit-out turns, stats, "the latest round") leaves undone ones out. The skips a round used
 * up are written down with it, so undoing the round gives them back.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('rounds').addColumn('undone_at', 'text').execute();
  await db.schema.alterTable('rounds').addColumn('undone_by', 'text').execute();
  await db.schema
    .createTable('round_used_skips')
    .addColumn('round_id', 'text', (c) => c.notNull().references('rounds.id').onDelete('cascade'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('skip_round_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('round_used_skips_pk', ['round_id', 'person_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('round_used_skips').execute();
  await db.schema.alterTable('rounds').dropColumn('undone_by').execute();
  await db.schema.alterTable('rounds').dropColumn('undone_at').execute();
}
