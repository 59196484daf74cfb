import { latestAudit } from '../../db/audit.js';
import type { Executor } from '../../db/database.js';
import type { MeetingStatus } from '../../db/schema.js';
import type { VideoRooms } from '../../integrations/jitsi.js';
import { channelsReaching } from '../notifications/reach.js';
import type { PersonRow } from '../people/presenters.js';
import { sourcesExternalId } from './external.js';
import { joinUrlFor } from './joinUrl.js';
import type { MeetingAccess } from './policy.js';
import type { MeetingDetailView, MeetingPersonView, MeetingSummaryView } from './schemas.js';

export const PAGE_SIZE = 20;

interface MeetingRow {
  id: string;
  title: string;
  source: string;
  external_id: string | null;
  group_id: string | null;
  group_name: string | null;
  starts_at: string | null;
  duration_minutes: number | null;
  status: MeetingStatus;
  origin: string | null;
  room_name: string | null;
  room_url: string | null;
  created_at: string;
  updated_at: string;
}

const endOf = (m: Pick<MeetingRow, 'starts_at' | 'duration_minutes'>): number | null =>
  m.starts_at ? Date.parse(m.starts_at) + (m.duration_minutes ?? 30) * 60_000 : null;

/**
 * Still ahead: not cancelled or done, and either not yet over or, for a match nobody gave a time,
 * not yet followed by a newer round of its group (`newestRound`: the newest round meeting's
 * creation time per origin) — an old untimed match is not "upcoming" forever.
 */
export function isUpcoming(
  m: Pick<MeetingRow, 'status' | 'starts_at' | 'duration_minutes' | 'source' | 'origin' | 'created_at'>,
  now: number,
  newestRound: Map<string, string> = new Map(),
): boolean {
  if (m.status === 'cancelled' || m.status === 'done') return false;
  const end = endOf(m);
  if (end !== null) return end > now;
  const newest = m.source === 'round' && m.origin ? newestRound.get(m.origin) : undefined;
  return newest === undefined || newest <= m.created_at;
}

/** Per origin, when its newest round meeting was made: later rounds retire older untimed matches. */
async function newestRoundMeetings(db: Executor, origins: string[]): Promise<Map<string, string>> {
  if (!origins.length) return new Map();
  const rows = await db
    .selectFrom('meetings')
    .select(['origin', (eb) => eb.fn.max('created_at').as('newest')])
    .where('source', '=', 'round')
    // An undone round's (cancelled) meetings retire nothing: the round before it is current again.
    .where('status', '!=', 'cancelled')
    .where('origin', 'in', origins)
    .groupBy('origin')
    .execute();
  return new Map(rows.map((r) => [r.origin as string, String(r.newest)]));
}

function baseQuery(db: Executor) {
  return db
    .selectFrom('meetings')
    .select([
      'meetings.id',
      'meetings.title',
      'meetings.source',
      'meetings.external_id',
      'meetings.group_id',
      'meetings.origin_name as group_name',
      'meetings.starts_at',
      'meetings.duration_minutes',
      'meetings.status',
      'meetings.origin',
      'meetings.room_name',
      'meetings.room_url',
      'meetings.created_at',
      'meetings.updated_at',
    ]);
}

type ParticipantRow = PersonRow & { meeting_id: string };

async function participantsOf(db: Executor, meetingIds: string[]): Promise<ParticipantRow[]> {
  if (!meetingIds.length) return [];
  return db
    .selectFrom('meeting_participants')
    .innerJoin('people', 'people.id', 'meeting_participants.person_id')
    .selectAll('people')
    .select('meeting_participants.meeting_id')
    .where('meeting_participants.meeting_id', 'in', meetingIds)
    .orderBy('people.name')
    .execute();
}

/** Members see names, roles and pictures; only admins see e-mail addresses. */
function presentPerson(p: PersonRow, forAdmin: boolean): MeetingPersonView {
  return {
    id: p.id,
    username: p.username,
    name: p.name,
    title: p.title,
    team: p.team,
    avatarUrl: p.avatar_url,
    ...(forAdmin ? { email: p.email } : {}),
  };
}

function summary(m: MeetingRow, people: MeetingPersonView[], forAdmin: boolean): MeetingSummaryView {
  return {
    id: m.id,
    title: m.title,
    source: m.source,
    ...(forAdmin ? { externalId: sourcesExternalId(m.external_id) } : {}),
    groupId: m.group_id,
    groupName: m.group_name,
    startsAt: m.starts_at,
    durationMinutes: m.duration_minutes,
    status: m.status,
    createdAt: m.created_at,
    participants: people,
  };
}

/**
 * The signed-in person's meetings. A person has at most a few hundred meetings, so they are split
 * into upcoming and past here rather than in SQL, where adding a duration to a text time would need
 * different SQL per engine.
 */
export async function myMeetings(
  db: Executor,
  props: { person: PersonRow; when: 'upcoming' | 'past'; page: number; now?: Date },
): Promise<{ meetings: MeetingSummaryView[]; page: number; pageSize: number; total: number }> {
  const now = (props.now ?? new Date()).getTime();
  const rows = await baseQuery(db)
    .innerJoin('meeting_participants', 'meeting_participants.meeting_id', 'meetings.id')
    .where('meeting_participants.person_id', '=', props.person.id)
    .execute();
  const untimedOrigins = [
    ...new Set(rows.filter((m) => m.source === 'round' && !m.starts_at && m.origin).map((m) => m.origin as string)),
  ];
  const newestRound = await newestRoundMeetings(db, untimedOrigins);
  const chosen = rows.filter((m) => isUpcoming(m, now, newestRound) === (props.when === 'upcoming'));
  // Upcoming: the ones still to arrange (no time, newest match first), then the soonest.
  // Past: the most recent first.
  const key = (m: MeetingRow) => m.starts_at ?? m.created_at;
  chosen.sort((a, b) => {
    if (props.when === 'past') return key(b).localeCompare(key(a));
    if (!a.starts_at !== !b.starts_at) return a.starts_at ? 1 : -1;
    return a.starts_at && b.starts_at
      ? a.starts_at.localeCompare(b.starts_at)
      : b.created_at.localeCompare(a.created_at);
  });
  const pageRows = chosen.slice((props.page - 1) * PAGE_SIZE, props.page * PAGE_SIZE);
  const people = await participantsOf(
    db,
    pageRows.map((m) => m.id),
  );
  const forAdmin = props.person.role === 'admin';
  return {
    meetings: pageRows.map((m) =>
      summary(
        m,
        people.filter((p) => p.meeting_id === m.id && p.id !== props.person.id).map((p) => presentPerson(p, forAdmin)),
        forAdmin,
      ),
    ),
    page: props.page,
    pageSize: PAGE_SIZE,
    total: chosen.length,
  };
}

/** Every meeting, newest first, for the admin area: by status, mixer group and source. */
export async function adminMeetings(
  db: Executor,
  props: { status?: MeetingStatus; groupId?: string; source?: string; page: number },
): Promise<{ meetings: MeetingSummaryView[]; page: number; pageSize: number; total: number }> {
  let query = baseQuery(db);
  let count = db.selectFrom('meetings').select((eb) => eb.fn.countAll<string | number>().as('n'));
  if (props.status) {
    query = query.where('meetings.status', '=', props.status);
    count = count.where('meetings.status', '=', props.status);
  }
  if (props.groupId) {
    query = query.where('meetings.group_id', '=', props.groupId);
    count = count.where('meetings.group_id', '=', props.groupId);
  }
  if (props.source) {
    query = query.where('meetings.source', '=', props.source);
    count = count.where('meetings.source', '=', props.source);
  }
  const [rows, total] = await Promise.all([
    query
      .orderBy('meetings.created_at', 'desc')
      .orderBy('meetings.id')
      .limit(PAGE_SIZE)
      .offset((props.page - 1) * PAGE_SIZE)
      .execute(),
    count.executeTakeFirstOrThrow(),
  ]);
  const people = await participantsOf(
    db,
    rows.map((m) => m.id),
  );
  return {
    meetings: rows.map((m) =>
      summary(
        m,
        people.filter((p) => p.meeting_id === m.id).map((p) => presentPerson(p, true)),
        true,
      ),
    ),
    page: props.page,
    pageSize: PAGE_SIZE,
    total: Number(total.n),
  };
}

/**
 * The sources meetings have come from, by name: the choices of the admin list's source filter, read
 * once per visit of the page (a scan of the unique index on (source, external id) where the engine
 * can, of every meeting where it cannot).
 */
export async function meetingSources(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom('meetings').select('source').distinct().orderBy('source').execute();
  return rows.map((r) => r.source);
}

export async function findMeetingRow(db: Executor, meetingId: string): Promise<MeetingRow | undefined> {
  return baseQuery(db).where('meetings.id', '=', meetingId).executeTakeFirst();
}

export async function meetingDetail(
  db: Executor,
  props: { meetingId: string; viewer: PersonRow; access: MeetingAccess; video: VideoRooms },
): Promise<MeetingDetailView | undefined> {
  const meeting = await findMeetingRow(db, props.meetingId);
  if (!meeting) return undefined;
  const [people, feedback] = await Promise.all([
    participantsOf(db, [meeting.id]),
    db
      .selectFrom('meeting_feedback')
      .select('answer')
      .where('meeting_id', '=', meeting.id)
      .where('person_id', '=', props.viewer.id)
      .executeTakeFirst(),
  ]);
  const forAdmin = props.viewer.role === 'admin';
  const closed = meeting.status === 'cancelled' || meeting.status === 'done';
  // Participants reach each other in the chat conversation of their intro; someone no chat channel
  // reaches is written to by e-mail, so the others see that address (as the intro's Reply-To does).
  const reaching = await channelsReaching(db, people, meeting.origin);
  const chatless = (p: PersonRow) => !(reaching.get(p.id) ?? []).some((c) => c === 'slack' || c === 'mattermost');
  return {
    ...summary(meeting, [], forAdmin),
    participants: people.map((p) => ({
      ...presentPerson(p, forAdmin),
      isYou: p.id === props.viewer.id,
      contactEmail: p.id !== props.viewer.id && p.email && chatless(p) ? p.email : null,
    })),
    joinUrl: meeting.status === 'cancelled' ? null : joinUrlFor(props.video, meeting, props.viewer),
    access: props.access,
    canChange: !closed,
    feedback: feedback?.answer ?? null,
    cancelled: meeting.status === 'cancelled' ? await howCancelled(db, meeting.id, meeting.source) : null,
    createdAt: meeting.created_at,
    updatedAt: meeting.updated_at,
  };
}

/**
 * When a cancelled meeting was called off and by whom, in words: a person, an API token, the 42
 * intranet's destroy, a round undone. Null for one cancelled before the audit log kept it.
 */
async function howCancelled(db: Executor, meetingId: string, source: string) {
  const entry = await latestAudit(db, { action: 'meeting.cancel', subjectType: 'meeting', subjectId: meetingId });
  if (!entry) return null;
  const token = entry.data.apiToken as { name?: string } | undefined;
  const by = entry.actorName
    ? entry.actorName
    : token?.name
      ? `the API token “${token.name}”`
      : source === 'intra42' && entry.data.externalId
        ? 'the 42 intranet (the evaluation was destroyed)'
        : typeof entry.data.reason === 'string'
          ? `Convene: ${entry.data.reason}`
          : 'Convene';
  return { at: entry.at, by };
}
