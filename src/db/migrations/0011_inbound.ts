import type { Kysely } from 'kysely';

/**
 * What arrives from outside: `deliveries` records every inbound webhook or queue message once per
 * (source, delivery id), so a redelivery changes nothing and admins can see what came and how it
 * ended. `api_tokens` lets machine callers use the meetings API; only a sha256 of each token is kept.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('delivery_id', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    // 'processing' while a delivery is being handled; then ok | ignored | rejected | failed.
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('error', 'text')
    .addColumn('summary', 'text')
    .addColumn('meeting_id', 'text')
    .addUniqueConstraint('deliveries_source_delivery_unique', ['source', 'delivery_id'])
    .execute();
  await db.schema.createIndex('deliveries_received_idx').on('deliveries').columns(['received_at']).execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('api_tokens').execute();
  await db.schema.dropIndex('deliveries_received_idx').execute();
  await db.schema.dropTable('deliveries').execute();
}
