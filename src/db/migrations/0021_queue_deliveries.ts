import type { Kysely } from 'kysely';

/**
 * Queue deliveries beside webhook ones: `channel` says how a delivery came (`webhook` | `queue`);
 * `lease_until` bounds a "processing" claim, so a process that died mid-delivery does not block its
 * redelivery forever; `dead_lettered_at` is set once a refused queue message is in the dead-letter
 * queue, so a second copy of it is not dead-lettered again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('deliveries')
    .addColumn('channel', 'text', (c) => c.notNull().defaultTo('webhook'))
    .execute();
  await db.schema.alterTable('deliveries').addColumn('lease_until', 'text').execute();
  await db.schema.alterTable('deliveries').addColumn('dead_lettered_at', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('deliveries').dropColumn('dead_lettered_at').execute();
  await db.schema.alterTable('deliveries').dropColumn('lease_until').execute();
  await db.schema.alterTable('deliveries').dropColumn('channel').execute();
}
