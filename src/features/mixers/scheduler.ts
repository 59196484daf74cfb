import type { Db } from '../../db/database.js';
import { latestDueOccurrence } from './cadence.js';
import type { SyncLog } from './chatSync.js';
import { cadenceOf } from './groups.js';
import { syncAndRunRound } from './syncAndRunRound.js';

/**
 * Runs every due round. Several processes may run this at once: each round is unique per
 * (group, scheduled time), so at most one of them writes it. After downtime a group gets one
 * catch-up round for the latest missed time, not one per missed time.
 */
export async function runDueRounds(props: {
  db: Db;
  titlePattern: RegExp;
  now?: Date;
  log?: SyncLog;
}): Promise<number> {
  const now = props.now ?? new Date();
  const due = await props.db
    .selectFrom('groups')
    .selectAll()
    .where('archived', '=', 0)
    .where('next_round_at', 'is not', null)
    .where('next_round_at', '<=', now.toISOString())
    .execute();
  let made = 0;
  for (const group of due) {
    const scheduledFor = latestDueOccurrence(cadenceOf(group), new Date(group.next_round_at as string), now);
    if (!scheduledFor) continue;
    const outcome = await syncAndRunRound({
      db: props.db,
      groupId: group.id,
      scheduledFor,
      titlePattern: props.titlePattern,
      log: props.log,
    });
    if (outcome.created) made++;
  }
  return made;
}
