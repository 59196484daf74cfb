import { recordAudit } from '../../db/audit.js';
import type { Db, Executor } from '../../db/database.js';
import { badRequest, forbidden, notFound } from '../../lib/errors.js';
import { nowIso } from '../../lib/time.js';
import { assertMayTakePart } from '../people/participation.js';
import type { PersonRow } from '../people/presenters.js';
import { findPersonById } from '../people/queries.js';
import { describeEligibility, type Eligibility, isEligible, parseEligibility } from './eligibility.js';
import { canManageMixersOf } from './policy.js';
import { activeMemberCounts, findGroup, findMembership, type GroupRow, type MemberRow } from './queries.js';

export type MembershipChange = 'join' | 'leave' | 'pause' | 'skip' | 'resume';

interface ChangeProps {
  db: Db;
  actor: PersonRow;
  groupId: string;
  /** Whose membership: the actor's own unless an assistant or admin acts for someone. */
  personId?: string;
  titlePattern: RegExp;
}

async function loadTarget(trx: Executor, props: ChangeProps): Promise<{ group: GroupRow; person: PersonRow }> {
  const group = await findGroup(trx, props.groupId);
  if (!group) throw notFound('No such group.');
  const person = props.personId ? await findPersonById(trx, props.personId) : props.actor;
  if (!person) throw notFound('No such person.');
  if (!canManageMixersOf(props.actor, person)) {
    throw forbidden('You can change only your own mixers, or those of someone who named you their assistant.');
  }
  return { group, person };
}

async function audit(
  trx: Executor,
  props: ChangeProps,
  action: string,
  group: GroupRow,
  person: PersonRow,
  data?: Record<string, unknown>,
) {
  await recordAudit(trx, {
    actorId: props.actor.id,
    action: `group.${action}`,
    subjectType: 'group',
    subjectId: group.id,
    data: { personId: person.id, ...data },
  });
}

/** Rows per statement when many people change at once: well under each engine's bound-parameter limit. */
const CHUNK = 400;

/** New active memberships from `now`; someone added meanwhile (a race) is left as they are. */
export async function addMembers(trx: Executor, groupId: string, personIds: string[], now: string): Promise<void> {
  for (let i = 0; i < personIds.length; i += CHUNK) {
    await trx
      .insertInto('group_members')
      .values(
        personIds.slice(i, i + CHUNK).map((person_id) => ({
          group_id: groupId,
          person_id,
          status: 'active' as const,
          paused_until: null,
          skip_round_at: null,
          joined_at: now,
          left_at: null,
        })),
      )
      .onConflict((oc) => oc.columns(['group_id', 'person_id']).doNothing())
      .execute();
  }
}

/** People who had left are members again from `now`, with no pause or skip carried over from before. */
export async function rejoinMembers(trx: Executor, groupId: string, personIds: string[], now: string): Promise<void> {
  for (let i = 0; i < personIds.length; i += CHUNK) {
    await trx
      .updateTable('group_members')
      .set({
        status: 'active',
        joined_at: now,
        left_at: null,
        left_by: null,
        paused_until: null,
        skip_round_at: null,
      })
      .where('group_id', '=', groupId)
      .where('person_id', 'in', personIds.slice(i, i + CHUNK))
      .execute();
  }
}

export async function joinGroup(props: ChangeProps): Promise<MemberRow> {
  return props.db.transaction().execute(async (trx) => {
    const { group, person } = await loadTarget(trx, props);
    if (group.archived) throw badRequest('This group is archived.');
    if (group.membership === 'admin' && props.actor.role !== 'admin') {
      throw forbidden('Only administrators add people to this group.');
    }
    const eligibility = parseEligibility(group.eligibility);
    if (!isEligible(person, eligibility, props.titlePattern)) {
      throw forbidden(`Not eligible for this group (${describeEligibility(eligibility)}).`);
    }
    const existing = await findMembership(trx, group.id, person.id);
    if (existing && existing.status !== 'left') return existing;
    await assertMayTakePart(trx, { personId: person.id, actor: props.actor });
    await (existing ? rejoinMembers : addMembers)(trx, group.id, [person.id], nowIso());
    await audit(trx, props, 'join', group, person);
    return (await findMembership(trx, group.id, person.id)) as MemberRow;
  });
}

async function changeMembership(
  props: ChangeProps,
  action: Exclude<MembershipChange, 'join'>,
  set: (group: GroupRow, member: MemberRow) => Partial<MemberRow>,
): Promise<MemberRow> {
  return props.db.transaction().execute(async (trx) => {
    const { group, person } = await loadTarget(trx, props);
    if (group.membership === 'auto') await writeAutomaticMembership(trx, group, person, props.titlePattern);
    const member = await findMembership(trx, group.id, person.id);
    if (!member || member.status === 'left') throw badRequest('Not a member of this group.');
    await trx
      .updateTable('group_members')
      .set(set(group, member))
      .where('group_id', '=', group.id)
      .where('person_id', '=', person.id)
      .execute();
    await audit(trx, props, action, group, person);
    return (await findMembership(trx, group.id, person.id)) as MemberRow;
  });
}

/**
 * An administrator removing someone else is recorded as such; an assistant acting for someone is
 * that person's own choice. Either way a chat channel sync does not add them back.
 */
export const leaveGroup = (props: ChangeProps) =>
  changeMembership(props, 'leave', () => ({
    status: 'left',
    left_at: nowIso(),
    left_by: props.personId && props.personId !== props.actor.id && props.actor.role === 'admin' ? 'admin' : 'self',
    paused_until: null,
    skip_round_at: null,
  }));

export const resumeMembership = (props: ChangeProps) =>
  changeMembership(props, 'resume', () => ({ status: 'active', paused_until: null, skip_round_at: null }));

/** Paused members sit out every round before `until` (a date, start of day UTC), then rejoin by themselves. */
export function pauseMembership(props: ChangeProps & { until: string }) {
  const until = new Date(`${props.until}T00:00:00.000Z`);
  if (Number.isNaN(until.getTime())) throw badRequest('until: must be a date like 2026-01-31', 'until');
  if (until.getTime() <= Date.now()) throw badRequest('until: must be a date in the future', 'until');
  return changeMembership(props, 'pause', () => ({ status: 'paused', paused_until: until.toISOString() }));
}

export const skipNextRound = (props: ChangeProps) =>
  changeMembership(props, 'skip', (group) => {
    if (!group.next_round_at) throw badRequest('This group has no upcoming round to skip.');
    return { skip_round_at: group.next_round_at };
  });

type AutomaticCandidate = Pick<
  PersonRow,
  'id' | 'email' | 'is_manager' | 'is_manager_stated' | 'title' | 'team' | 'enabled'
>;
type MemberState = Pick<MemberRow, 'person_id' | 'status' | 'left_by'>;

/**
 * The one rule of who an automatic group holds: every enabled, eligible person a channel reaches
 * (no address, like the built-in admin: they would be matched with someone who then waits for a
 * person who never hears of it), except whoever left on purpose (themselves, or an admin removed
 * them). Leaving because they were disabled is undone once they are enabled again.
 */
export function isAutomaticMember(
  person: AutomaticCandidate,
  row: MemberState | undefined,
  eligibility: Eligibility,
  titlePattern: RegExp,
): boolean {
  if (person.email === null || !isEligible(person, eligibility, titlePattern)) return false;
  return !row || row.status !== 'left' || row.left_by === 'disabled';
}

/** An automatic member whose row no round has written yet gets it now, so they can pause or leave. */
async function writeAutomaticMembership(trx: Executor, group: GroupRow, person: PersonRow, titlePattern: RegExp) {
  const row = await findMembership(trx, group.id, person.id);
  if (row && row.status !== 'left') return;
  if (!isAutomaticMember(person, row, parseEligibility(group.eligibility), titlePattern)) return;
  await (row ? rejoinMembers : addMembers)(trx, group.id, [person.id], nowIso());
}

const candidates = (db: Executor) =>
  db
    .selectFrom('people')
    .select(['id', 'email', 'is_manager', 'is_manager_stated', 'title', 'team', 'enabled'])
    .where('enabled', '=', 1)
    .where('email', 'is not', null)
    .execute();

const memberStates = (db: Executor, groupIds: string[]) =>
  groupIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('group_members')
        .select(['group_id', 'person_id', 'status', 'left_by'])
        .where('group_id', 'in', groupIds)
        .execute();

/**
 * Member counts of automatic groups as the rule decides them, so the count a page shows is the
 * number of people the next round considers (the round adds the same people before pairing).
 */
export async function automaticMemberCounts(
  db: Executor,
  groups: Pick<GroupRow, 'id' | 'membership' | 'eligibility'>[],
  titlePattern: RegExp,
): Promise<Map<string, number>> {
  const auto = groups.filter((group) => group.membership === 'auto');
  if (auto.length === 0) return new Map();
  const [people, rows] = await Promise.all([
    candidates(db),
    memberStates(
      db,
      auto.map((group) => group.id),
    ),
  ]);
  const counts = new Map<string, number>();
  for (const group of auto) {
    const eligibility = parseEligibility(group.eligibility);
    const byPerson = new Map(rows.filter((row) => row.group_id === group.id).map((row) => [row.person_id, row]));
    counts.set(
      group.id,
      people.filter((person) => {
        const row = byPerson.get(person.id);
        // Paused members are still members, as in the other groups' counts.
        return isAutomaticMember(person, row, eligibility, titlePattern);
      }).length,
    );
  }
  return counts;
}

/** The people an automatic group holds by its rule, rows written by a round or not. */
export async function automaticMemberIds(db: Executor, group: GroupRow, titlePattern: RegExp): Promise<string[]> {
  const eligibility = parseEligibility(group.eligibility);
  const [people, rows] = await Promise.all([candidates(db), memberStates(db, [group.id])]);
  const byPerson = new Map(rows.map((row) => [row.person_id, row]));
  return people
    .filter((person) => isAutomaticMember(person, byPerson.get(person.id), eligibility, titlePattern))
    .map((person) => person.id);
}

/**
 * Writes the rule down for one automatic group: newcomers are added, people back from being
 * disabled rejoin. Run before a round pairs, and after a directory import for every such group.
 */
export async function syncAutomaticMembers(trx: Executor, group: GroupRow, titlePattern: RegExp): Promise<number> {
  if (group.membership !== 'auto') return 0;
  const eligibility = parseEligibility(group.eligibility);
  const [people, rows] = await Promise.all([candidates(trx), memberStates(trx, [group.id])]);
  const byPerson = new Map(rows.map((row) => [row.person_id, row]));
  const members = people.filter((person) =>
    isAutomaticMember(person, byPerson.get(person.id), eligibility, titlePattern),
  );
  const newcomers = members.filter((person) => !byPerson.has(person.id)).map((person) => person.id);
  const returning = members.filter((person) => byPerson.get(person.id)?.status === 'left').map((person) => person.id);
  const now = nowIso();
  await addMembers(trx, group.id, newcomers, now);
  await rejoinMembers(trx, group.id, returning, now);
  return newcomers.length + returning.length;
}

/** Every group's member count, automatic groups by their rule: what the pages and `convene group list` show. */
export async function memberCounts(
  db: Executor,
  groups: Pick<GroupRow, 'id' | 'membership' | 'eligibility'>[],
  titlePattern: RegExp,
): Promise<Map<string, number>> {
  const [active, automatic] = await Promise.all([
    activeMemberCounts(db, groups.length === 1 ? groups[0]?.id : undefined),
    automaticMemberCounts(db, groups, titlePattern),
  ]);
  return new Map(groups.map((group) => [group.id, (automatic.get(group.id) ?? active.get(group.id)) || 0]));
}
