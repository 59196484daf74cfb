import type { Kysely } from 'kysely';

/**
 * What a delivery is about, as its sender names it (a 42 scale team's id), kept from the moment it
 * is claimed, also when its body is refused: the admin's Inbound page finds every delivery about
 * one evaluation by it. Deliveries stored before it have none.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('deliveries').addColumn('subject', 'text').execute();
  await db.schema.createIndex('deliveries_subject_idx').on('deliveries').column('subject').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('deliveries_subject_idx').execute();
  await db.schema.alterTable('deliveries').dropColumn('subject').execute();
}
