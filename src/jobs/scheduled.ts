import type { Db } from '../db/database.js';
import { recordScheduledRun } from '../lib/metrics.js';
import { holderId } from './holder.js';
import { claimDue, ensureLease, readLease, releaseLease, renewLease } from './leases.js';
import type { IntervalJob } from './runner.js';

/** After this many missed times the job runs for "now" instead of counting them all. */
const MAX_MISSED = 10_000;

export interface ScheduledJobProps {
  name: string;
  db: Db;
  /** How often to look at the clock: a run starts at most this long after its scheduled time. */
  everyMs: number;
  /** The first scheduled time strictly after `after`, or null when there is none. */
  next(after: Date): Date | null;
  run(due: Date): Promise<void>;
  /** How long a holder keeps the job without renewing; renewed every third of it while running. */
  leaseMs?: number;
  now?: () => Date;
  holder?: string;
}

/** The latest scheduled time at or before `now` after `last`: one catch-up run after downtime, not one per missed time. */
function latestDue(next: ScheduledJobProps['next'], last: Date, now: Date): Date | null {
  let due: Date | null = null;
  let candidate = next(last);
  for (let missed = 0; candidate && candidate <= now; missed++) {
    if (missed >= MAX_MISSED) return now;
    due = candidate;
    candidate = next(candidate);
  }
  return due;
}

/**
 * A job that runs once per scheduled time across every process on the database. Its row in
 * `job_leases` says which scheduled time ran last and who runs it: a process claims the next due
 * time with one conditional UPDATE and holds a lease while it runs. A failed run is not retried:
 * the job waits for its next scheduled time, as it would after a run that succeeded.
 */
export function scheduledJob(props: ScheduledJobProps): IntervalJob {
  const now = props.now ?? (() => new Date());
  const holder = props.holder ?? holderId();
  const leaseMs = props.leaseMs ?? 10 * 60_000;
  const { db, name } = props;
  return {
    name,
    everyMs: props.everyMs,
    async run() {
      const current = now();
      const lease = await readLease(db, name);
      if (!lease) {
        // First start on this database: count from now, as a new cron would.
        await ensureLease(db, name, current);
        return;
      }
      const last = lease.last_due_at ? new Date(lease.last_due_at) : current;
      const due = latestDue(props.next, last, current);
      if (!due) return;
      if (!(await claimDue(db, { name, holder, lastDueAt: lease.last_due_at, due, now: current, leaseMs }))) return;
      recordScheduledRun(name);
      const renew = setInterval(
        () => void renewLease(db, { name, holder, now: now(), leaseMs }).catch(() => undefined),
        Math.max(1, Math.floor(leaseMs / 3)),
      );
      try {
        await props.run(due);
      } finally {
        clearInterval(renew);
        await releaseLease(db, { name, holder, now: now() });
      }
    },
  };
}
