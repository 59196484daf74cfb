import type { DirectoryStatus, ImportRun } from '../../contract/directory.js';
import type { Db } from '../../db/database.js';
import { parseSyncCron } from '../../jobs/directorySync.js';
import { findPeopleBy } from '../people/queries.js';
import { describeSource } from './parseFeed.js';

/** How many import runs the directory page lists. */
const RECENT_RUNS = 10;
/** Audit rows looked at to find the last scheduled run among imports of other origins. */
const RUNS_SCANNED = 200;

interface DirectoryConfig {
  feeds: string[];
  syncCron?: string;
  prune: boolean;
}

const countKeys = ['records', 'created', 'updated', 'unchanged', 'skipped', 'disabled'] as const;

function parseData(data: string | null): Record<string, unknown> {
  try {
    const parsed: unknown = data ? JSON.parse(data) : {};
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * Every import writes one audit entry (`directory.import`, or `directory.import_failed`), which is
 * where the runs are read from: no second record to keep in step. Entries from before imports said
 * their origin show as "unknown".
 */
function runOf(row: { at: string; action: string; data: string | null }, actorName: string | null): ImportRun {
  const data = parseData(row.data);
  const origin =
    data.origin === 'cli' || data.origin === 'scheduled' || data.origin === 'web' ? data.origin : 'unknown';
  const sources = Array.isArray(data.sources) ? data.sources.filter((s): s is string => typeof s === 'string') : [];
  const succeeded = row.action === 'directory.import';
  const counts = succeeded
    ? (Object.fromEntries(countKeys.map((key) => [key, Number(data[key] ?? 0)])) as NonNullable<ImportRun['counts']>)
    : null;
  return {
    at: row.at,
    origin,
    outcome: succeeded ? 'succeeded' : 'failed',
    actorName,
    sources,
    counts,
    error: succeeded ? null : String(data.error ?? 'unknown error'),
  };
}

/** The directory page's facts: the configured sync, when it runs next, and how the last imports went. */
export async function directoryStatus(
  db: Db,
  config: { directory: DirectoryConfig; defaultTimezone: string },
  now = new Date(),
): Promise<DirectoryStatus> {
  const { feeds, syncCron, prune } = config.directory;
  const scheduled = feeds.length > 0 && syncCron !== undefined;
  const rows = await db
    .selectFrom('audit_log')
    .select(['at', 'action', 'data', 'actor_id'])
    .where('action', 'in', ['directory.import', 'directory.import_failed'])
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(RUNS_SCANNED)
    .execute();
  const actors = new Map(
    (
      await findPeopleBy(
        db,
        'id',
        rows.flatMap((row) => (row.actor_id ? [row.actor_id] : [])),
      )
    ).map((person) => [person.id, person.name || person.username]),
  );
  const runs = rows.map((row) => runOf(row, row.actor_id ? (actors.get(row.actor_id) ?? null) : null));
  return {
    feeds: feeds.map(describeSource),
    syncCron: syncCron ?? null,
    prune,
    timezone: config.defaultTimezone,
    nextRunAt: scheduled ? (parseSyncCron(syncCron, config.defaultTimezone).nextRun(now)?.toISOString() ?? null) : null,
    lastScheduledRun: runs.find((run) => run.origin === 'scheduled') ?? null,
    recentRuns: runs.slice(0, RECENT_RUNS),
  };
}
