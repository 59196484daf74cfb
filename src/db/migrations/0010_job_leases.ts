import { type Kysely, sql } from 'kysely';

/**
 * Job leases: a job that must run once across processes (the scheduled directory sync) records
 * here which scheduled time it last ran and who holds it while it runs, instead of guessing its
 * schedule from the audit log.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('job_leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    // The process running the job now (or last): host:pid:random.
    .addColumn('holder', 'text')
    // The holder's lease ends here; another process may take the job after it.
    .addColumn('until', 'text')
    // The scheduled time the job last ran for (or, before its first run, when it started counting).
    .addColumn('last_due_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // The directory sync kept its schedule in the audit log until now: carry its last import over,
  // so the first start after this migration still catches up on a missed time, once.
  await sql`insert into job_leases (name, holder, until, last_due_at, updated_at)
    select 'directory-sync', null, null, max(at), max(at) from audit_log
    where action = 'directory.import' having max(at) is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('job_leases').execute();
}
