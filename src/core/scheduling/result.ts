import type { Model } from './model.js';
import { assignRooms, recountScore, slotAudience } from './rooms.js';
import type { PlacedSession, SolveStats, Unplaced } from './types.js';

/** Why a session is left out, told from the final schedule. */
function unplacedReason(model: Model, slotOf: Int32Array, size: Int32Array, s: number): Unplaced {
  const session = model.sessionIds[s]!;
  const open: number[] = [];
  for (let t = 0; t < model.nSlots; t++) if (model.allowed[s * model.nSlots + t]) open.push(t);
  if (!open.length) {
    return {
      session,
      reason: 'no_open_slot',
      detail: model.nSlots ? 'every slot it is allowed in is locked' : 'there are no slots',
    };
  }
  const withRoom = open.filter((t) => size[t]! < model.capacity);
  if (!withRoom.length) {
    return {
      session,
      reason: 'slots_full',
      detail: `every room is taken in all ${open.length} slot(s) it is allowed in`,
    };
  }
  const clashing = new Set<string>();
  for (const t of withRoom) {
    for (let o = 0; o < model.nSessions; o++) {
      if (slotOf[o] === t && model.clash[s * model.nSessions + o]) clashing.add(model.sessionIds[o]!);
    }
  }
  return {
    session,
    reason: 'owner_clash',
    detail: `the slots with a free room already hold a session with the same owner (${[...clashing].join(', ')})`,
  };
}

export interface Assembled {
  assignments: PlacedSession[];
  unplaced: Unplaced[];
  score: number;
  moved: number;
  overflowing: number;
}

/** Turns a placement into the answer: rooms, audiences, overflow, reasons, and the score recounted. */
export function assemble(model: Model, slotOf: Int32Array): Assembled {
  const size = new Int32Array(model.nSlots);
  const bySlot: number[][] = Array.from({ length: model.nSlots }, () => []);
  for (let s = 0; s < model.nSessions; s++) {
    const t = slotOf[s]!;
    if (t >= 0) {
      bySlot[t]!.push(s);
      size[t]!++;
    }
  }
  const assignments: PlacedSession[] = [];
  let overflowing = 0;
  bySlot.forEach((sessions, t) => {
    const audience = slotAudience(model, sessions);
    const rooms = assignRooms(model, sessions, audience);
    sessions.forEach((s, i) => {
      const room = rooms[i]!;
      const over = audience[i]! > model.roomCapacity[room]!;
      if (over) overflowing++;
      assignments.push({
        session: model.sessionIds[s]!,
        slot: model.slotIds[t]!,
        room: model.roomIds[room]!,
        audience: audience[i]!,
        overflowing: over,
      });
    });
  });
  const unplaced: Unplaced[] = [];
  let moved = 0;
  for (let s = 0; s < model.nSessions; s++) {
    if (slotOf[s]! < 0) unplaced.push(unplacedReason(model, slotOf, size, s));
    if (model.currentSlot[s]! >= 0 && slotOf[s] !== model.currentSlot[s]) moved++;
  }
  return { assignments, unplaced, score: recountScore(model, slotOf), moved, overflowing };
}

export type { SolveStats };
