import { recordAudit } from '../../db/audit.js';
import type { Db, Executor } from '../../db/database.js';
import { deleteSessionsOf } from '../auth/sessions.js';
import { leaveAllGroups } from '../mixers/membership.js';
import { enabledPeopleOfSource } from '../people/queries.js';
import { disablePeople } from '../people/service.js';
import { DIRECTORY_SOURCE } from './source.js';

/**
 * People who have just been disabled by the directory: they leave every group (their history
 * stays) and are signed out everywhere, as when an administrator disables someone.
 * Returns how many group memberships ended.
 */
export async function retirePeople(trx: Executor, personIds: string[]): Promise<number> {
  if (!personIds.length) return 0;
  const ended = await leaveAllGroups(trx, personIds);
  for (const personId of personIds) await deleteSessionsOf(trx, personId);
  return ended;
}

/**
 * `--prune`: disables the enabled directory people whose directory id is not in the feed.
 * Only people linked to the directory can be pruned: administrators and people who signed up
 * on their own (with no directory id) never are. Returns the ids it disabled.
 */
export async function disableMissing(trx: Executor, seenIds: ReadonlySet<string>): Promise<string[]> {
  const missing = (await enabledPeopleOfSource(trx, DIRECTORY_SOURCE))
    .filter((row) => row.role !== 'admin' && !seenIds.has(row.external_id))
    .map((row) => row.person_id);
  await disablePeople(trx, missing);
  return missing;
}

export interface CleanupSummary {
  /** Disabled people looked at. */
  people: number;
  /** Group memberships that ended now. */
  membershipsEnded: number;
}

/**
 * `convene directory cleanup`: every disabled person leaves every group they are still in.
 * The import does this for the people it disables; this catches people disabled by other means
 * (the admin console, an earlier version) and anyone added back to a group while disabled.
 */
export async function cleanupAlumni(props: { db: Db; actorId?: string | null }): Promise<CleanupSummary> {
  return props.db.transaction().execute(async (trx) => {
    const disabled = (await trx.selectFrom('people').select('id').where('enabled', '=', 0).execute()).map(
      (row) => row.id,
    );
    const membershipsEnded = await leaveAllGroups(trx, disabled);
    await recordAudit(trx, {
      actorId: props.actorId ?? null,
      action: 'directory.cleanup',
      data: { disabledPeople: disabled.length, membershipsEnded },
    });
    return { people: disabled.length, membershipsEnded };
  });
}
