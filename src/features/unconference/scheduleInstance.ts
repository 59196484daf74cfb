import type { Pin, SchedulingInstance } from '../../core/scheduling/index.js';
import type { Executor } from '../../db/database.js';
import { notFound } from '../../lib/errors.js';

/** A non-break slot as the console shows it. */
export interface SlotInfo {
  id: string;
  dayId: string;
  startsAt: string;
  endsAt: string;
  label: string;
  locked: boolean;
}

export interface RoomInfo {
  id: string;
  name: string;
  capacity: number;
  url: string | null;
  isPlace: boolean;
}

export interface SessionInfo {
  id: string;
  title: string;
  owners: string[];
  allowedSlots: string[] | null;
  pinnedSlotId: string | null;
  pinnedRoomId: string | null;
}

export interface Placement {
  session: string;
  slot: string;
  room: string;
}

/**
 * Everything scheduling reads about one event, from the tables: the engine's instance (non-break
 * slots, rooms, approved proposals with owners and allowed slots, ratings above None), the working
 * schedule and the pins, plus what the console shows beside them (times, names).
 */
export interface EventSchedule {
  eventId: string;
  eventName: string;
  timezone: string;
  instance: SchedulingInstance;
  slots: SlotInfo[];
  rooms: RoomInfo[];
  sessions: SessionInfo[];
  /** The working schedule (unconf_assignments), restricted to approved proposals in non-break slots. */
  working: Placement[];
  pins: Pin[];
  /** person id -> name, for everyone in the instance. */
  names: Map<string, string>;
}

export async function findUnconferenceEvent(db: Executor, eventId: string) {
  const event = await db
    .selectFrom('events')
    .leftJoin('unconf_settings', 'unconf_settings.event_id', 'events.id')
    .select(['events.id', 'events.name', 'events.phase', 'unconf_settings.timezone'])
    .where('events.id', '=', eventId)
    .where('events.kind', '=', 'unconference')
    .executeTakeFirst();
  if (!event) throw notFound('No such unconference event.');
  return { id: event.id, name: event.name, phase: event.phase, timezone: event.timezone ?? 'UTC' };
}

/** Reads the event's schedule state in a handful of queries (no per-row queries). */
export async function loadEventSchedule(db: Executor, eventId: string): Promise<EventSchedule> {
  const event = await findUnconferenceEvent(db, eventId);
  const [slotRows, roomRows, proposalRows, ownerRows, allowedRows, interestRows, assignmentRows] = await Promise.all([
    db
      .selectFrom('unconf_slots')
      .selectAll()
      .where('event_id', '=', eventId)
      .where('is_break', '=', 0)
      .orderBy('starts_at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('unconf_rooms')
      .selectAll()
      .where('event_id', '=', eventId)
      .orderBy('position')
      .orderBy('name')
      .execute(),
    db
      .selectFrom('unconf_proposals')
      .select(['id', 'title', 'approved_title', 'pinned_slot_id', 'pinned_room_id'])
      .where('event_id', '=', eventId)
      .where('status', '=', 'approved')
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    db.selectFrom('unconf_owners').select(['proposal_id', 'person_id']).where('event_id', '=', eventId).execute(),
    db
      .selectFrom('unconf_allowed_slots')
      .innerJoin('unconf_proposals', 'unconf_proposals.id', 'unconf_allowed_slots.proposal_id')
      .select(['unconf_allowed_slots.proposal_id', 'unconf_allowed_slots.slot_id'])
      .where('unconf_proposals.event_id', '=', eventId)
      .execute(),
    db
      .selectFrom('unconf_interests')
      .select(['proposal_id', 'person_id', 'level'])
      .where('event_id', '=', eventId)
      .where('level', '>', 0)
      .execute(),
    db
      .selectFrom('unconf_assignments')
      .select(['proposal_id', 'slot_id', 'room_id'])
      .where('event_id', '=', eventId)
      .execute(),
  ]);

  const slotIds = new Set(slotRows.map((s) => s.id));
  const roomIds = new Set(roomRows.map((r) => r.id));
  const approved = new Set(proposalRows.map((p) => p.id));
  const ownersOf = new Map<string, string[]>();
  for (const o of ownerRows) {
    if (!approved.has(o.proposal_id)) continue;
    ownersOf.set(o.proposal_id, [...(ownersOf.get(o.proposal_id) ?? []), o.person_id]);
  }
  const allowedOf = new Map<string, string[]>();
  for (const a of allowedRows) {
    if (!approved.has(a.proposal_id)) continue;
    // Allowed slots that have become breaks drop out (an empty list reads as "any slot" to the engine).
    const list = allowedOf.get(a.proposal_id) ?? [];
    if (slotIds.has(a.slot_id)) list.push(a.slot_id);
    allowedOf.set(a.proposal_id, list);
  }

  const sessions: SessionInfo[] = proposalRows.map((p) => ({
    id: p.id,
    title: p.approved_title ?? p.title,
    owners: ownersOf.get(p.id) ?? [],
    allowedSlots: allowedOf.get(p.id) ?? null,
    pinnedSlotId: p.pinned_slot_id && slotIds.has(p.pinned_slot_id) ? p.pinned_slot_id : null,
    pinnedRoomId: p.pinned_room_id && roomIds.has(p.pinned_room_id) ? p.pinned_room_id : null,
  }));

  const interests: Record<string, Record<string, number>> = {};
  const users = new Set<string>();
  for (const i of interestRows) {
    if (!approved.has(i.proposal_id)) continue;
    users.add(i.person_id);
    const mine = interests[i.person_id] ?? {};
    mine[i.proposal_id] = i.level;
    interests[i.person_id] = mine;
  }
  for (const s of sessions) for (const o of s.owners) users.add(o);

  const people = users.size
    ? await db
        .selectFrom('people')
        .select(['id', 'name'])
        .where('id', 'in', [...users])
        .execute()
    : [];
  const names = new Map(people.map((p) => [p.id, p.name]));

  const working = assignmentRows
    .filter((a) => approved.has(a.proposal_id) && slotIds.has(a.slot_id) && roomIds.has(a.room_id))
    .map((a) => ({ session: a.proposal_id, slot: a.slot_id, room: a.room_id }));

  const pins: Pin[] = sessions
    .filter((s) => s.pinnedSlotId)
    .map((s) => ({ session: s.id, slot: s.pinnedSlotId!, ...(s.pinnedRoomId && { room: s.pinnedRoomId }) }));

  const slots: SlotInfo[] = slotRows.map((s) => ({
    id: s.id,
    dayId: s.day_id,
    startsAt: s.starts_at,
    endsAt: s.ends_at,
    label: s.label,
    locked: s.locked === 1,
  }));
  const rooms: RoomInfo[] = roomRows.map((r) => ({
    id: r.id,
    name: r.name,
    capacity: r.capacity,
    url: r.url,
    isPlace: r.is_place === 1,
  }));

  return {
    eventId,
    eventName: event.name,
    timezone: event.timezone,
    instance: {
      name: event.name,
      slots: slots.map((s) => ({ id: s.id, start: s.startsAt, locked: s.locked })),
      rooms: rooms.map((r) => ({ id: r.id, name: r.name, capacity: r.capacity })),
      sessions: sessions.map((s) => ({ id: s.id, title: s.title, owners: s.owners, allowedSlots: s.allowedSlots })),
      users: [...users],
      interests,
    },
    slots,
    rooms,
    sessions,
    working,
    pins,
    names,
  };
}
