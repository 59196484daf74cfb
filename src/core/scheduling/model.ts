import { SchedulingInputError } from './errors.js';
import { parseCurrent, parsePins } from './instance.js';
import { LEVEL_VALUES } from './levels.js';
import type { SchedulingInstance, SolveOptions } from './types.js';

export { LEVEL_VALUES };

const levelOf = (value: number): number => (value >= 100 ? 3 : value >= 75 ? 2 : value >= 25 ? 1 : 0);

/**
 * The instance in index form, ready for the search: sessions, slots, rooms and users are numbers,
 * each session's non-zero ratings are two flat arrays, and everything the options fix (pins, locked
 * slots) is resolved into `fixedSlot`.
 */
export interface Model {
  nSessions: number;
  nSlots: number;
  nRooms: number;
  nUsers: number;
  sessionIds: string[];
  slotIds: string[];
  roomIds: string[];
  /** CSR by session: users rating it above 0 and their level (1 = 25, 2 = 75, 3 = 100). */
  rStart: Int32Array;
  rUser: Int32Array;
  rLevel: Uint8Array;
  /** Total interest per session (Xen's ordering). */
  totalInterest: Float64Array;
  /** allowed[s * nSlots + t] = 1 when session s may run in slot t (and t is not locked, unless s is fixed there). */
  allowed: Uint8Array;
  /** clash[a * nSessions + b] = 1 when a and b share an owner. */
  clash: Uint8Array;
  clashList: Int32Array[];
  /** Slot a session must keep (pins, locked slots), or -1. */
  fixedSlot: Int32Array;
  /** Room a session must keep, or -1. */
  fixedRoom: Int32Array;
  locked: Uint8Array;
  /** Sessions a slot can hold: the number of rooms. */
  capacity: number;
  /** Slot of each session in the current schedule (-1 = not placed there), for the stay-close cost. */
  currentSlot: Int32Array;
  currentRoom: Int32Array;
  moveWeight: number;
  roomCapacity: Int32Array;
}

export function buildModel(instance: SchedulingInstance, options: SolveOptions = {}): Model {
  const nSessions = instance.sessions.length;
  const nSlots = instance.slots.length;
  const nRooms = instance.rooms.length;
  const nUsers = instance.users.length;
  const sessionIndex = new Map(instance.sessions.map((s, i) => [s.id, i]));
  const slotIndex = new Map(instance.slots.map((s, i) => [s.id, i]));
  const roomIndex = new Map(instance.rooms.map((r, i) => [r.id, i]));
  const userIndex = new Map(instance.users.map((u, i) => [u, i]));

  // Ratings, with owners raised to 100 in their own sessions.
  const perSession: Map<number, number>[] = instance.sessions.map(() => new Map());
  for (const [user, row] of Object.entries(instance.interests)) {
    const u = userIndex.get(user)!;
    for (const [session, value] of Object.entries(row)) {
      const level = levelOf(value);
      if (level > 0) perSession[sessionIndex.get(session)!]!.set(u, level);
    }
  }
  instance.sessions.forEach((session, s) => {
    for (const owner of session.owners) perSession[s]!.set(userIndex.get(owner)!, 3);
  });
  const rStart = new Int32Array(nSessions + 1);
  for (let s = 0; s < nSessions; s++) rStart[s + 1] = rStart[s]! + perSession[s]!.size;
  const rUser = new Int32Array(rStart[nSessions]!);
  const rLevel = new Uint8Array(rStart[nSessions]!);
  const totalInterest = new Float64Array(nSessions);
  for (let s = 0; s < nSessions; s++) {
    let k = rStart[s]!;
    // Sorted by user so that runs are reproducible whatever order the file listed them in.
    for (const [u, level] of [...perSession[s]!].sort((a, b) => a[0] - b[0])) {
      rUser[k] = u;
      rLevel[k] = level;
      totalInterest[s]! += LEVEL_VALUES[level as 1 | 2 | 3];
      k++;
    }
  }

  const locked = new Uint8Array(nSlots);
  instance.slots.forEach((slot, t) => {
    locked[t] = slot.locked ? 1 : 0;
  });

  const clash = new Uint8Array(nSessions * nSessions);
  const byOwner = new Map<string, number[]>();
  instance.sessions.forEach((session, s) => {
    for (const owner of new Set(session.owners)) {
      const list = byOwner.get(owner) ?? [];
      for (const other of list) {
        clash[s * nSessions + other] = 1;
        clash[other * nSessions + s] = 1;
      }
      list.push(s);
      byOwner.set(owner, list);
    }
  });
  const clashList: Int32Array[] = [];
  for (let s = 0; s < nSessions; s++) {
    const list: number[] = [];
    for (let o = 0; o < nSessions; o++) if (clash[s * nSessions + o]) list.push(o);
    clashList.push(Int32Array.from(list));
  }

  const allowedBase = new Uint8Array(nSessions * nSlots);
  instance.sessions.forEach((session, s) => {
    const list = session.allowedSlots;
    for (let t = 0; t < nSlots; t++) {
      const ok = !list || list.length === 0 || list.includes(instance.slots[t]!.id);
      allowedBase[s * nSlots + t] = ok ? 1 : 0;
    }
  });

  const fixedSlot = new Int32Array(nSessions).fill(-1);
  const fixedRoom = new Int32Array(nSessions).fill(-1);
  const currentSlot = new Int32Array(nSessions).fill(-1);
  const currentRoom = new Int32Array(nSessions).fill(-1);
  const roomTaken = new Int32Array(nSlots * nRooms).fill(-1);
  const inSlot = new Int32Array(nSlots);

  const fix = (s: number, t: number, r: number, field: string): void => {
    const sessionId = instance.sessions[s]!.id;
    if (fixedSlot[s] !== -1 && fixedSlot[s] !== t) {
      throw new SchedulingInputError(
        field,
        `session "${sessionId}" is already fixed in slot "${instance.slots[fixedSlot[s]!]!.id}"`,
      );
    }
    if (fixedSlot[s] === t) return;
    if (!allowedBase[s * nSlots + t]) {
      throw new SchedulingInputError(field, `session "${sessionId}" is not allowed in slot "${instance.slots[t]!.id}"`);
    }
    if (inSlot[t]! >= nRooms) {
      throw new SchedulingInputError(field, `slot "${instance.slots[t]!.id}" has no room left for "${sessionId}"`);
    }
    for (let o = 0; o < nSessions; o++) {
      if (fixedSlot[o] === t && clash[s * nSessions + o]) {
        throw new SchedulingInputError(
          field,
          `session "${sessionId}" shares an owner with "${instance.sessions[o]!.id}" in slot "${instance.slots[t]!.id}"`,
        );
      }
    }
    if (r >= 0) {
      if (roomTaken[t * nRooms + r] !== -1) {
        throw new SchedulingInputError(
          field,
          `room "${instance.rooms[r]!.id}" in slot "${instance.slots[t]!.id}" is already taken`,
        );
      }
      roomTaken[t * nRooms + r] = s;
    }
    fixedSlot[s] = t;
    fixedRoom[s] = r;
    inSlot[t]!++;
  };

  const current = options.current ? parseCurrent(options.current, instance) : undefined;
  current?.assignments.forEach((a, i) => {
    const s = sessionIndex.get(a.session)!;
    const t = slotIndex.get(a.slot)!;
    currentSlot[s] = t;
    currentRoom[s] = roomIndex.get(a.room)!;
    // What a locked slot already holds stays, room included.
    if (locked[t]) fix(s, t, roomIndex.get(a.room)!, `current.assignments[${i}]`);
  });
  const pins = options.pins ? parsePins(options.pins, instance) : [];
  pins.forEach((pin, i) => {
    const t = slotIndex.get(pin.slot)!;
    const s = sessionIndex.get(pin.session)!;
    if (locked[t] && fixedSlot[s] !== t) {
      throw new SchedulingInputError(`pins[${i}].slot`, `slot "${pin.slot}" is locked`);
    }
    fix(s, t, pin.room === undefined ? -1 : roomIndex.get(pin.room)!, `pins[${i}]`);
  });

  const allowed = new Uint8Array(nSessions * nSlots);
  for (let s = 0; s < nSessions; s++) {
    for (let t = 0; t < nSlots; t++) {
      if (fixedSlot[s]! >= 0) allowed[s * nSlots + t] = fixedSlot[s] === t ? 1 : 0;
      else allowed[s * nSlots + t] = allowedBase[s * nSlots + t]! && !locked[t] ? 1 : 0;
    }
  }

  const moveWeight = options.moveWeight ?? 0;
  if (!(Number.isFinite(moveWeight) && moveWeight >= 0)) {
    throw new SchedulingInputError('moveWeight', 'must be a finite number ≥ 0');
  }

  return {
    nSessions,
    nSlots,
    nRooms,
    nUsers,
    sessionIds: instance.sessions.map((s) => s.id),
    slotIds: instance.slots.map((s) => s.id),
    roomIds: instance.rooms.map((r) => r.id),
    rStart,
    rUser,
    rLevel,
    totalInterest,
    allowed,
    clash,
    clashList,
    fixedSlot,
    fixedRoom,
    locked,
    capacity: nRooms,
    currentSlot,
    currentRoom,
    moveWeight,
    roomCapacity: Int32Array.from(instance.rooms.map((r) => r.capacity)),
  };
}
