import type { Kysely } from 'kysely';

/**
 * Deliveries refused before they were read (a wrong X-Secret, an unknown X-Model or X-Event, no
 * X-Delivery) are never in `deliveries`; this table counts them, one row per (source, channel,
 * reason) from a fixed set of reasons, so a flood of them can never add rows. `last_detail` says
 * what was claimed (never the secret); `last_from` is the webhook's client address.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('inbound_refusals')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('count', 'bigint', (c) => c.notNull())
    .addColumn('first_at', 'text', (c) => c.notNull())
    .addColumn('last_at', 'text', (c) => c.notNull())
    .addColumn('last_status', 'integer', (c) => c.notNull())
    .addColumn('last_detail', 'text')
    .addColumn('last_from', 'text')
    .addPrimaryKeyConstraint('inbound_refusals_pk', ['source', 'channel', 'reason'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('inbound_refusals').execute();
}
