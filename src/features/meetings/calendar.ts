import type { Config } from '../../config.js';
import { publicUrlOf } from '../../config.js';
import type { Executor } from '../../db/database.js';
import { calendarInvite } from '../../integrations/ics.js';
import { videoRooms } from '../../integrations/jitsi.js';
import { notFound } from '../../lib/errors.js';
import { loadChannels } from '../notifications/channels.js';
import { invitationSequence, invitationUid, mailAddress } from '../notifications/invitation.js';
import { meetingPageUrl, meetingRoomLink } from '../notifications/render.js';
import type { PersonRow } from '../people/presenters.js';
import { findMeetingRow } from './views.js';

/**
 * The meeting as an .ics file to download. Its UID and SEQUENCE are those of the e-mailed
 * invitations (same domain, sequence from updated_at), so a calendar that has both keeps one event.
 * Attendees are left out unless an admin asks: the file must not hand members others' addresses.
 */
export async function meetingCalendarFile(
  db: Executor,
  config: Config,
  props: { meetingId: string; viewer: PersonRow },
): Promise<{ filename: string; content: string }> {
  const meeting = await findMeetingRow(db, props.meetingId);
  if (!meeting?.starts_at) throw notFound('This meeting has no time yet, so there is nothing to add to a calendar.');
  const channels = await loadChannels(db);
  const from = channels.find((c) => c.channel === 'email')?.settings.from ?? config.notifications.email.from;
  const render = { publicUrl: publicUrlOf(config), video: videoRooms(config.video) };
  const page = meetingPageUrl(render, meeting.id);
  // As in messages: a personal Jitsi token expires and is a bearer secret, so it links to the page.
  const link = meetingRoomLink(render, { id: meeting.id, roomUrl: meeting.room_url, roomName: meeting.room_name });
  const attendees =
    props.viewer.role === 'admin'
      ? await db
          .selectFrom('meeting_participants')
          .innerJoin('people', 'people.id', 'meeting_participants.person_id')
          .select(['people.name', 'people.email'])
          .where('meeting_participants.meeting_id', '=', meeting.id)
          .execute()
      : [{ name: props.viewer.name, email: props.viewer.email }];
  const { content } = calendarInvite({
    uid: invitationUid(meeting.id, from),
    title: meeting.title,
    description: [
      meeting.group_name ? `Mixer: ${meeting.group_name}` : null,
      link ? `Video room: ${link}` : null,
      `Meeting page: ${page}`,
    ]
      .filter(Boolean)
      .join('\n'),
    startsAt: meeting.starts_at,
    durationMinutes: meeting.duration_minutes ?? 30,
    url: link,
    organizer: { name: 'Convene', email: mailAddress(from).email },
    attendees: attendees.filter((a) => a.email).map((a) => ({ name: a.name, email: a.email as string })),
    sequence: invitationSequence(meeting.updated_at),
    cancelled: meeting.status === 'cancelled',
  });
  const slug = meeting.title.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-|-$/g, '') || 'meeting';
  return { filename: `${slug}.ics`, content };
}
