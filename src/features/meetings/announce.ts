import type { Selectable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { MeetingsTable, NotificationChannel, NotificationKind } from '../../db/schema.js';
import { newRoomName } from '../../integrations/jitsi.js';
import { type MessageMeeting, type Queued, queueMeetingMessages } from '../notifications/queue.js';
import { contactsOf } from '../people/contacts.js';

const CHUNK = 400;

/** What a message needs of a meeting row. */
export type AnnouncedMeeting = Pick<
  Selectable<MeetingsTable>,
  | 'id'
  | 'title'
  | 'starts_at'
  | 'duration_minutes'
  | 'room_name'
  | 'room_url'
  | 'group_id'
  | 'origin'
  | 'origin_name'
  | 'status'
  | 'intro_template'
  | 'reminder_template'
  | 'follow_up_template'
  | 'reminder_minutes'
  | 'follow_up_days'
  | 'created_at'
  | 'updated_at'
>;

type Participation = { meeting_id: string; person_id: string };

/**
 * Hands meetings to the notification pipeline as they are now, in the caller's transaction: the
 * one way a meeting's change becomes messages. A meeting that has no video room yet gets one first
 * (rows made before rooms were given at creation). `only` limits who is told (people added or
 * removed); a 'cancel' to `only` of a meeting that is not cancelled tells them they were removed. Returns what was queued and whom it tells, by which channels.
 */
export async function announceMeetings(
  trx: Executor,
  props: {
    meetingIds: string[];
    kind: NotificationKind;
    revision?: string;
    only?: string[];
    /** false: no webhook event (see MessageMeeting.webhook). */
    webhook?: boolean;
    now?: Date;
    /**
     * The meetings as just written in this transaction, with their participants (`createMeetings`):
     * used as they are instead of read back.
     */
    known?: { meetings: readonly AnnouncedMeeting[]; participation: ReadonlyArray<Participation> };
  },
): Promise<Queued> {
  let queued = 0;
  const told = new Set<string>();
  const channels = new Set<NotificationChannel>();
  for (let i = 0; i < props.meetingIds.length; i += CHUNK) {
    const ids = props.meetingIds.slice(i, i + CHUNK);
    const meetings: AnnouncedMeeting[] = props.known
      ? props.known.meetings.slice(i, i + CHUNK)
      : await trx.selectFrom('meetings').selectAll().where('id', 'in', ids).execute();
    for (const meeting of meetings) {
      if (meeting.room_name || meeting.room_url || props.kind === 'cancel') continue;
      meeting.room_name = newRoomName(meeting.origin_name ?? meeting.title);
      await trx.updateTable('meetings').set({ room_name: meeting.room_name }).where('id', '=', meeting.id).execute();
    }
    const chunk = new Set(ids);
    const participation = props.known
      ? props.known.participation.filter((p) => chunk.has(p.meeting_id))
      : await trx
          .selectFrom('meeting_participants')
          .select(['meeting_id', 'person_id'])
          .where('meeting_id', 'in', ids)
          .execute();
    const contacts = await contactsOf(
      trx,
      participation.map((p) => p.person_id),
    );
    const byMeeting = new Map<string, string[]>();
    for (const p of participation) byMeeting.set(p.meeting_id, [...(byMeeting.get(p.meeting_id) ?? []), p.person_id]);
    const drafts: MessageMeeting[] = meetings.map((m) => ({
      id: m.id,
      title: m.title,
      startsAt: m.starts_at,
      durationMinutes: m.duration_minutes,
      roomName: m.room_name,
      roomUrl: m.room_url,
      groupId: m.group_id,
      origin: m.origin,
      originName: m.origin_name,
      introTemplate: m.intro_template,
      reminderTemplate: m.reminder_template,
      followUpTemplate: m.follow_up_template,
      reminderMinutes: m.reminder_minutes,
      followUpDays: m.follow_up_days,
      createdAt: m.created_at,
      updatedAt: m.updated_at,
      participants: (byMeeting.get(m.id) ?? [])
        .flatMap((id) => contacts.get(id) ?? [])
        .sort((a, b) => a.name.localeCompare(b.name)),
      only: props.only,
      webhook: props.webhook,
      // A 'cancel' to `only` of a meeting still on is a removal notice (see MessageMeeting.status).
      status: m.status,
    }));
    const part = await queueMeetingMessages(trx, {
      meetings: drafts,
      kind: props.kind,
      ...(props.revision !== undefined && { revision: props.revision }),
      ...(props.now && { now: props.now }),
    });
    queued += part.queued;
    for (const id of part.told) told.add(id);
    for (const channel of part.channels) channels.add(channel);
  }
  return { queued, told: [...told], channels: [...channels] };
}
