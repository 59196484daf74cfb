import type { Executor } from '../../db/database.js';
import type { MeetingStatus } from '../../db/schema.js';
import type { VideoRooms } from '../../integrations/jitsi.js';
import type { PersonRow } from '../people/presenters.js';
import { joinUrlFor } from './joinUrl.js';

/**
 * Reads of meetings that other features need (notifications above all): they go through these
 * functions, never through the meetings tables themselves.
 */

/** A meeting's status and time as they are now. */
export interface MeetingState {
  status: MeetingStatus;
  startsAt: string | null;
}

/** The outbox checks them before a message goes out (see notifications/freshness.ts). */
export async function currentMeetingState(db: Executor, meetingId: string): Promise<MeetingState | undefined> {
  const row = await db
    .selectFrom('meetings')
    .select(['status', 'starts_at'])
    .where('id', '=', meetingId)
    .executeTakeFirst();
  return row && { status: row.status, startsAt: row.starts_at };
}

/** `currentMeetingState` for many meetings at once (the admin's message list, "resend all failed"). */
export async function currentMeetingStates(
  db: Executor,
  meetingIds: readonly string[],
): Promise<Map<string, MeetingState>> {
  const states = new Map<string, MeetingState>();
  const ids = [...new Set(meetingIds)];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('meetings')
      .select(['id', 'status', 'starts_at'])
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const row of rows) states.set(row.id, { status: row.status, startsAt: row.starts_at });
  }
  return states;
}

/** Who takes part in a meeting not yet held, with the meeting's origin: who must be reachable, and where. */
export async function upcomingParticipations(
  db: Executor,
  now: string,
): Promise<Array<{ personId: string; origin: string | null; originName: string | null }>> {
  const rows = await db
    .selectFrom('meeting_participants')
    .innerJoin('meetings', 'meetings.id', 'meeting_participants.meeting_id')
    .select(['meeting_participants.person_id', 'meetings.origin', 'meetings.origin_name'])
    .where('meetings.status', 'in', ['scheduled', 'rescheduled'])
    .where('meetings.starts_at', '>=', now)
    .execute();
  return rows.map((r) => ({ personId: r.person_id, origin: r.origin, originName: r.origin_name }));
}

/** The origins of a person's meetings (for their per-origin channel choices), newest first. */
export async function meetingOriginsOf(
  db: Executor,
  personId: string,
): Promise<Array<{ origin: string; name: string | null }>> {
  const rows = await db
    .selectFrom('meeting_participants')
    .innerJoin('meetings', 'meetings.id', 'meeting_participants.meeting_id')
    .select(['meetings.origin', (eb) => eb.fn.max('meetings.origin_name').as('name')])
    .where('meeting_participants.person_id', '=', personId)
    .where('meetings.origin', 'is not', null)
    .groupBy('meetings.origin')
    .execute();
  return rows.map((r) => ({ origin: r.origin as string, name: (r.name as string | null) ?? null }));
}

/**
 * The video room one person opens for a meeting made for someone else's purpose (an unconference
 * session's room): the meeting's own link, else its Jitsi room with a personal token where the video
 * service needs one. Null when the meeting is cancelled, gone, or has no room.
 */
export async function sessionVideoRoom(
  db: Executor,
  video: VideoRooms,
  props: { meetingId: string; viewer: PersonRow },
): Promise<string | null> {
  const row = await db
    .selectFrom('meetings')
    .select(['status', 'room_name', 'room_url'])
    .where('id', '=', props.meetingId)
    .executeTakeFirst();
  if (!row || row.status === 'cancelled') return null;
  return joinUrlFor(video, row, props.viewer);
}

/** A mixer round's meetings with their status and participants: what undoing or announcing it works on. */
export async function meetingsOfRound(
  db: Executor,
  roundId: string,
): Promise<Array<{ id: string; status: MeetingStatus; startsAt: string | null; participantIds: string[] }>> {
  const rows = await db
    .selectFrom('meetings')
    .leftJoin('meeting_participants', 'meeting_participants.meeting_id', 'meetings.id')
    .select(['meetings.id', 'meetings.status', 'meetings.starts_at', 'meeting_participants.person_id'])
    .where('meetings.round_id', '=', roundId)
    .orderBy('meetings.id')
    .execute();
  const byId = new Map<
    string,
    { id: string; status: MeetingStatus; startsAt: string | null; participantIds: string[] }
  >();
  for (const row of rows) {
    let meeting = byId.get(row.id);
    if (!meeting) {
      meeting = { id: row.id, status: row.status, startsAt: row.starts_at, participantIds: [] };
      byId.set(row.id, meeting);
    }
    if (row.person_id) meeting.participantIds.push(row.person_id);
  }
  return [...byId.values()];
}

/** A meeting by the id its source gave it (a cancelled one too, until the id is used again), with its people's usernames and e-mails. */
export async function meetingBySourceId(db: Executor, source: string, externalId: string) {
  const meeting = await db
    .selectFrom('meetings')
    .select(['id', 'title', 'starts_at', 'duration_minutes', 'status', 'external_updated_at'])
    .where('source', '=', source)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
  if (!meeting) return null;
  const people = await db
    .selectFrom('meeting_participants')
    .innerJoin('people', 'people.id', 'meeting_participants.person_id')
    .select(['people.username', 'people.email'])
    .where('meeting_participants.meeting_id', '=', meeting.id)
    .execute();
  return { meeting, people };
}

/** Of these meetings, the ones that exist, and who takes part in each (`meetingId:personId`). */
export async function participationOf(
  db: Executor,
  meetingIds: readonly string[],
): Promise<{ meetings: Set<string>; taking: Set<string> }> {
  const meetings = new Set<string>();
  const taking = new Set<string>();
  for (let i = 0; i < meetingIds.length; i += 500) {
    const ids = meetingIds.slice(i, i + 500);
    const people = await db
      .selectFrom('meeting_participants')
      .select(['meeting_id', 'person_id'])
      .where('meeting_id', 'in', ids)
      .execute();
    for (const p of people) taking.add(`${p.meeting_id}:${p.person_id}`);
    const found = await db.selectFrom('meetings').select('id').where('id', 'in', ids).execute();
    for (const m of found) meetings.add(m.id);
  }
  return { meetings, taking };
}

/** A meeting's title, for naming it (a filter's label); undefined when there is none. */
export async function meetingTitle(db: Executor, meetingId: string) {
  return db.selectFrom('meetings').select(['id', 'title']).where('id', '=', meetingId).executeTakeFirst();
}

/** The ids of the people in one meeting. */
export async function participantIdsOf(db: Executor, meetingId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('meeting_participants')
    .select('person_id')
    .where('meeting_id', '=', meetingId)
    .execute();
  return rows.map((row) => row.person_id);
}
