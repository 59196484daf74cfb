import type { AgendaView, GridView, SessionView } from '../../contract/unconferenceAttend.js';
import type { Executor } from '../../db/database.js';
import type { VideoRooms } from '../../integrations/jitsi.js';
import { notFound } from '../../lib/errors.js';
import { sessionVideoRoom } from '../meetings/queries.js';
import type { PersonRow } from '../people/presenters.js';
import { attendanceOf } from './attendance.js';
import {
  interestsOf,
  loadPublishedSchedule,
  type PublishedSchedule,
  type PublishedSession,
  sessionDescription,
} from './publishedSchedule.js';

/** The timezone a page shows: the one asked for, else the viewer's own, else the event's. */
export function viewingTimezone(schedule: PublishedSchedule, viewer: PersonRow | null, asked?: string): string {
  return asked ?? viewer?.timezone ?? schedule.event.timezone;
}

const presentEvent = (schedule: PublishedSchedule) => ({
  id: schedule.event.id,
  name: schedule.event.name,
  timezone: schedule.event.timezone,
  phase: schedule.event.phase,
  version: { number: schedule.version.number, publishedAt: schedule.version.publishedAt },
});

const presentRoom = (room: PublishedSchedule['rooms'][number]) => ({
  id: room.id,
  name: room.name,
  capacity: room.capacity,
  url: room.url,
  isPlace: room.isPlace,
});

/** The timetable grid: per day its slots (breaks included) and the sessions in each, by room. */
export async function timetableGrid(
  db: Executor,
  props: { eventId: string; viewer: PersonRow | null; tz?: string },
): Promise<GridView> {
  // My ratings are read alongside the schedule (they need only the event's id); thrown away if it is hidden.
  const ratings = props.viewer ? interestsOf(db, props.eventId, props.viewer.id) : Promise.resolve(null);
  ratings.catch(() => undefined);
  const schedule = await loadPublishedSchedule(db, props.eventId, props.viewer);
  const [attendance, mine] = await Promise.all([attendanceOf(db, schedule), ratings]);
  const capacity = new Map(schedule.rooms.map((r) => [r.id, r.capacity]));
  const position = new Map(schedule.rooms.map((r, i) => [r.id, i]));
  const bySlot = groupBySlot(schedule.sessions);
  return {
    event: presentEvent(schedule),
    timezone: viewingTimezone(schedule, props.viewer, props.tz),
    rooms: schedule.rooms.map(presentRoom),
    days: schedule.days.map((day) => ({
      id: day.id,
      date: day.date,
      label: day.label,
      slots: schedule.slots
        .filter((slot) => slot.dayId === day.id)
        .map((slot) => ({
          id: slot.id,
          startsAt: slot.startsAt,
          endsAt: slot.endsAt,
          isBreak: slot.isBreak,
          label: slot.label,
          sessions: (bySlot.get(slot.id) ?? [])
            .sort((a, b) => (position.get(a.roomId) ?? 1e9) - (position.get(b.roomId) ?? 1e9))
            .map((s) => {
              const people = attendance.get(s.id) ?? 0;
              const room = capacity.get(s.roomId) ?? 0;
              return {
                id: s.id,
                title: s.title,
                roomId: s.roomId,
                attendance: people,
                capacity: room,
                overflowing: people > room,
                owners: s.owners,
                myInterest: mine ? (mine.get(s.id) ?? 0) : null,
              };
            }),
        })),
    })),
  };
}

function groupBySlot(sessions: readonly PublishedSession[]): Map<string, PublishedSession[]> {
  const map = new Map<string, PublishedSession[]>();
  for (const s of sessions) map.set(s.slotId, [...(map.get(s.slotId) ?? []), s]);
  return map;
}

/** One slot's choices for a person, best first: my interest, then expected attendance, then title. */
export function rankChoices(
  sessions: readonly PublishedSession[],
  interest: ReadonlyMap<string, number>,
  attendance: ReadonlyMap<string, number>,
) {
  return sessions
    .map((s) => ({
      id: s.id,
      title: s.title,
      roomId: s.roomId,
      roomName: s.roomName,
      interest: interest.get(s.id) ?? 0,
      attendance: attendance.get(s.id) ?? 0,
    }))
    .sort((a, b) => b.interest - a.interest || b.attendance - a.attendance || a.title.localeCompare(b.title));
}

/**
 * My agenda: in each slot the session I'd attend (my highest interest, owners 100; none when I rated
 * none of them) and the alternatives; breaks are kept so the day reads as it will be lived.
 */
export async function myAgenda(
  db: Executor,
  props: { eventId: string; viewer: PersonRow; tz?: string },
): Promise<AgendaView> {
  const ratings = interestsOf(db, props.eventId, props.viewer.id);
  ratings.catch(() => undefined);
  const schedule = await loadPublishedSchedule(db, props.eventId, props.viewer);
  return agendaOf(db, schedule, props.viewer, props.tz, ratings);
}

export async function agendaOf(
  db: Executor,
  schedule: PublishedSchedule,
  viewer: PersonRow,
  tz?: string,
  ratings: Promise<Map<string, number>> = interestsOf(db, schedule.event.id, viewer.id),
): Promise<AgendaView> {
  const [attendance, mine] = await Promise.all([attendanceOf(db, schedule), ratings]);
  const bySlot = groupBySlot(schedule.sessions);
  return {
    event: presentEvent(schedule),
    timezone: viewingTimezone(schedule, viewer, tz),
    slots: schedule.slots
      .filter((slot) => slot.isBreak || bySlot.has(slot.id))
      .map((slot) => {
        const ranked = rankChoices(bySlot.get(slot.id) ?? [], mine, attendance);
        const pick = ranked[0] && ranked[0].interest > 0 ? ranked[0] : null;
        return {
          slotId: slot.id,
          dayId: slot.dayId,
          startsAt: slot.startsAt,
          endsAt: slot.endsAt,
          isBreak: slot.isBreak,
          label: slot.label,
          pick,
          alternatives: pick ? ranked.slice(1) : ranked,
        };
      }),
  };
}

/** One session's page: time, room (its link), the video room for a signed-in viewer, who is expected. */
export async function sessionPage(
  db: Executor,
  props: { sessionId: string; viewer: PersonRow | null; video: VideoRooms },
): Promise<SessionView> {
  const proposal = await db
    .selectFrom('unconf_proposals')
    .select(['event_id'])
    .where('id', '=', props.sessionId)
    .executeTakeFirst();
  if (!proposal) throw notFound('No such session.');
  const schedule = await loadPublishedSchedule(db, proposal.event_id, props.viewer);
  const session = schedule.sessions.find((s) => s.id === props.sessionId);
  if (!session) throw notFound('This proposal is not in the published schedule.');
  const [attendance, mine, descriptionHtml] = await Promise.all([
    attendanceOf(db, schedule),
    props.viewer ? interestsOf(db, schedule.event.id, props.viewer.id) : Promise.resolve(null),
    sessionDescription(db, session.id),
  ]);
  const room = schedule.rooms.find((r) => r.id === session.roomId) ?? {
    id: session.roomId,
    name: session.roomName,
    capacity: 0,
    url: null,
    isPlace: true,
    position: 0,
  };
  const slot = schedule.slots.find((s) => s.id === session.slotId);
  const day = slot && schedule.days.find((d) => d.id === slot.dayId);
  const people = attendance.get(session.id) ?? 0;
  let videoUrl: string | null = null;
  if (props.viewer && schedule.event.videoRooms && session.meetingId) {
    videoUrl = await sessionVideoRoom(db, props.video, { meetingId: session.meetingId, viewer: props.viewer });
  }
  return {
    event: presentEvent(schedule),
    session: {
      id: session.id,
      title: session.title,
      descriptionHtml,
      owners: session.owners,
      startsAt: session.startsAt,
      endsAt: session.endsAt,
      dayLabel: day ? day.label || day.date : '',
      room: presentRoom(room),
      attendance: people,
      overflowing: people > room.capacity,
      myInterest: mine ? (mine.get(session.id) ?? 0) : null,
      videoUrl,
      alongside: schedule.sessions
        .filter((s) => s.slotId === session.slotId && s.id !== session.id)
        .map((s) => ({ id: s.id, title: s.title, roomName: s.roomName })),
    },
  };
}
