import { randomBytes } from 'node:crypto';
import { type PastMeeting, pairRound } from '../../core/pairing/index.js';
import { recordAudit } from '../../db/audit.js';
import type { Db, Executor } from '../../db/database.js';
import { isBusy, isUniqueViolation } from '../../db/errors.js';
import { AppError, badRequest, notFound } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { nowIso } from '../../lib/time.js';
import { createMeetings } from '../meetings/create.js';
import { groupOrigin } from '../meetings/settings.js';
import { nextOccurrence, normalInterval } from './cadence.js';
import { isEligible, parseEligibility } from './eligibility.js';
import { cadenceOf } from './groups.js';
import { syncAutomaticMembers } from './members.js';
import { findGroup, type GroupRow } from './queries.js';

export interface RoundStats {
  members: number;
  pairs: number;
  trios: number;
  satOut: number;
  /** Members who were paused, skipping or no longer eligible. */
  skipped: number;
  repeatPairs: number;
  sameTeamPairs: number;
  managerReportPairs: number;
}

export interface RoundPerson {
  id: string;
  username: string;
  name: string;
  team: string | null;
}

export interface RoundOutcome {
  /** False when another process had already made this round: nothing was written twice. */
  created: boolean;
  dryRun: boolean;
  roundId: string | null;
  groupId: string;
  scheduledFor: string;
  seed: string;
  groups: RoundPerson[][];
  sittingOut: RoundPerson[];
  stats: RoundStats;
}

async function loadHistory(db: Executor, groupId: string): Promise<PastMeeting[]> {
  const rows = await db
    .selectFrom('meeting_participants')
    .innerJoin('meetings', 'meetings.id', 'meeting_participants.meeting_id')
    .innerJoin('rounds', 'rounds.id', 'meetings.round_id')
    .select(['meetings.id as meetingId', 'meeting_participants.person_id as personId', 'rounds.scheduled_for as at'])
    .where('meetings.group_id', '=', groupId)
    .where('meetings.source', '=', 'round')
    .where('meetings.status', '!=', 'cancelled')
    .where('rounds.undone_at', 'is', null)
    .execute();
  const byMeeting = new Map<string, PastMeeting>();
  for (const row of rows) {
    let meeting = byMeeting.get(row.meetingId);
    if (!meeting) {
      meeting = { participants: [], at: Date.parse(row.at) };
      byMeeting.set(row.meetingId, meeting);
    }
    meeting.participants.push(row.personId);
  }
  return [...byMeeting.values()];
}

async function loadLastSatOut(db: Executor, groupId: string): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('round_sitouts')
    .innerJoin('rounds', 'rounds.id', 'round_sitouts.round_id')
    .select(['round_sitouts.person_id as personId', (eb) => eb.fn.max('rounds.scheduled_for').as('at')])
    .where('rounds.group_id', '=', groupId)
    .where('rounds.undone_at', 'is', null)
    .groupBy('round_sitouts.person_id')
    .execute();
  return Object.fromEntries(rows.map((row) => [row.personId, Date.parse(String(row.at))]));
}

/** Who takes part in the round at `scheduledFor`: active (or pause over), eligible, enabled, not skipping. */
async function loadParticipants(db: Executor, group: GroupRow, scheduledFor: string, titlePattern: RegExp) {
  const eligibility = parseEligibility(group.eligibility);
  const rows = await db
    .selectFrom('group_members')
    .innerJoin('people', 'people.id', 'group_members.person_id')
    .select([
      'people.id',
      'people.username',
      'people.name',
      'people.team',
      'people.manager_id',
      'people.is_manager',
      'people.is_manager_stated',
      'people.title',
      'people.enabled',
      'people.email',
      'group_members.status',
      'group_members.paused_until',
      'group_members.skip_round_at',
    ])
    .where('group_members.group_id', '=', group.id)
    .where('group_members.status', '!=', 'left')
    .where('people.enabled', '=', 1)
    .orderBy('people.id')
    .execute();
  const taking = rows.filter(
    (row) =>
      (row.status === 'active' || (row.paused_until !== null && row.paused_until <= scheduledFor)) &&
      // "Skip the next round" skips whichever round comes next, on schedule or run by hand.
      !(row.skip_round_at !== null && row.skip_round_at >= scheduledFor) &&
      // An automatic group holds only people a channel can reach (members added before that rule too).
      (group.membership !== 'auto' || row.email !== null) &&
      isEligible(row, eligibility, titlePattern),
  );
  return {
    participants: taking,
    skipped: rows.length - taking.length,
    roster: rows.map((row) => ({ id: row.id, team: row.team, managerId: row.manager_id })),
  };
}

/**
 * Makes the group's round for `scheduledFor`: pairs (or trios) stored as meetings, in one
 * transaction. A round exists at most once per (group, scheduled time) — the database's unique
 * key decides between processes racing for it.
 */
export async function runRound(props: {
  db: Db;
  groupId: string;
  scheduledFor: Date;
  titlePattern: RegExp;
  actorId?: string | null;
  dryRun?: boolean;
  seed?: string;
  /**
   * A round asked for by a person (the admin's "Run round now", `convene match`), not the
   * schedule: refused when the last round is more recent than the group's normal interval unless
   * `force` confirms it, so two clicks (or a click and a script) do not make two rounds.
   */
  manual?: boolean;
  force?: boolean;
  log?: { info(data: object, message: string): void };
}): Promise<RoundOutcome> {
  const scheduledFor = props.scheduledFor.toISOString();
  const seed = props.seed ?? randomBytes(16).toString('hex');
  const attempt = async (trx: Executor): Promise<RoundOutcome> => {
    const group = await findGroup(trx, props.groupId);
    if (!group) throw notFound('No such group.');
    if (group.archived) throw badRequest('This group is archived.');
    if (props.manual && !props.force && !props.dryRun) await refuseTooSoon(trx, group, props.scheduledFor);
    await syncAutomaticMembers(trx, group, props.titlePattern);
    const { participants, skipped, roster } = await loadParticipants(trx, group, scheduledFor, props.titlePattern);
    const [history, lastSatOut, previous] = await Promise.all([
      loadHistory(trx, group.id),
      loadLastSatOut(trx, group.id),
      trx
        .selectFrom('rounds')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .where('group_id', '=', group.id)
        .where('undone_at', 'is', null)
        .executeTakeFirstOrThrow(),
    ]);
    const result = pairRound({
      members: participants.map((p) => ({ id: p.id, team: p.team, managerId: p.manager_id })),
      // The whole group, absent members included, keeps the round-robin plan stable through absences.
      roster,
      history,
      seed,
      groupSize: group.size,
      oddPolicy: group.odd_policy,
      lastSatOut,
      roundIndex: Number(previous.n),
    });
    const byId = new Map(
      participants.map((p) => [p.id, { id: p.id, username: p.username, name: p.name, team: p.team }]),
    );
    const groups = result.groups.map((ids) => ids.map((id) => byId.get(id) as RoundPerson));
    const sittingOut = result.sittingOut.map((id) => byId.get(id) as RoundPerson);
    const stats: RoundStats = {
      members: participants.length,
      pairs: groups.filter((g) => g.length === 2).length,
      trios: groups.filter((g) => g.length === 3).length,
      satOut: sittingOut.length,
      skipped,
      ...result.stats,
    };
    const outcome: RoundOutcome = {
      created: false,
      dryRun: props.dryRun ?? false,
      roundId: null,
      groupId: group.id,
      scheduledFor,
      seed,
      groups,
      sittingOut,
      stats,
    };
    if (props.dryRun) return outcome;

    const roundId = newId();
    const now = nowIso();
    await trx
      .insertInto('rounds')
      .values({
        id: roundId,
        group_id: group.id,
        scheduled_for: scheduledFor,
        round_index: Number(previous.n),
        seed,
        stats: JSON.stringify(stats),
        created_at: now,
        undone_at: null,
        undone_by: null,
      })
      .execute();
    // Meetings with their video rooms and intro messages, in this transaction (the outbox rule).
    await createMeetings(
      trx,
      groups.map((members, i) => ({
        source: 'round',
        externalId: `${roundId}:${i}`,
        groupId: group.id,
        roundId,
        title: `${group.name}: ${members.map((p) => p.name).join(', ')}`,
        participantIds: members.map((p) => p.id),
        settings: {
          origin: groupOrigin(group.id),
          originName: group.name,
          introTemplate: group.intro_template,
          reminderTemplate: group.reminder_template,
          followUpTemplate: group.follow_up_template,
          reminderMinutes: group.reminder_minutes,
          followUpDays: group.follow_up_days,
        },
      })),
    );
    if (sittingOut.length) {
      await trx
        .insertInto('round_sitouts')
        .values(sittingOut.map((p) => ({ round_id: roundId, person_id: p.id })))
        .execute();
    }
    // Every skip is used up by this round: the ones for it or a later time (they skipped it), and
    // stale ones for a time that never came. The ones it honoured are written down, so undoing the
    // round gives them back.
    const usedSkips = await trx
      .selectFrom('group_members')
      .select(['person_id', 'skip_round_at'])
      .where('group_id', '=', group.id)
      .where('status', '!=', 'left')
      .where('skip_round_at', '>=', scheduledFor)
      .execute();
    for (let i = 0; i < usedSkips.length; i += 400) {
      await trx
        .insertInto('round_used_skips')
        .values(
          usedSkips.slice(i, i + 400).map((row) => ({
            round_id: roundId,
            person_id: row.person_id,
            skip_round_at: row.skip_round_at as string,
          })),
        )
        .execute();
    }
    await trx
      .updateTable('group_members')
      .set({ skip_round_at: null })
      .where('group_id', '=', group.id)
      .where('skip_round_at', 'is not', null)
      .execute();
    await trx
      .updateTable('group_members')
      .set({ status: 'active', paused_until: null })
      .where('group_id', '=', group.id)
      .where('status', '=', 'paused')
      .where('paused_until', '<=', scheduledFor)
      .execute();
    // The next round comes after this one and after now: a round run by hand does not make the
    // scheduler run another straight away.
    if (!group.next_round_at || group.next_round_at <= scheduledFor) {
      const after = new Date(Math.max(Date.parse(scheduledFor), Date.now()));
      const next = nextOccurrence(cadenceOf(group), after);
      await trx
        .updateTable('groups')
        .set({ next_round_at: next?.toISOString() ?? null })
        .where('id', '=', group.id)
        .execute();
    }
    await recordAudit(trx, {
      actorId: props.actorId ?? null,
      action: 'round.run',
      subjectType: 'round',
      subjectId: roundId,
      data: { groupId: group.id, scheduledFor, stats },
    });
    return { ...outcome, created: true, roundId };
  };

  if (props.dryRun) {
    // The preview does the real work (automatic members included) in a transaction that is then
    // rolled back, so what it shows is exactly what a real round would make now.
    try {
      await props.db.transaction().execute(async (trx) => {
        throw new DryRunRollback(await attempt(trx));
      });
    } catch (error) {
      if (error instanceof DryRunRollback) return error.outcome;
      throw error;
    }
  }
  for (let tries = 1; ; tries++) {
    try {
      const made = await props.db.transaction().execute(attempt);
      if (made.created) {
        props.log?.info(
          {
            groupId: made.groupId,
            roundId: made.roundId,
            scheduledFor: made.scheduledFor,
            people: made.stats.members,
            pairs: made.groups.map((g) => g.map((p) => p.username)),
            satOut: made.sittingOut.map((p) => p.username),
          },
          'round made',
        );
      }
      return made;
    } catch (error) {
      const existing = await props.db
        .selectFrom('rounds')
        .select(['id', 'seed'])
        .where('group_id', '=', props.groupId)
        .where('scheduled_for', '=', scheduledFor)
        .executeTakeFirst();
      // Another process made this round first (the unique key, or SQLite's lock): not an error.
      if (existing && (isUniqueViolation(error) || isBusy(error)))
        return alreadyMade(props.groupId, scheduledFor, existing);
      // SQLite refuses a second writer at once rather than queueing it: wait a moment and retry.
      if (isBusy(error) && tries < 50) {
        await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 80));
        continue;
      }
      throw error;
    }
  }
}

/** A hand-made round within the normal interval of the last one needs `force`. */
async function refuseTooSoon(trx: Executor, group: GroupRow, at: Date): Promise<void> {
  const last = await trx
    .selectFrom('rounds')
    .select('scheduled_for')
    .where('group_id', '=', group.id)
    .where('undone_at', 'is', null)
    .orderBy('scheduled_for', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!last) return;
  const lastAt = new Date(last.scheduled_for);
  const interval = normalInterval(cadenceOf(group), lastAt);
  const since = at.getTime() - lastAt.getTime();
  if (interval === null || since >= interval) return;
  const ago =
    since < 3_600_000
      ? `${Math.max(1, Math.round(since / 60_000))} minutes ago`
      : since < 86_400_000
        ? `${Math.round(since / 3_600_000)} hours ago`
        : `${Math.round(since / 86_400_000)} days ago`;
  throw new AppError(
    'conflict',
    `The last round of this group was made ${ago}, less than its usual interval. Confirm to make another one now (CLI: --force).`,
    'force',
  );
}

class DryRunRollback extends Error {
  constructor(readonly outcome: RoundOutcome) {
    super('dry run');
  }
}

function alreadyMade(groupId: string, scheduledFor: string, existing: { id: string; seed: string }): RoundOutcome {
  return {
    created: false,
    dryRun: false,
    roundId: existing.id,
    groupId,
    scheduledFor,
    seed: existing.seed,
    groups: [],
    sittingOut: [],
    stats: {
      members: 0,
      pairs: 0,
      trios: 0,
      satOut: 0,
      skipped: 0,
      repeatPairs: 0,
      sameTeamPairs: 0,
      managerReportPairs: 0,
    },
  };
}
