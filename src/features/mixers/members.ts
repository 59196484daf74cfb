import { recordAudit } from '../../db/audit.js';
import type { Db, Executor } from '../../db/database.js';
import { badRequest, forbidden, notFound } from '../../lib/errors.js';
import { nowIso } from '../../lib/time.js';
import type { PersonRow } from '../people/presenters.js';
import { findPersonById } from '../people/queries.js';
import { describeEligibility, isEligible, parseEligibility } from './eligibility.js';
import { canManageMixersOf } from './policy.js';
import { findGroup, findMembership, type GroupRow, type MemberRow } from './queries.js';

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

/**
 * Groups with automatic membership hold every eligible person: people who became eligible are
 * added. Someone who left on purpose stays out.
 */
export async function syncAutomaticMembers(trx: Executor, group: GroupRow, titlePattern: RegExp): Promise<number> {
  if (group.membership !== 'auto') return 0;
  const eligibility = parseEligibility(group.eligibility);
  const people = await trx
    .selectFrom('people')
    .select(['id', 'is_manager', 'title', 'team', 'enabled'])
    .where('enabled', '=', 1)
    // No address, no channel reaches them (the built-in admin, say): they would be matched with
    // someone who then waits for a person who never hears of it.
    .where('email', 'is not', null)
    .execute();
  const existing = new Set(
    (await trx.selectFrom('group_members').select('person_id').where('group_id', '=', group.id).execute()).map(
      (row) => row.person_id,
    ),
  );
  const newcomers = people.filter(
    (person) => !existing.has(person.id) && isEligible(person, eligibility, titlePattern),
  );
  await addMembers(
    trx,
    group.id,
    newcomers.map((person) => person.id),
    nowIso(),
  );
  return newcomers.length;
}
