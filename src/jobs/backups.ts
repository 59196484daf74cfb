import type { FastifyBaseLogger } from 'fastify';
import { backupToFolder } from '../db/backup.js';
import type { AppContext } from '../http/context.js';
import { parseSyncCron } from './directorySync.js';
import type { IntervalJob } from './runner.js';
import { scheduledJob } from './scheduled.js';

const TICK_MS = 30_000;

/**
 * The scheduled backup: at each time of `backups.cron` (in `defaultTimezone`) a verified copy into
 * `backups.dir`, keeping the newest `backups.keep`. Once per cron time across every process on the
 * database, through its `job_leases` row (as the directory sync). Null when no cron is configured.
 */
export function backupJob(
  ctx: AppContext,
  log: FastifyBaseLogger,
  options: { now?: () => Date; everyMs?: number } = {},
): IntervalJob | null {
  const { cron: pattern, dir, keep } = ctx.config.backups;
  if (!pattern || !dir) return null;
  const cron = parseSyncCron(pattern, ctx.config.defaultTimezone, 'backups.cron (CONVENE_BACKUP_CRON)');
  return scheduledJob({
    name: 'backup',
    db: ctx.database.db,
    everyMs: options.everyMs ?? TICK_MS,
    next: (after) => cron.nextRun(after),
    ...(options.now ? { now: options.now } : {}),
    leaseMs: 60 * 60_000,
    async run(due) {
      const result = await backupToFolder({ databaseUrl: ctx.config.databaseUrl, dir, keep, now: due });
      log.info({ path: result.path, bytes: result.bytes, removed: result.removed.length }, 'backup written');
    },
  });
}
