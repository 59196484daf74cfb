import type { Selectable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { GroupMembersTable, GroupsTable } from '../../db/schema.js';

export type GroupRow = Selectable<GroupsTable>;
export type MemberRow = Selectable<GroupMembersTable>;

export const findGroup = (db: Executor, id: string): Promise<GroupRow | undefined> =>
  db.selectFrom('groups').selectAll().where('id', '=', id).executeTakeFirst();

/** The CLI names groups by name (any case) or id. */
export const findGroupByNameOrId = (db: Executor, nameOrId: string): Promise<GroupRow | undefined> =>
  db
    .selectFrom('groups')
    .selectAll()
    .where((eb) => eb.or([eb('name_key', '=', nameOrId.trim().toLowerCase()), eb('id', '=', nameOrId)]))
    .executeTakeFirst();

export const findMembership = (db: Executor, groupId: string, personId: string): Promise<MemberRow | undefined> =>
  db
    .selectFrom('group_members')
    .selectAll()
    .where('group_id', '=', groupId)
    .where('person_id', '=', personId)
    .executeTakeFirst();

/** Active member counts per group; only `groupId`'s when given (a single group's page). */
export async function activeMemberCounts(db: Executor, groupId?: string): Promise<Map<string, number>> {
  let query = db
    .selectFrom('group_members')
    .innerJoin('people', 'people.id', 'group_members.person_id')
    .select(['group_members.group_id', (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('group_members.status', '!=', 'left')
    .where('people.enabled', '=', 1)
    .groupBy('group_members.group_id');
  if (groupId) query = query.where('group_members.group_id', '=', groupId);
  const rows = await query.execute();
  return new Map(rows.map((row) => [row.group_id, Number(row.n)]));
}

/** A group's members with the person fields the admin's members list shows, by name. */
export const listGroupMembers = (db: Executor, groupId: string) =>
  db
    .selectFrom('group_members')
    .innerJoin('people', 'people.id', 'group_members.person_id')
    .select([
      'people.id',
      'people.name',
      'people.username',
      'people.team',
      'people.title',
      'people.enabled',
      'group_members.status',
      'group_members.paused_until as pausedUntil',
      'group_members.joined_at as joinedAt',
    ])
    .where('group_members.group_id', '=', groupId)
    .orderBy('people.name')
    .execute();

/** The enabled people who named `personId` their assistant, by name. (A people query; it belongs in people/ when that folder takes it.) */
export const peopleAssistedBy = (db: Executor, personId: string) =>
  db
    .selectFrom('people')
    .select(['id', 'name', 'username'])
    .where('assistant_id', '=', personId)
    .where('enabled', '=', 1)
    .orderBy('name')
    .execute();
