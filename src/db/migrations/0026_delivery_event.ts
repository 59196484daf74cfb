import type { Kysely } from 'kysely';

/**
 * The event a delivery carried (a 42 scale_team's create, update or destroy), kept from the moment
 * it is claimed: a create arriving after its scale team's destroy — the intranet retrying a create
 * answered 503 while the destroy went through — finds the destroy by its subject and event, and does
 * not bring the evaluation back. Deliveries stored before it have none.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('deliveries').addColumn('event', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('deliveries').dropColumn('event').execute();
}
