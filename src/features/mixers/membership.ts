import type { Executor } from '../../db/database.js';
import { nowIso } from '../../lib/time.js';

/**
 * Alumni clean-up: the people leave every group they are in. Their past rounds and meetings stay,
 * so stats and the no-repeat history remain true if they come back.
 */
export async function leaveAllGroups(db: Executor, personIds: string[]): Promise<number> {
  let left = 0;
  // Chunked: SQLite limits how many parameters one statement may bind.
  for (let i = 0; i < personIds.length; i += 500) {
    const chunk = personIds.slice(i, i + 500);
    const result = await db
      .updateTable('group_members')
      // 'disabled': an organisation's decision, which a chat channel sync must not undo, but which
      // re-enabling undoes for automatic groups (their members are whoever the rule says).
      .set({ status: 'left', left_at: nowIso(), left_by: 'disabled', paused_until: null, skip_round_at: null })
      .where('person_id', 'in', chunk)
      .where('status', '!=', 'left')
      .executeTakeFirst();
    left += Number(result.numUpdatedRows);
  }
  return left;
}
