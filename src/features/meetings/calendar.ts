import type { Config } from '../../config.js';
import { publicUrlOf } from '../../config.js';
import type { Executor } from '../../db/database.js';
import { calendarInvite } from '../../integrations/ics.js';
import { videoRooms } from '../../integrations/jitsi.js';
import { notFound } from '../../lib/errors.js';
import type { PersonRow } from '../people/presenters.js';
import { loadChannels } from './channels.js';
import { findMeetingRow } from './views.js';

const mailbox = (from: string) => /<([^>]+)>\s*$/.exec(from)?.[1]?.trim() ?? from.trim();

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
  const address = mailbox(from);
  const domain = address.split('@')[1] ?? 'convene.local';
  const page = `${publicUrlOf(config)}/meetings/${meeting.id}`;
  const video = videoRooms(config.video);
  // A personal Jitsi token expires and is a bearer secret: a calendar file links to the meeting page instead.
  const link = meeting.room_url ?? (video.personal ? page : video.roomUrl(meeting.room_name));
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
    uid: `${meeting.id}@${domain}`,
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
    organizer: { name: 'Convene', email: address },
    attendees: attendees.filter((a) => a.email).map((a) => ({ name: a.name, email: a.email as string })),
    sequence: Math.floor(Date.parse(meeting.updated_at) / 1000),
    cancelled: meeting.status === 'cancelled',
  });
  const slug = meeting.title.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-|-$/g, '') || 'meeting';
  return { filename: `${slug}.ics`, content };
}
