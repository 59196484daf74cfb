import type { Db } from '../db/database.js';
import type { JobLeasesTable } from '../db/schema.js';

export type JobLease = JobLeasesTable;

export const readLease = (db: Db, name: string): Promise<JobLease | undefined> =>
  db.selectFrom('job_leases').selectAll().where('name', '=', name).executeTakeFirst();

/** The job's first row: it counts its schedule from `since`. A row already there is kept. */
export async function ensureLease(db: Db, name: string, since: Date): Promise<void> {
  const at = since.toISOString();
  await db
    .insertInto('job_leases')
    .values({ name, holder: null, until: null, last_due_at: at, updated_at: at })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}

/**
 * Takes the job for scheduled time `due`: only if the row still says `lastDueAt` (nobody ran
 * `due` meanwhile) and nobody else holds an unexpired lease. One UPDATE, so of two processes
 * looking at the same row exactly one wins.
 */
export async function claimDue(
  db: Db,
  props: { name: string; holder: string; lastDueAt: string | null; due: Date; now: Date; leaseMs: number },
): Promise<boolean> {
  const now = props.now.toISOString();
  const result = await db
    .updateTable('job_leases')
    .set({
      holder: props.holder,
      until: new Date(props.now.getTime() + props.leaseMs).toISOString(),
      last_due_at: props.due.toISOString(),
      updated_at: now,
    })
    .where('name', '=', props.name)
    .where((eb) => (props.lastDueAt === null ? eb('last_due_at', 'is', null) : eb('last_due_at', '=', props.lastDueAt)))
    .where((eb) => eb.or([eb('until', 'is', null), eb('until', '<=', now), eb('holder', '=', props.holder)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Keeps holding the job during a long run. False when the lease was lost (it expired and was taken). */
export async function renewLease(
  db: Db,
  props: { name: string; holder: string; now: Date; leaseMs: number },
): Promise<boolean> {
  const result = await db
    .updateTable('job_leases')
    .set({
      until: new Date(props.now.getTime() + props.leaseMs).toISOString(),
      updated_at: props.now.toISOString(),
    })
    .where('name', '=', props.name)
    .where('holder', '=', props.holder)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Ends the holder's lease now; the holder stays recorded as the last one who ran the job. */
export async function releaseLease(db: Db, props: { name: string; holder: string; now: Date }): Promise<void> {
  const now = props.now.toISOString();
  await db
    .updateTable('job_leases')
    .set({ until: now, updated_at: now })
    .where('name', '=', props.name)
    .where('holder', '=', props.holder)
    .execute();
}
