import type { TimetableFile } from '../../contract/unconference.js';
import { recordAudit } from '../../db/audit.js';
import type { Db, Executor, Tx } from '../../db/database.js';
import { AppError, badRequest, conflict, notFound } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { nameKey } from '../../lib/nameKey.js';
import { endClock, utcToZoned, zonedToUtc } from './clock.js';
import {
  type DayRow,
  findUnconferenceEvent,
  isUniqueViolation,
  loadTimetable,
  type RoomRow,
  type SlotRow,
  sessionsHeldBy,
  type UnconfEventRow,
} from './queries.js';

/** Room names are unique per event whatever their case and spacing. */
export const roomNameKey = nameKey;

function held(what: string, counts: { working: number; published: number }): AppError | null {
  const parts: string[] = [];
  if (counts.working) parts.push(`${counts.working} in the working schedule`);
  if (counts.published) parts.push(`${counts.published} in a published version`);
  if (!parts.length) return null;
  return conflict(
    `${what} holds sessions (${parts.join(', ')}): move them elsewhere in the schedule before removing it.`,
  );
}

async function eventFor(trx: Executor, eventId: string): Promise<UnconfEventRow> {
  const event = await findUnconferenceEvent(trx, eventId);
  if (!event) throw notFound('No such event.');
  return event;
}

/** A null actor is the system (the demo, a seed): the audit log shows "system". */
async function audit(trx: Tx, actorId: string | null, action: string, eventId: string, data: Record<string, unknown>) {
  await recordAudit(trx, { actorId, action, subjectType: 'event', subjectId: eventId, data });
}

/** A slot's UTC times from its day and wall-clock times; the end must come after the start. */
function slotTimes(date: string, start: string, end: string, timeZone: string, field = 'end') {
  const startsAt = zonedToUtc(date, start, timeZone);
  const endsAt = zonedToUtc(date, end, timeZone);
  if (endsAt <= startsAt) throw badRequest(`${field}: must be after the start (${start}).`, field);
  return { startsAt, endsAt };
}

/** The first slot of `slots` (other than `exceptId`) that [startsAt, endsAt) overlaps. */
const overlapping = (slots: SlotRow[], startsAt: string, endsAt: string, exceptId?: string) =>
  slots.find((slot) => slot.id !== exceptId && slot.starts_at < endsAt && slot.ends_at > startsAt);

function overlapError(slot: SlotRow, day: DayRow, timeZone: string, field = 'start'): AppError {
  const start = utcToZoned(slot.starts_at, timeZone).time;
  const end = endClock(slot.starts_at, slot.ends_at, day.date, timeZone);
  return conflict(
    `${field}: overlaps the slot ${start}–${end} on ${day.date}; slots in a day must not overlap.`,
    field,
  );
}

// Days.

export async function addDay(props: { db: Db; actorId: string | null; eventId: string; date: string; label: string }) {
  try {
    return await props.db.transaction().execute(async (trx) => {
      const event = await eventFor(trx, props.eventId);
      const day: DayRow = { id: newId(), event_id: event.id, date: props.date, label: props.label };
      await trx.insertInto('unconf_days').values(day).execute();
      await audit(trx, props.actorId, 'unconference.day.add', event.id, { date: day.date });
      return day;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('date: This event already has that day.', 'date');
    throw error;
  }
}

async function dayOf(trx: Executor, dayId: string): Promise<{ day: DayRow; event: UnconfEventRow }> {
  const day = await trx.selectFrom('unconf_days').selectAll().where('id', '=', dayId).executeTakeFirst();
  if (!day) throw notFound('No such day.');
  return { day, event: await eventFor(trx, day.event_id) };
}

/** Changes a day's label or date; moving it to another date keeps its slots' wall-clock times. */
export async function updateDay(props: {
  db: Db;
  actorId: string | null;
  dayId: string;
  changes: { date?: string; label?: string };
}) {
  try {
    return await props.db.transaction().execute(async (trx) => {
      const { day, event } = await dayOf(trx, props.dayId);
      const tz = event.settings.timezone;
      if (props.changes.date !== undefined && props.changes.date !== day.date) {
        const slots = await trx.selectFrom('unconf_slots').selectAll().where('day_id', '=', day.id).execute();
        for (const slot of slots) {
          const start = utcToZoned(slot.starts_at, tz).time;
          const end = endClock(slot.starts_at, slot.ends_at, day.date, tz);
          const times = slotTimes(props.changes.date, start, end, tz, 'date');
          await trx
            .updateTable('unconf_slots')
            .set({ starts_at: times.startsAt, ends_at: times.endsAt })
            .where('id', '=', slot.id)
            .execute();
        }
      }
      await trx
        .updateTable('unconf_days')
        .set({
          ...(props.changes.date !== undefined && { date: props.changes.date }),
          ...(props.changes.label !== undefined && { label: props.changes.label }),
        })
        .where('id', '=', day.id)
        .execute();
      await audit(trx, props.actorId, 'unconference.day.update', event.id, { dayId: day.id, ...props.changes });
      return event.id;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('date: This event already has that day.', 'date');
    throw error;
  }
}

export async function deleteDay(props: { db: Db; actorId: string | null; dayId: string }) {
  return props.db.transaction().execute(async (trx) => {
    const { day, event } = await dayOf(trx, props.dayId);
    const slotIds = (await trx.selectFrom('unconf_slots').select('id').where('day_id', '=', day.id).execute()).map(
      (slot) => slot.id,
    );
    const refusal = held(`The day ${day.date}`, await sessionsHeldBy(trx, { slotIds }));
    if (refusal) throw refusal;
    await trx.deleteFrom('unconf_days').where('id', '=', day.id).execute();
    await audit(trx, props.actorId, 'unconference.day.delete', event.id, { date: day.date, slots: slotIds.length });
    return event.id;
  });
}

// Slots.

export async function addSlot(props: {
  db: Db;
  actorId: string | null;
  eventId: string;
  input: { dayId: string; start: string; end: string; isBreak: boolean; label: string };
}) {
  return props.db.transaction().execute(async (trx) => {
    const event = await eventFor(trx, props.eventId);
    const day = await trx
      .selectFrom('unconf_days')
      .selectAll()
      .where('id', '=', props.input.dayId)
      .where('event_id', '=', event.id)
      .executeTakeFirst();
    if (!day) throw badRequest('dayId: no such day in this event.', 'dayId');
    const tz = event.settings.timezone;
    const { startsAt, endsAt } = slotTimes(day.date, props.input.start, props.input.end, tz);
    const daySlots = await trx.selectFrom('unconf_slots').selectAll().where('day_id', '=', day.id).execute();
    const clash = overlapping(daySlots, startsAt, endsAt);
    if (clash) throw overlapError(clash, day, tz);
    const slot: SlotRow = {
      id: newId(),
      event_id: event.id,
      day_id: day.id,
      starts_at: startsAt,
      ends_at: endsAt,
      is_break: props.input.isBreak ? 1 : 0,
      label: props.input.label,
      locked: 0,
    };
    await trx.insertInto('unconf_slots').values(slot).execute();
    await audit(trx, props.actorId, 'unconference.slot.add', event.id, { slotId: slot.id, startsAt, endsAt });
    return slot;
  });
}

async function slotOf(trx: Executor, slotId: string) {
  const slot = await trx.selectFrom('unconf_slots').selectAll().where('id', '=', slotId).executeTakeFirst();
  if (!slot) throw notFound('No such slot.');
  const event = await eventFor(trx, slot.event_id);
  const day = (await trx
    .selectFrom('unconf_days')
    .selectAll()
    .where('id', '=', slot.day_id)
    .executeTakeFirst()) as DayRow;
  return { slot, event, day };
}

export async function updateSlot(props: {
  db: Db;
  actorId: string | null;
  slotId: string;
  changes: { start?: string; end?: string; isBreak?: boolean; label?: string };
}) {
  return props.db.transaction().execute(async (trx) => {
    const { slot, event, day } = await slotOf(trx, props.slotId);
    const tz = event.settings.timezone;
    const start = props.changes.start ?? utcToZoned(slot.starts_at, tz).time;
    const end = props.changes.end ?? endClock(slot.starts_at, slot.ends_at, day.date, tz);
    const { startsAt, endsAt } = slotTimes(day.date, start, end, tz);
    const daySlots = await trx.selectFrom('unconf_slots').selectAll().where('day_id', '=', day.id).execute();
    const clash = overlapping(daySlots, startsAt, endsAt, slot.id);
    if (clash) throw overlapError(clash, day, tz, props.changes.start !== undefined ? 'start' : 'end');
    if (props.changes.isBreak && !slot.is_break) {
      const refusal = held(
        `The slot ${start}–${end} on ${day.date}`,
        await sessionsHeldBy(trx, { slotIds: [slot.id] }),
      );
      if (refusal) throw new AppError('conflict', `isBreak: ${refusal.message}`, 'isBreak');
    }
    await trx
      .updateTable('unconf_slots')
      .set({
        starts_at: startsAt,
        ends_at: endsAt,
        ...(props.changes.isBreak !== undefined && { is_break: props.changes.isBreak ? 1 : 0 }),
        ...(props.changes.label !== undefined && { label: props.changes.label }),
      })
      .where('id', '=', slot.id)
      .execute();
    await audit(trx, props.actorId, 'unconference.slot.update', event.id, { slotId: slot.id, ...props.changes });
    return event.id;
  });
}

export async function deleteSlot(props: { db: Db; actorId: string | null; slotId: string }) {
  return props.db.transaction().execute(async (trx) => {
    const { slot, event, day } = await slotOf(trx, props.slotId);
    const tz = event.settings.timezone;
    const name = `The slot ${utcToZoned(slot.starts_at, tz).time}–${endClock(slot.starts_at, slot.ends_at, day.date, tz)} on ${day.date}`;
    const refusal = held(name, await sessionsHeldBy(trx, { slotIds: [slot.id] }));
    if (refusal) throw refusal;
    await trx.deleteFrom('unconf_slots').where('id', '=', slot.id).execute();
    await audit(trx, props.actorId, 'unconference.slot.delete', event.id, { slotId: slot.id });
    return event.id;
  });
}

// Rooms.

export interface RoomInput {
  name: string;
  capacity: number;
  url: string | null;
  isPlace: boolean;
}

const roomTaken = () => conflict('name: This event already has a room with that name.', 'name');

export async function addRoom(props: { db: Db; actorId: string | null; eventId: string; input: RoomInput }) {
  try {
    return await props.db.transaction().execute(async (trx) => {
      const event = await eventFor(trx, props.eventId);
      const last = await trx
        .selectFrom('unconf_rooms')
        .select((eb) => eb.fn.max('position').as('max'))
        .where('event_id', '=', event.id)
        .executeTakeFirst();
      const room: RoomRow = {
        id: newId(),
        event_id: event.id,
        name: props.input.name,
        name_key: roomNameKey(props.input.name),
        capacity: props.input.capacity,
        url: props.input.url,
        is_place: props.input.isPlace ? 1 : 0,
        position: Number(last?.max ?? -1) + 1,
      };
      await trx.insertInto('unconf_rooms').values(room).execute();
      await audit(trx, props.actorId, 'unconference.room.add', event.id, { roomId: room.id, name: room.name });
      return room;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw roomTaken();
    throw error;
  }
}

async function roomOf(trx: Executor, roomId: string) {
  const room = await trx.selectFrom('unconf_rooms').selectAll().where('id', '=', roomId).executeTakeFirst();
  if (!room) throw notFound('No such room.');
  return { room, event: await eventFor(trx, room.event_id) };
}

export async function updateRoom(props: {
  db: Db;
  actorId: string | null;
  roomId: string;
  changes: Partial<RoomInput>;
}) {
  const { changes } = props;
  try {
    return await props.db.transaction().execute(async (trx) => {
      const { room, event } = await roomOf(trx, props.roomId);
      await trx
        .updateTable('unconf_rooms')
        .set({
          ...(changes.name !== undefined && { name: changes.name, name_key: roomNameKey(changes.name) }),
          ...(changes.capacity !== undefined && { capacity: changes.capacity }),
          ...(changes.url !== undefined && { url: changes.url }),
          ...(changes.isPlace !== undefined && { is_place: changes.isPlace ? 1 : 0 }),
        })
        .where('id', '=', room.id)
        .execute();
      await audit(trx, props.actorId, 'unconference.room.update', event.id, { roomId: room.id, ...changes });
      return event.id;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw roomTaken();
    throw error;
  }
}

export async function deleteRoom(props: { db: Db; actorId: string | null; roomId: string }) {
  return props.db.transaction().execute(async (trx) => {
    const { room, event } = await roomOf(trx, props.roomId);
    const refusal = held(`The room "${room.name}"`, await sessionsHeldBy(trx, { roomIds: [room.id] }));
    if (refusal) throw refusal;
    await trx.deleteFrom('unconf_rooms').where('id', '=', room.id).execute();
    await audit(trx, props.actorId, 'unconference.room.delete', event.id, { roomId: room.id, name: room.name });
    return event.id;
  });
}

/**
 * Keeps every slot at its wall-clock time when the event's time zone changes (called inside the
 * event update's transaction).
 */
export async function reanchorSlots(trx: Tx, eventId: string, fromZone: string, toZone: string): Promise<void> {
  if (fromZone === toZone) return;
  const { days, slots } = await loadTimetable(trx, eventId);
  const dates = new Map(days.map((day) => [day.id, day.date]));
  for (const slot of slots) {
    const date = dates.get(slot.day_id) as string;
    const start = utcToZoned(slot.starts_at, fromZone).time;
    const end = endClock(slot.starts_at, slot.ends_at, date, fromZone);
    await trx
      .updateTable('unconf_slots')
      .set({ starts_at: zonedToUtc(date, start, toZone), ends_at: zonedToUtc(date, end, toZone) })
      .where('id', '=', slot.id)
      .execute();
  }
}

// The timetable as a file.

/** The timetable in the file format that `importTimetable` reads back. */
export async function exportTimetable(db: Executor, eventId: string): Promise<TimetableFile> {
  const event = await eventFor(db, eventId);
  const tz = event.settings.timezone;
  const { days, slots, rooms } = await loadTimetable(db, eventId);
  return {
    version: 1,
    timezone: tz,
    days: days.map((day) => ({
      date: day.date,
      label: day.label,
      slots: slots
        .filter((slot) => slot.day_id === day.id)
        .map((slot) => ({
          start: utcToZoned(slot.starts_at, tz).time,
          end: endClock(slot.starts_at, slot.ends_at, day.date, tz),
          break: slot.is_break === 1,
          label: slot.label,
        })),
    })),
    rooms: rooms.map((room) => ({
      name: room.name,
      capacity: room.capacity,
      url: room.url,
      place: room.is_place === 1,
    })),
  };
}

/** Checks a file on its own (dates once, slots in order without overlaps, room names once); throws naming the field. */
function checkFile(file: TimetableFile, timeZone: string) {
  const dates = new Set<string>();
  const days = file.days.map((day, d) => {
    if (dates.has(day.date)) throw badRequest(`days[${d}].date: ${day.date} appears twice.`, `days[${d}].date`);
    dates.add(day.date);
    const slots = day.slots.map((slot, s) => {
      const field = `days[${d}].slots[${s}].end`;
      return { ...slot, ...slotTimes(day.date, slot.start, slot.end, timeZone, field), index: s };
    });
    for (const slot of slots) {
      const clash = slots.find(
        (other) => other.index < slot.index && other.startsAt < slot.endsAt && other.endsAt > slot.startsAt,
      );
      if (clash) {
        const field = `days[${d}].slots[${slot.index}].start`;
        throw badRequest(`${field}: overlaps ${clash.start}–${clash.end} on ${day.date}.`, field);
      }
    }
    return { ...day, slots };
  });
  const names = new Set<string>();
  file.rooms.forEach((room, r) => {
    const key = roomNameKey(room.name);
    if (names.has(key)) throw badRequest(`rooms[${r}].name: "${room.name}" appears twice.`, `rooms[${r}].name`);
    names.add(key);
  });
  return days;
}

/**
 * Replaces the timetable with a file's, in one transaction: days are matched by date, slots by day
 * and start time, rooms by name, so what is kept keeps its id (and the sessions, allowed slots and
 * pins that point at it). A slot, day or room the file leaves out is removed, unless it holds
 * sessions: then nothing is changed and the answer says which.
 */
export async function importTimetable(props: {
  db: Db;
  actorId: string | null;
  eventId: string;
  file: TimetableFile;
}): Promise<{ days: number; slots: number; rooms: number; removed: number }> {
  return props.db.transaction().execute(async (trx) => {
    const event = await eventFor(trx, props.eventId);
    const fromZone = event.settings.timezone;
    const tz = props.file.timezone ?? fromZone;
    const days = checkFile(props.file, tz);
    const current = await loadTimetable(trx, event.id);
    const dayByDate = new Map(current.days.map((day) => [day.date, day]));
    const dateOfDay = new Map(current.days.map((day) => [day.id, day.date]));
    const slotKey = (date: string, start: string) => `${date} ${start}`;
    const slotByKey = new Map(
      current.slots.map((slot) => [
        slotKey(dateOfDay.get(slot.day_id) as string, utcToZoned(slot.starts_at, fromZone).time),
        slot,
      ]),
    );
    const roomByKey = new Map(current.rooms.map((room) => [room.name_key, room]));

    const keptSlots = new Set<string>();
    const keptDays = new Set<string>();
    const keptRooms = new Set<string>();
    for (const day of days) {
      const found = dayByDate.get(day.date);
      if (found) {
        keptDays.add(found.id);
        for (const slot of day.slots) {
          const match = slotByKey.get(slotKey(day.date, slot.start));
          if (match && match.day_id === found.id) keptSlots.add(match.id);
        }
      }
    }
    for (const room of props.file.rooms) {
      const match = roomByKey.get(roomNameKey(room.name));
      if (match) keptRooms.add(match.id);
    }
    const goneSlots = current.slots.filter((slot) => !keptSlots.has(slot.id));
    const goneRooms = current.rooms.filter((room) => !keptRooms.has(room.id));
    const slotsHeld = await sessionsHeldBy(trx, { slotIds: goneSlots.map((slot) => slot.id) });
    const slotRefusal = held(`A slot the file leaves out (${goneSlots.length} in all)`, slotsHeld);
    if (slotRefusal) throw new AppError('conflict', `days: ${slotRefusal.message}`, 'days');
    const roomsHeld = await sessionsHeldBy(trx, { roomIds: goneRooms.map((room) => room.id) });
    const roomRefusal = held(
      `A room the file leaves out (${goneRooms.map((room) => room.name).join(', ')})`,
      roomsHeld,
    );
    if (roomRefusal) throw new AppError('conflict', `rooms: ${roomRefusal.message}`, 'rooms');

    // Removals first, so a kept slot can take a place a removed one had.
    if (goneSlots.length) {
      await trx
        .deleteFrom('unconf_slots')
        .where(
          'id',
          'in',
          goneSlots.map((slot) => slot.id),
        )
        .execute();
    }
    const goneDays = current.days.filter((day) => !keptDays.has(day.id));
    if (goneDays.length) {
      await trx
        .deleteFrom('unconf_days')
        .where(
          'id',
          'in',
          goneDays.map((day) => day.id),
        )
        .execute();
    }
    if (goneRooms.length) {
      await trx
        .deleteFrom('unconf_rooms')
        .where(
          'id',
          'in',
          goneRooms.map((room) => room.id),
        )
        .execute();
    }
    if (tz !== fromZone)
      await trx.updateTable('unconf_settings').set({ timezone: tz }).where('event_id', '=', event.id).execute();

    let slotCount = 0;
    for (const day of days) {
      let dayId = dayByDate.get(day.date)?.id;
      if (dayId) await trx.updateTable('unconf_days').set({ label: day.label }).where('id', '=', dayId).execute();
      else {
        dayId = newId();
        await trx
          .insertInto('unconf_days')
          .values({ id: dayId, event_id: event.id, date: day.date, label: day.label })
          .execute();
      }
      for (const slot of day.slots) {
        slotCount++;
        const values = {
          starts_at: slot.startsAt,
          ends_at: slot.endsAt,
          is_break: slot.break ? 1 : 0,
          label: slot.label,
        } as const;
        const match = slotByKey.get(slotKey(day.date, slot.start));
        if (match && keptSlots.has(match.id)) {
          await trx.updateTable('unconf_slots').set(values).where('id', '=', match.id).execute();
        } else {
          await trx
            .insertInto('unconf_slots')
            .values({ id: newId(), event_id: event.id, day_id: dayId, locked: 0, ...values })
            .execute();
        }
      }
    }
    for (const [position, room] of props.file.rooms.entries()) {
      const values = {
        name: room.name,
        name_key: roomNameKey(room.name),
        capacity: room.capacity,
        url: room.url,
        is_place: room.place ? 1 : 0,
        position,
      } as const;
      const match = roomByKey.get(values.name_key);
      if (match) await trx.updateTable('unconf_rooms').set(values).where('id', '=', match.id).execute();
      else
        await trx
          .insertInto('unconf_rooms')
          .values({ id: newId(), event_id: event.id, ...values })
          .execute();
    }
    const removed = goneSlots.length + goneRooms.length + goneDays.length;
    await audit(trx, props.actorId, 'unconference.timetable.import', event.id, {
      days: days.length,
      slots: slotCount,
      rooms: props.file.rooms.length,
      removed,
    });
    return { days: days.length, slots: slotCount, rooms: props.file.rooms.length, removed };
  });
}
