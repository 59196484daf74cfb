import type { Executor } from '../../db/database.js';
import { calendarFeed, type FeedEvent } from '../../integrations/ics.js';
import { notFound } from '../../lib/errors.js';
import type { PersonRow } from '../people/presenters.js';
import { agendaOf } from '../unconference/agenda.js';
import { loadPublishedSchedule, type PublishedSchedule } from '../unconference/publishedSchedule.js';

export type UnconferenceFeedKind = { kind: 'agenda' } | { kind: 'event' } | { kind: 'room'; roomId: string };

/** The page a calendar entry links to: joining a video room may need a personal token, so never the room itself. */
export const sessionPageUrl = (publicUrl: string, sessionId: string) =>
  `${publicUrl}/unconference/sessions/${sessionId}`;

function entry(schedule: PublishedSchedule, publicUrl: string, sessionId: string): FeedEvent | null {
  const session = schedule.sessions.find((s) => s.id === sessionId);
  if (!session) return null;
  const room = schedule.rooms.find((r) => r.id === session.roomId);
  const page = sessionPageUrl(publicUrl, session.id);
  const owners = session.owners.map((o) => o.name).join(', ');
  return {
    // The proposal's id: the same event across versions, so a moved session moves in the calendar.
    uid: `unconference-${session.id}@convene`,
    title: session.title,
    description: [
      `${schedule.event.name} — ${session.roomName}`,
      owners ? `Proposed by ${owners}` : null,
      room?.url ? `Room: ${room.url}` : null,
      `Session page: ${page}`,
    ]
      .filter(Boolean)
      .join('\n'),
    startsAt: session.startsAt,
    endsAt: session.endsAt,
    location: session.roomName,
    url: page,
    sequence: schedule.version.number,
    updatedAt: schedule.version.publishedAt,
  };
}

/**
 * An iCalendar feed for one person (token owner): their agenda (the session they'd attend in each
 * slot), the whole event, or one room. What they may see is what the web pages show them.
 */
export async function unconferenceFeed(
  db: Executor,
  props: { eventId: string; person: PersonRow; feed: UnconferenceFeedKind; publicUrl: string },
): Promise<{ filename: string; content: string }> {
  const schedule = await loadPublishedSchedule(db, props.eventId, props.person);
  let ids: string[];
  let name = schedule.event.name;
  let slug = 'event';
  if (props.feed.kind === 'agenda') {
    const agenda = await agendaOf(db, schedule, props.person);
    ids = agenda.slots.flatMap((slot) => (slot.pick ? [slot.pick.id] : []));
    name = `${schedule.event.name}: my agenda`;
    slug = 'agenda';
  } else if (props.feed.kind === 'room') {
    const { roomId } = props.feed;
    const room = schedule.rooms.find((r) => r.id === roomId);
    if (!room) throw notFound('No such room in this unconference.');
    ids = schedule.sessions.filter((s) => s.roomId === roomId).map((s) => s.id);
    name = `${schedule.event.name}: ${room.name}`;
    slug = 'room';
  } else {
    ids = schedule.sessions.map((s) => s.id);
  }
  const events = ids.flatMap((id) => entry(schedule, props.publicUrl, id) ?? []);
  return {
    filename: `${slug}.ics`,
    content: calendarFeed({ name, timezone: schedule.event.timezone, events }),
  };
}
