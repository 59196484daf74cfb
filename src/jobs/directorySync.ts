import { Cron } from 'croner';
import { ConfigError } from '../config.js';
import { type ImportSummary, importDirectory } from '../features/directory/importDirectory.js';
import type { AppContext } from '../http/context.js';
import type { IntervalJob } from './runner.js';
import { scheduledJob } from './scheduled.js';

/** How often the job looks at the clock; a sync starts at most this long after its cron time. */
export const SYNC_TICK_MS = 30_000;

export function parseSyncCron(
  pattern: string,
  timezone: string,
  key = 'directory.syncCron (CONVENE_DIRECTORY_SYNC_CRON)',
): Cron {
  try {
    const cron = new Cron(pattern, { timezone });
    cron.nextRun();
    return cron;
  } catch (error) {
    throw new ConfigError(`Invalid configuration:\n  ${key}: ${(error as Error).message}`);
  }
}

/**
 * The scheduled directory sync: at each time of `directory.syncCron` (in `defaultTimezone`), imports
 * every feed of `directory.feeds` as one directory, pruning with `directory.prune`. Returns null
 * when no feed or no cron is configured.
 *
 * Runs once per cron time across every process with jobs enabled: its `job_leases` row records
 * the cron time last synced and who is syncing. After downtime it syncs once for the latest missed
 * time; a failed sync waits for the next cron time rather than retrying every tick.
 */
export function directorySyncJob(
  ctx: AppContext,
  options: { now?: () => Date; everyMs?: number; onSynced?: (summary: ImportSummary) => void } = {},
): IntervalJob | null {
  const { feeds, syncCron, prune } = ctx.config.directory;
  if (!feeds.length || !syncCron) return null;
  const cron = parseSyncCron(syncCron, ctx.config.defaultTimezone);
  return scheduledJob({
    name: 'directory-sync',
    db: ctx.database.db,
    everyMs: options.everyMs ?? SYNC_TICK_MS,
    next: (after) => cron.nextRun(after),
    ...(options.now ? { now: options.now } : {}),
    async run() {
      const summary = await importDirectory({
        db: ctx.database.db,
        source: feeds,
        prune,
        defaultTimezone: ctx.config.defaultTimezone,
        actorId: null,
        origin: 'scheduled',
      });
      options.onSynced?.(summary);
    },
  });
}
