import type { Executor } from '../../db/database.js';
import type { NotificationKind } from '../../db/schema.js';
import { newRoomName } from '../../integrations/jitsi.js';
import { type MessageMeeting, queueMeetingMessages } from '../notifications/queue.js';
import { contactsOf } from '../people/contacts.js';

const CHUNK = 400;

/**
 * Hands meetings to the notification pipeline as they are now, in the caller's transaction: the
 * one way a meeting's change becomes messages. A meeting that has no video room yet gets one first
 * (rows made before rooms were given at creation). `only` limits who is told (people added or
 * removed). Returns how many messages were queued.
 */
export async function announceMeetings(
  trx: Executor,
  props: {
    meetingIds: string[];
    kind: NotificationKind;
    revision?: string;
    only?: string[];
    now?: Date;
  },
): Promise<number> {
  let queued = 0;
  for (let i = 0; i < props.meetingIds.length; i += CHUNK) {
    const ids = props.meetingIds.slice(i, i + CHUNK);
    const meetings = await trx.selectFrom('meetings').selectAll().where('id', 'in', ids).execute();
    for (const meeting of meetings) {
      if (meeting.room_name || meeting.room_url || props.kind === 'cancel') continue;
      meeting.room_name = newRoomName(meeting.origin_name ?? meeting.title);
      await trx.updateTable('meetings').set({ room_name: meeting.room_name }).where('id', '=', meeting.id).execute();
    }
    const participation = await trx
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
    }));
    queued += await queueMeetingMessages(trx, {
      meetings: drafts,
      kind: props.kind,
      ...(props.revision !== undefined && { revision: props.revision }),
      ...(props.now && { now: props.now }),
    });
  }
  return queued;
}
