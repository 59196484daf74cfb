import { type Kysely, sql } from 'kysely';

/**
 * Scheduler runs: a heartbeat the running process writes with each progress report (a run whose
 * process died stops beating and is marked failed by the next start), and one active run per event
 * enforced by the database, so two admins pressing "Run" at once cannot both start one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('unconf_runs').addColumn('heartbeat_at', 'text').execute();
  await db.schema
    .createIndex('unconf_runs_one_active')
    .on('unconf_runs')
    .column('event_id')
    .unique()
    .where(sql.ref('status'), 'in', ['queued', 'running'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('unconf_runs_one_active').execute();
  await db.schema.alterTable('unconf_runs').dropColumn('heartbeat_at').execute();
}
