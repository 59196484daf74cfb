import { type Kysely, sql } from 'kysely';

/**
 * The outbox's lease index holds only the rows being sent: a worker looks for a lapsed lease only
 * among 'sending' rows, and every message is queued 'pending', so each queued message wrote an
 * index entry nobody read (six per 42 evaluation created). Partial indexes: both engines.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('notifications_lease_idx').execute();
  await db.schema
    .createIndex('notifications_lease_idx')
    .on('notifications')
    .column('claimed_until')
    .where(sql.ref('status'), '=', 'sending')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('notifications_lease_idx').execute();
  await db.schema
    .createIndex('notifications_lease_idx')
    .on('notifications')
    .columns(['status', 'claimed_until'])
    .execute();
}
