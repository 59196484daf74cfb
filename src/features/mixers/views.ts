import type { Db } from '../../db/database.js';
import { forbidden, notFound } from '../../lib/errors.js';
import { type MemberPersonView, type PersonRow, presentToMember } from '../people/presenters.js';
import { findPersonById } from '../people/queries.js';
import { describeEligibility, type Eligibility, isEligible, parseEligibility } from './eligibility.js';
import { isAutomaticMember, memberCounts } from './members.js';
import { canManageMixersOf, canSeeArchivedGroups } from './policy.js';
import type { GroupRow } from './queries.js';

export interface GroupView {
  id: string;
  name: string;
  description: string;
  size: 2 | 3;
  oddPolicy: 'trio' | 'sit_out';
  membership: 'open' | 'admin' | 'auto';
  eligibility: string;
  eligibilityRule: Eligibility;
  introTemplate: string | null;
  reminderTemplate: string | null;
  followUpTemplate: string | null;
  reminderMinutes: number;
  followUpDays: number | null;
  chatChannel: string | null;
  cron: string;
  timezone: string;
  everyWeeks: number;
  anchorDate: string | null;
  archived: boolean;
  memberCount: number;
  nextRoundAt: string | null;
  /** About the person being viewed for (oneself, or whoever named the viewer assistant). */
  eligible: boolean;
  status: 'active' | 'paused' | 'left' | null;
  pausedUntil: string | null;
  skippingNext: boolean;
}

export interface MatchView {
  meetingId: string;
  groupId: string;
  groupName: string;
  scheduledFor: string;
  status: string;
  /** The latest round of its group: the match to act on now. */
  current: boolean;
  partners: MemberPersonView[];
}

/** Resolves whose mixers the viewer is looking at, and refuses anyone else's. */
export async function subjectFor(db: Db, viewer: PersonRow, personId?: string): Promise<PersonRow> {
  if (!personId || personId === viewer.id) return viewer;
  const person = await findPersonById(db, personId);
  if (!person) throw notFound('No such person.');
  if (!canManageMixersOf(viewer, person))
    throw forbidden('You can see only your own mixers, or those of someone who named you their assistant.');
  return person;
}

export async function groupViews(props: {
  db: Db;
  subject: PersonRow;
  titlePattern: RegExp;
  includeArchived?: boolean;
  groupId?: string;
}): Promise<GroupView[]> {
  const { db, subject } = props;
  let query = db.selectFrom('groups').selectAll().orderBy('name_key');
  if (!props.includeArchived) query = query.where('archived', '=', 0);
  if (props.groupId) query = query.where('id', '=', props.groupId);
  const [groups, memberships] = await Promise.all([
    query.execute(),
    db.selectFrom('group_members').selectAll().where('person_id', '=', subject.id).execute(),
  ]);
  const mine = new Map(memberships.map((m) => [m.group_id, m]));
  // Automatic groups: the rule decides, not rows a round has not written yet.
  const counts = await memberCounts(db, groups, props.titlePattern);
  return groups.map((group: GroupRow) => {
    const row = mine.get(group.id);
    const eligibility = parseEligibility(group.eligibility);
    const member =
      group.membership !== 'auto'
        ? row
        : isAutomaticMember(subject, row, eligibility, props.titlePattern)
          ? row && row.status !== 'left'
            ? row
            : { status: 'active' as const, paused_until: null, skip_round_at: null }
          : row?.status === 'left'
            ? row
            : undefined;
    return {
      id: group.id,
      name: group.name,
      description: group.description,
      size: group.size,
      oddPolicy: group.odd_policy,
      membership: group.membership,
      eligibility: describeEligibility(eligibility),
      eligibilityRule: eligibility,
      introTemplate: group.intro_template,
      reminderTemplate: group.reminder_template,
      followUpTemplate: group.follow_up_template,
      reminderMinutes: group.reminder_minutes,
      followUpDays: group.follow_up_days,
      chatChannel: group.chat_channel,
      cron: group.cron,
      timezone: group.timezone,
      everyWeeks: group.every_weeks,
      anchorDate: group.anchor_date,
      archived: group.archived === 1,
      memberCount: counts.get(group.id) ?? 0,
      nextRoundAt: group.next_round_at,
      eligible: isEligible(subject, eligibility, props.titlePattern),
      status: member?.status ?? null,
      pausedUntil: member?.status === 'paused' ? member.paused_until : null,
      skippingNext: member?.skip_round_at != null && member.skip_round_at === group.next_round_at,
    };
  });
}

/** The groups as `viewer` sees them for `personId` (themselves by default); archived ones only for admins who ask. */
export async function groupListFor(props: {
  db: Db;
  viewer: PersonRow;
  personId?: string;
  archived: boolean;
  titlePattern: RegExp;
}): Promise<GroupView[]> {
  const subject = await subjectFor(props.db, props.viewer, props.personId);
  const includeArchived = props.archived && canSeeArchivedGroups(props.viewer);
  return groupViews({ db: props.db, subject, titlePattern: props.titlePattern, includeArchived });
}

/** One group, archived or not, as `viewer` sees it for `personId` (themselves by default). */
export async function groupViewFor(props: {
  db: Db;
  viewer: PersonRow;
  personId?: string;
  groupId: string;
  titlePattern: RegExp;
}): Promise<GroupView> {
  const subject = await subjectFor(props.db, props.viewer, props.personId);
  const [view] = await groupViews({
    db: props.db,
    subject,
    titlePattern: props.titlePattern,
    includeArchived: true,
    groupId: props.groupId,
  });
  if (!view) throw notFound('No such group.');
  return view;
}

export async function matchesOf(db: Db, subject: PersonRow, limit = 50): Promise<MatchView[]> {
  const mine = await db
    .selectFrom('meeting_participants')
    .innerJoin('meetings', 'meetings.id', 'meeting_participants.meeting_id')
    .innerJoin('rounds', 'rounds.id', 'meetings.round_id')
    .innerJoin('groups', 'groups.id', 'rounds.group_id')
    .select([
      'meetings.id as meetingId',
      'meetings.status',
      'groups.id as groupId',
      'groups.name as groupName',
      'rounds.scheduled_for as scheduledFor',
    ])
    .where('meeting_participants.person_id', '=', subject.id)
    .where('meetings.source', '=', 'round')
    // An undone round is no match (its meetings stay on the meetings page, cancelled).
    .where('rounds.undone_at', 'is', null)
    .orderBy('rounds.scheduled_for', 'desc')
    .limit(limit)
    .execute();
  // Sitting out is news too: the member learns it was their turn, not that they were forgotten.
  const satOut = await db
    .selectFrom('round_sitouts')
    .innerJoin('rounds', 'rounds.id', 'round_sitouts.round_id')
    .innerJoin('groups', 'groups.id', 'rounds.group_id')
    .select([
      'rounds.id as roundId',
      'groups.id as groupId',
      'groups.name as groupName',
      'rounds.scheduled_for as scheduledFor',
    ])
    .where('round_sitouts.person_id', '=', subject.id)
    .where('rounds.undone_at', 'is', null)
    .orderBy('rounds.scheduled_for', 'desc')
    .limit(limit)
    .execute();
  if (mine.length === 0 && satOut.length === 0) return [];
  const partners =
    mine.length === 0
      ? []
      : await db
          .selectFrom('meeting_participants')
          .innerJoin('people', 'people.id', 'meeting_participants.person_id')
          .selectAll('people')
          .select('meeting_participants.meeting_id as meetingId')
          .where(
            'meeting_participants.meeting_id',
            'in',
            mine.map((m) => m.meetingId),
          )
          .where('meeting_participants.person_id', '!=', subject.id)
          .execute();
  const latest = await db
    .selectFrom('rounds')
    .select(['group_id', (eb) => eb.fn.max('scheduled_for').as('at')])
    .where('group_id', 'in', [...new Set([...mine, ...satOut].map((m) => m.groupId))])
    .where('undone_at', 'is', null)
    .groupBy('group_id')
    .execute();
  const latestByGroup = new Map(latest.map((row) => [row.group_id, String(row.at)]));
  const matched: MatchView[] = mine.map((m) => ({
    ...m,
    current: latestByGroup.get(m.groupId) === m.scheduledFor,
    partners: partners.filter((p) => p.meetingId === m.meetingId).map(presentToMember),
  }));
  const satOutViews: MatchView[] = satOut.map((s) => ({
    meetingId: `sat-out:${s.roundId}`,
    groupId: s.groupId,
    groupName: s.groupName,
    scheduledFor: s.scheduledFor,
    status: 'sat_out',
    current: latestByGroup.get(s.groupId) === s.scheduledFor,
    partners: [],
  }));
  return [...matched, ...satOutViews].sort((a, b) => b.scheduledFor.localeCompare(a.scheduledFor)).slice(0, limit);
}
