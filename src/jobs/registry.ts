import type { FastifyBaseLogger } from 'fastify';
import { deleteExpiredSessions } from '../features/auth/sessions.js';
import { intra42QueueConsumer } from '../features/ingest/queueConsumer.js';
import { managerPattern } from '../features/mixers/eligibility.js';
import { runDueRounds } from '../features/mixers/scheduler.js';
import { switchDuePhases } from '../features/talks/events.js';
import { switchDueUnconferencePhases } from '../features/unconference/events.js';
import type { AppContext } from '../http/context.js';
import { backupJob } from './backups.js';
import { directorySyncJob } from './directorySync.js';
import { outboxJob } from './outbox.js';
import type { Job } from './runner.js';

const HOUR = 60 * 60_000;

/**
 * Every background job of a Convene process, in one list: `convene serve` (unless started with
 * `--no-jobs`) and `convene worker` run exactly these. How each one stays correct when several
 * processes run it is written beside it.
 */
export function backgroundJobs(ctx: AppContext, log: FastifyBaseLogger): Job[] {
  const { db } = ctx.database;
  const titlePattern = managerPattern(ctx.config.directory.managerTitlePattern);
  const jobs: Job[] = [
    // Idempotent: every process may delete the same expired rows.
    { name: 'expired-sessions', everyMs: HOUR, run: () => deleteExpiredSessions(db) },
    // A round is unique per (group, scheduled time): a second process loses the race and writes nothing.
    { name: 'mixer-rounds', everyMs: 30_000, run: async () => void (await runDueRounds({ db, titlePattern, log })) },
    // Each switch is a conditional UPDATE from the phase it read: one process makes it.
    { name: 'talks-phases', everyMs: 15_000, run: async () => void (await switchDuePhases({ db })) },
    // The same for unconferences' set times (scheduling, publish, finish): one conditional UPDATE each.
    {
      name: 'unconference-phases',
      everyMs: 15_000,
      run: async () => void (await switchDueUnconferencePhases({ db })),
    },
    // Rows are claimed atomically and held under a lease.
    outboxJob(ctx),
  ];
  // Once per cron time across processes, through its row in job_leases.
  const sync = directorySyncJob(ctx);
  if (sync) jobs.push(sync);
  // Several consumers may share the queue: each delivery is claimed once in the database.
  if (ctx.config.intra42.amqp.url)
    jobs.push(intra42QueueConsumer({ db, config: ctx.config, log, refusals: ctx.inboundRefusals }));
  // Once per cron time across processes, through its row in job_leases.
  const backup = backupJob(ctx, log);
  if (backup) jobs.push(backup);
  return jobs;
}
