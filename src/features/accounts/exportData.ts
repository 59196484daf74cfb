import { recordAudit } from '../../db/audit.js';
import type { Db, Executor } from '../../db/database.js';
import { notFound } from '../../lib/errors.js';
import { nowIso } from '../../lib/time.js';
import type { PersonRow } from '../people/presenters.js';
import { findPersonById } from '../people/queries.js';

/** The most audit entries an export lists (newest first); a person with more is told how many were left out. */
const AUDIT_LIMIT = 5000;

/**
 * Everything Convene holds about one person, as one JSON document: what they asked it to keep
 * (profile, settings) and what it recorded about them (memberships, meetings, votes, interest,
 * audit entries). Never a password hash, a session or a token. The export itself is audited.
 */
export async function exportPersonData(props: {
  db: Db;
  personId: string;
  actorId: string;
  ip?: string;
}): Promise<PersonDataExport> {
  const { db } = props;
  return db.transaction().execute(async (trx) => {
    const person = await findPersonById(trx, props.personId);
    if (!person) throw notFound('No such person.');
    const data: PersonDataExport = {
      exportedAt: nowIso(),
      person: await profileOf(trx, person),
      groups: await groupsOf(trx, person.id),
      meetings: await meetingsOf(trx, person.id),
      talks: await talksOf(trx, person.id),
      unconference: await unconferenceOf(trx, person.id),
      notificationSettings: await notificationSettingsOf(trx, person.id),
      calendarFeeds: await trx
        .selectFrom('calendar_feeds')
        .select(['created_at as createdAt', 'last_used_at as lastUsedAt', 'revoked_at as revokedAt'])
        .where('person_id', '=', person.id)
        .orderBy('created_at')
        .execute(),
      audit: await auditOf(trx, person.id),
    };
    await recordAudit(trx, {
      actorId: props.actorId,
      action: 'person.export_data',
      subjectType: 'person',
      subjectId: person.id,
      data: { by: props.actorId === person.id ? 'self' : 'admin' },
      ip: props.ip,
    });
    return data;
  });
}

async function profileOf(db: Executor, person: PersonRow) {
  const manager = person.manager_id ? await findPersonById(db, person.manager_id) : undefined;
  const assistant = person.assistant_id ? await findPersonById(db, person.assistant_id) : undefined;
  const externalIds = await db
    .selectFrom('external_ids')
    .select(['source', 'external_id as externalId'])
    .where('person_id', '=', person.id)
    .orderBy('source')
    .execute();
  const photo = await db
    .selectFrom('person_photos')
    .select(['content_type', 'updated_at'])
    .where('person_id', '=', person.id)
    .executeTakeFirst();
  return {
    id: person.id,
    username: person.username,
    email: person.email,
    name: person.name,
    firstName: person.first_name,
    lastName: person.last_name,
    title: person.title,
    team: person.team,
    isManager: person.is_manager === 1,
    manager: manager ? manager.username : null,
    assistant: assistant ? assistant.username : null,
    avatarUrl: person.avatar_url,
    uploadedPhoto: photo ? { contentType: photo.content_type, updatedAt: photo.updated_at } : null,
    timezone: person.timezone,
    timezoneConfirmed: person.timezone_confirmed === 1,
    role: person.role,
    verified: person.verified === 1,
    enabled: person.enabled === 1,
    hasPassword: person.password_hash !== null,
    signupIp: person.signup_ip,
    createdAt: person.created_at,
    lastSigninAt: person.last_signin_at,
    deletedAt: person.deleted_at,
    externalIds,
  };
}

const groupsOf = (db: Executor, personId: string) =>
  db
    .selectFrom('group_members')
    .innerJoin('groups', 'groups.id', 'group_members.group_id')
    .select([
      'groups.id as groupId',
      'groups.name as group',
      'group_members.status',
      'group_members.joined_at as joinedAt',
      'group_members.left_at as leftAt',
      'group_members.left_by as leftBy',
      'group_members.paused_until as pausedUntil',
      'group_members.skip_round_at as skipRoundAt',
    ])
    .where('group_members.person_id', '=', personId)
    .orderBy('group_members.joined_at')
    .execute();

async function meetingsOf(db: Executor, personId: string) {
  const meetings = await db
    .selectFrom('meeting_participants')
    .innerJoin('meetings', 'meetings.id', 'meeting_participants.meeting_id')
    .leftJoin('meeting_feedback', (join) =>
      join.onRef('meeting_feedback.meeting_id', '=', 'meetings.id').on('meeting_feedback.person_id', '=', personId),
    )
    .select([
      'meetings.id',
      'meetings.title',
      'meetings.source',
      'meetings.origin_name as origin',
      'meetings.starts_at as startsAt',
      'meetings.duration_minutes as durationMinutes',
      'meetings.status',
      'meeting_participants.role',
      'meeting_feedback.answer as didYouMeet',
      'meetings.created_at as createdAt',
    ])
    .where('meeting_participants.person_id', '=', personId)
    .orderBy('meetings.created_at')
    .execute();
  const withNames = new Map<string, string[]>();
  for (const row of await db
    .selectFrom('meeting_participants as mine')
    .innerJoin('meeting_participants as other', 'other.meeting_id', 'mine.meeting_id')
    .innerJoin('people', 'people.id', 'other.person_id')
    .select(['mine.meeting_id', 'people.name'])
    .where('mine.person_id', '=', personId)
    .where('other.person_id', '!=', personId)
    .orderBy('people.name')
    .execute()) {
    withNames.set(row.meeting_id, [...(withNames.get(row.meeting_id) ?? []), row.name]);
  }
  return meetings.map((meeting) => ({ ...meeting, with: withNames.get(meeting.id) ?? [] }));
}

async function talksOf(db: Executor, personId: string) {
  const proposals = await db
    .selectFrom('proposals')
    .innerJoin('events', 'events.id', 'proposals.event_id')
    .select([
      'proposals.id',
      'events.name as event',
      'proposals.title',
      'proposals.description',
      'proposals.vote_count as votes',
      'proposals.hidden',
      'proposals.created_at as createdAt',
    ])
    .where('proposals.speaker_id', '=', personId)
    .orderBy('proposals.created_at')
    .execute();
  const votes = await db
    .selectFrom('votes')
    .innerJoin('proposals', 'proposals.id', 'votes.proposal_id')
    .innerJoin('events', 'events.id', 'votes.event_id')
    .select(['events.name as event', 'proposals.title as proposal', 'votes.created_at as votedAt'])
    .where('votes.person_id', '=', personId)
    .orderBy('votes.created_at')
    .execute();
  return { proposals: proposals.map((p) => ({ ...p, hidden: p.hidden === 1 })), votes };
}

async function unconferenceOf(db: Executor, personId: string) {
  const proposals = await db
    .selectFrom('unconf_owners')
    .innerJoin('unconf_proposals', 'unconf_proposals.id', 'unconf_owners.proposal_id')
    .innerJoin('events', 'events.id', 'unconf_owners.event_id')
    .select([
      'unconf_proposals.id',
      'events.name as event',
      'unconf_proposals.title',
      'unconf_proposals.description',
      'unconf_proposals.status',
      'unconf_owners.role',
      'unconf_proposals.created_at as createdAt',
    ])
    .where('unconf_owners.person_id', '=', personId)
    .orderBy('unconf_proposals.created_at')
    .execute();
  const interest = await db
    .selectFrom('unconf_interests')
    .innerJoin('unconf_proposals', 'unconf_proposals.id', 'unconf_interests.proposal_id')
    .innerJoin('events', 'events.id', 'unconf_interests.event_id')
    .select([
      'events.name as event',
      'unconf_proposals.title as proposal',
      'unconf_interests.level',
      'unconf_interests.updated_at as updatedAt',
    ])
    .where('unconf_interests.person_id', '=', personId)
    .orderBy('unconf_interests.updated_at')
    .execute();
  return { proposals, interest };
}

const notificationSettingsOf = (db: Executor, personId: string) =>
  db
    .selectFrom('notification_prefs')
    .select(['scope', 'channel', 'enabled', 'updated_at as updatedAt'])
    .where('person_id', '=', personId)
    .orderBy('scope')
    .orderBy('channel')
    .execute()
    .then((rows) => rows.map((row) => ({ ...row, scope: row.scope || 'default', enabled: row.enabled === 1 })));

async function auditOf(db: Executor, personId: string) {
  const rows = await db
    .selectFrom('audit_log')
    .leftJoin('people as actor', 'actor.id', 'audit_log.actor_id')
    .select([
      'audit_log.at',
      'audit_log.action',
      'actor.username as actor',
      'audit_log.ip',
      'audit_log.data',
      'audit_log.subject_id',
    ])
    .where((eb) => eb.or([eb('audit_log.subject_id', '=', personId), eb('audit_log.actor_id', '=', personId)]))
    .orderBy('audit_log.at', 'desc')
    .limit(AUDIT_LIMIT)
    .execute();
  return rows.map(({ subject_id, data, ...row }) => ({
    ...row,
    aboutMe: subject_id === personId,
    data: data ? (JSON.parse(data) as unknown) : null,
  }));
}

/** A type, not an interface: the route's response schema is a record, which an interface is not assignable to. */
export type PersonDataExport = {
  exportedAt: string;
  person: Awaited<ReturnType<typeof profileOf>>;
  groups: Awaited<ReturnType<typeof groupsOf>>;
  meetings: Awaited<ReturnType<typeof meetingsOf>>;
  talks: Awaited<ReturnType<typeof talksOf>>;
  unconference: Awaited<ReturnType<typeof unconferenceOf>>;
  notificationSettings: Awaited<ReturnType<typeof notificationSettingsOf>>;
  calendarFeeds: Array<{ createdAt: string; lastUsedAt: string | null; revokedAt: string | null }>;
  audit: Awaited<ReturnType<typeof auditOf>>;
};
