import type { Executor } from '../../db/database.js';
import { groupOrigin } from '../meetings/settings.js';

/**
 * The groups people belong to, as message origins: where they may choose channels per group before
 * any meeting of it exists, and where the admin checks they can be reached. `personId` narrows to one.
 */
export async function membershipOrigins(
  db: Executor,
  props: { personId?: string; activeOnly?: boolean } = {},
): Promise<Array<{ personId: string; origin: string; name: string }>> {
  const rows = await db
    .selectFrom('group_members')
    .innerJoin('groups', 'groups.id', 'group_members.group_id')
    .select(['group_members.person_id', 'groups.id', 'groups.name'])
    .$if(props.personId !== undefined, (q) => q.where('group_members.person_id', '=', props.personId as string))
    .$if(props.activeOnly === true, (q) => q.where('group_members.status', '=', 'active'))
    .$if(props.activeOnly !== true, (q) => q.where('group_members.status', '!=', 'left'))
    .where('groups.archived', '=', 0)
    .orderBy('groups.name')
    .execute();
  return rows.map((r) => ({ personId: r.person_id, origin: groupOrigin(r.id), name: r.name }));
}
