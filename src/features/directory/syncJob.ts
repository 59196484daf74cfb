import { Cron } from 'croner';
import { ConfigError } from '../../config.js';
import type { Db } from '../../db/database.js';
import type { AppContext } from '../../http/context.js';
import type { Job } from '../../jobs/runner.js';
import { type ImportSummary, importDirectory } from './importDirectory.js';

/** How often the job looks at the clock; a sync starts at most this long after its cron time. */
export const SYNC_TICK_MS = 30_000;

/** When the directory was last imported (by this job, another process or the CLI), from the audit log. */
async function lastImportAt(db: Db): Promise<Date | undefined> {
  const row = await db
    .selectFrom('audit_log')
    .select('at')
    .where('action', '=', 'directory.import')
    .orderBy('at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? new Date(row.at) : undefined;
}

export function parseSyncCron(pattern: string, timezone: string): Cron {
  try {
    const cron = new Cron(pattern, { timezone });
    cron.nextRun();
    return cron;
  } catch (error) {
    throw new ConfigError(
      `Invalid configuration:\n  directory.syncCron (CONVENE_DIRECTORY_SYNC_CRON): ${(error as Error).message}`,
    );
  }
}

/**
 * The scheduled directory sync: at each time of `directory.syncCron` (in `defaultTimezone`), imports
 * every feed of `directory.feeds` as one directory, pruning with `directory.prune`. Returns null
 * when no feed or no cron is configured.
 *
 * The job ticks every 30 s and syncs when the first cron time after the last sync has passed. The
 * last sync is read once from the audit log (so a restart catches up on a missed time, once) and
 * then kept in memory: a failed sync waits for the next cron time rather than retrying every tick.
 * It is not coordinated across processes: run it in one process only, the one with jobs enabled
 * (`convene serve` with the others started with `--no-jobs` / `CONVENE_JOBS=false`). Two syncs at
 * once would still be safe (every write is an idempotent upsert), only wasteful.
 */
export function directorySyncJob(
  ctx: AppContext,
  options: { now?: () => Date; everyMs?: number; onSynced?: (summary: ImportSummary) => void } = {},
): Job | null {
  const { feeds, syncCron, prune } = ctx.config.directory;
  if (!feeds.length || !syncCron) return null;
  const cron = parseSyncCron(syncCron, ctx.config.defaultTimezone);
  const now = options.now ?? (() => new Date());
  let lastSync: Date | undefined;
  return {
    name: 'directory-sync',
    everyMs: options.everyMs ?? SYNC_TICK_MS,
    async run() {
      const db = ctx.database.db;
      lastSync ??= (await lastImportAt(db)) ?? now();
      const due = cron.nextRun(lastSync);
      const current = now();
      if (!due || due > current) return;
      lastSync = current;
      const summary = await importDirectory({
        db,
        source: feeds,
        prune,
        defaultTimezone: ctx.config.defaultTimezone,
        actorId: null,
      });
      options.onSynced?.(summary);
    },
  };
}
