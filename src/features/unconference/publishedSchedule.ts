import type { Executor } from '../../db/database.js';
import { notFound } from '../../lib/errors.js';
import type { PersonRow } from '../people/presenters.js';
import { latestVersion } from './versions.js';

/**
 * The published schedule as attendees, feeds and exports read it: the event's newest version and its
 * sessions (titles, times and room names as published), with the timetable (days, slots and breaks,
 * rooms) as it stands. Only the attendee side reads here; publishing writes the version tables.
 */

export interface PublishedEvent {
  id: string;
  name: string;
  description: string;
  timezone: string;
  phase: string;
  videoRooms: boolean;
  scheduleVisible: boolean;
  websiteActive: boolean;
}

export interface PublishedDay {
  id: string;
  date: string;
  label: string;
}

export interface PublishedSlot {
  id: string;
  dayId: string;
  startsAt: string;
  endsAt: string;
  isBreak: boolean;
  label: string;
}

export interface PublishedRoom {
  id: string;
  name: string;
  capacity: number;
  url: string | null;
  isPlace: boolean;
  position: number;
}

export interface PublishedSession {
  id: string;
  title: string;
  slotId: string;
  roomId: string;
  roomName: string;
  startsAt: string;
  endsAt: string;
  meetingId: string | null;
  owners: Array<{ id: string; name: string }>;
}

export interface PublishedSchedule {
  event: PublishedEvent;
  version: { id: string; number: number; publishedAt: string };
  days: PublishedDay[];
  slots: PublishedSlot[];
  rooms: PublishedRoom[];
  sessions: PublishedSession[];
}

/** The event as an unconference, or undefined (another kind, or none). */
export async function findUnconference(db: Executor, eventId: string): Promise<PublishedEvent | undefined> {
  const row = await db
    .selectFrom('events')
    .innerJoin('unconf_settings', 'unconf_settings.event_id', 'events.id')
    .select([
      'events.id',
      'events.name',
      'events.description',
      'events.phase',
      'unconf_settings.timezone',
      'unconf_settings.video_rooms',
      'unconf_settings.schedule_visible',
      'unconf_settings.website_active',
    ])
    .where('events.id', '=', eventId)
    .where('events.kind', '=', 'unconference')
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      name: row.name,
      description: row.description,
      timezone: row.timezone,
      phase: row.phase,
      videoRooms: row.video_rooms === 1,
      scheduleVisible: row.schedule_visible === 1,
      websiteActive: row.website_active === 1,
    }
  );
}

/** Admins always; everyone else once the website is up and the schedule is visible. */
export function canSeeSchedule(event: PublishedEvent, viewer: Pick<PersonRow, 'role'> | null): boolean {
  if (viewer?.role === 'admin') return true;
  return event.websiteActive && event.scheduleVisible;
}

/**
 * The newest published schedule of an event the viewer may see; a 404 (never a 403, so hidden
 * events are not confirmed) when there is none or it is hidden from them.
 */
export async function loadPublishedSchedule(
  db: Executor,
  eventId: string,
  viewer: Pick<PersonRow, 'role'> | null,
): Promise<PublishedSchedule> {
  const [event, version] = await Promise.all([findUnconference(db, eventId), latestVersion(db, eventId)]);
  if (!event || !canSeeSchedule(event, viewer)) throw notFound('No such unconference.');
  if (!version) throw notFound('The schedule of this unconference is not published yet.');
  return readSchedule(db, event, version);
}

export async function readSchedule(
  db: Executor,
  event: PublishedEvent,
  version: PublishedSchedule['version'],
): Promise<PublishedSchedule> {
  const [days, slots, rooms, sessions, owners] = await Promise.all([
    db
      .selectFrom('unconf_days')
      .select(['id', 'date', 'label'])
      .where('event_id', '=', event.id)
      .orderBy('date')
      .execute(),
    db
      .selectFrom('unconf_slots')
      .select(['id', 'day_id', 'starts_at', 'ends_at', 'is_break', 'label'])
      .where('event_id', '=', event.id)
      .orderBy('starts_at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('unconf_rooms')
      .select(['id', 'name', 'capacity', 'url', 'is_place', 'position'])
      .where('event_id', '=', event.id)
      .orderBy('position')
      .orderBy('name_key')
      .execute(),
    db
      .selectFrom('unconf_version_sessions')
      .select(['proposal_id', 'title', 'slot_id', 'room_id', 'room_name', 'starts_at', 'ends_at', 'meeting_id'])
      .where('version_id', '=', version.id)
      .orderBy('starts_at')
      .orderBy('room_name')
      .execute(),
    db
      .selectFrom('unconf_version_sessions')
      .innerJoin('unconf_owners', 'unconf_owners.proposal_id', 'unconf_version_sessions.proposal_id')
      .innerJoin('people', 'people.id', 'unconf_owners.person_id')
      .select(['unconf_owners.proposal_id', 'unconf_owners.role', 'people.id', 'people.name'])
      .where('unconf_version_sessions.version_id', '=', version.id)
      .execute(),
  ]);
  const ownersOf = new Map<string, Array<{ id: string; name: string; role: string }>>();
  for (const o of owners) {
    const list = ownersOf.get(o.proposal_id) ?? [];
    list.push({ id: o.id, name: o.name, role: o.role });
    ownersOf.set(o.proposal_id, list);
  }
  return {
    event,
    version,
    days: days.map((d) => ({ id: d.id, date: d.date, label: d.label })),
    slots: slots.map((s) => ({
      id: s.id,
      dayId: s.day_id,
      startsAt: s.starts_at,
      endsAt: s.ends_at,
      isBreak: s.is_break === 1,
      label: s.label,
    })),
    rooms: rooms.map((r) => ({
      id: r.id,
      name: r.name,
      capacity: r.capacity,
      url: r.url,
      isPlace: r.is_place === 1,
      position: r.position,
    })),
    sessions: sessions.map((s) => ({
      id: s.proposal_id,
      title: s.title,
      slotId: s.slot_id,
      roomId: s.room_id,
      roomName: s.room_name,
      startsAt: s.starts_at,
      endsAt: s.ends_at,
      meetingId: s.meeting_id,
      // The proposer first, then co-owners by name.
      owners: (ownersOf.get(s.proposal_id) ?? [])
        .sort((a, b) => (a.role === b.role ? a.name.localeCompare(b.name) : a.role === 'owner' ? -1 : 1))
        .map(({ id, name }) => ({ id, name })),
    })),
  };
}

/** A person's interest in each of the event's proposals (owners count 100 in their own). */
export async function interestsOf(db: Executor, eventId: string, personId: string): Promise<Map<string, number>> {
  const [rated, owned] = await Promise.all([
    db
      .selectFrom('unconf_interests')
      .select(['proposal_id', 'level'])
      .where('event_id', '=', eventId)
      .where('person_id', '=', personId)
      .execute(),
    db
      .selectFrom('unconf_owners')
      .select('proposal_id')
      .where('event_id', '=', eventId)
      .where('person_id', '=', personId)
      .execute(),
  ]);
  const map = new Map(rated.map((r) => [r.proposal_id, r.level]));
  for (const o of owned) map.set(o.proposal_id, 100);
  return map;
}

/** The description attendees see: the approved text while an edit waits for approval. */
export async function sessionDescription(db: Executor, proposalId: string): Promise<string> {
  const row = await db
    .selectFrom('unconf_proposals')
    .select(['description_html', 'approved_description_html', 'edit_pending'])
    .where('id', '=', proposalId)
    .executeTakeFirst();
  if (!row) return '';
  return row.edit_pending === 1 && row.approved_description_html !== null
    ? row.approved_description_html
    : row.description_html;
}

/** The descriptions attendees see, for many sessions at once (exports). */
export async function sessionDescriptions(db: Executor, proposalIds: readonly string[]): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  for (let i = 0; i < proposalIds.length; i += 500) {
    const rows = await db
      .selectFrom('unconf_proposals')
      .select(['id', 'description_html', 'approved_description_html', 'edit_pending'])
      .where('id', 'in', proposalIds.slice(i, i + 500))
      .execute();
    for (const row of rows) {
      map.set(
        row.id,
        row.edit_pending === 1 && row.approved_description_html !== null
          ? row.approved_description_html
          : row.description_html,
      );
    }
  }
  return map;
}
