import type { EventSchedule, Placement } from './scheduleInstance.js';

export type UnplacedReason = 'no_open_slot' | 'slots_full' | 'owner_clash' | 'room_free';

export interface PersonSatisfaction {
  personId: string;
  name: string;
  /** Interest points this person can attend: in each slot, the best session for them. */
  attained: number;
  /** The most they could have had: their top interests, one per slot. */
  best: number;
  /** attained / best, 0..1. */
  share: number;
}

export interface Evaluation {
  score: number;
  /**
   * The trivial bound: everyone's top interests, one per slot. No schedule scores more, but it
   * ignores rooms, clashes and locks; the engine's bound of a run (runBound.ts) is tighter.
   */
  trivialBound: number;
  /** (trivialBound - score) / trivialBound; 0 when the bound is 0. */
  trivialGap: number;
  placed: number;
  sessions: number;
  people: number;
  /** Mean share over people who rated anything; 1 with nobody. */
  meanSatisfaction: number;
  /** The people with the lowest share (at most 10), lowest first. */
  leastServed: PersonSatisfaction[];
  assignments: Array<Placement & { audience: number; overflowing: boolean }>;
  unplaced: Array<{ session: string; title: string; reason: UnplacedReason; detail: string }>;
  overflowing: Array<{
    session: string;
    title: string;
    slot: string;
    room: string;
    audience: number;
    capacity: number;
  }>;
}

const LEAST_SERVED = 10;

/** Each session's ratings with its owners counted as "Very" (100), as the engine counts them. */
function ratingsBySession(schedule: EventSchedule): Map<string, Map<string, number>> {
  const bySession = new Map<string, Map<string, number>>();
  for (const s of schedule.sessions) bySession.set(s.id, new Map());
  for (const [person, mine] of Object.entries(schedule.instance.interests)) {
    for (const [session, level] of Object.entries(mine)) bySession.get(session)?.set(person, level);
  }
  for (const s of schedule.sessions) for (const o of s.owners) bySession.get(s.id)!.set(o, 100);
  return bySession;
}

/** The score alone (Σ people Σ slots of the best interest): what a move preview compares. */
export function scoreOf(schedule: EventSchedule, placements: readonly Placement[]): number {
  const ratings = ratingsBySession(schedule);
  const best = new Map<string, number>();
  for (const p of placements) {
    for (const [person, level] of ratings.get(p.session) ?? []) {
      const key = `${p.slot}\u0000${person}`;
      if (level > (best.get(key) ?? 0)) best.set(key, level);
    }
  }
  let score = 0;
  for (const v of best.values()) score += v;
  return score;
}

/**
 * Scores a placement of the event's sessions the way attendees live it: the score and its trivial
 * bound, how well each person is served against the best they could have had, sessions left out
 * (and why), and sessions whose expected audience exceeds their room.
 */
export function evaluate(schedule: EventSchedule, placements: readonly Placement[]): Evaluation {
  const ratings = ratingsBySession(schedule);
  const nSlots = schedule.slots.length;
  const titles = new Map(schedule.sessions.map((s) => [s.id, s.title]));
  const rooms = new Map(schedule.rooms.map((r) => [r.id, r]));
  const bySlot = new Map<string, Placement[]>();
  for (const p of placements) bySlot.set(p.slot, [...(bySlot.get(p.slot) ?? []), p]);

  // Per person: the best level per slot (attained), and all their levels (for the best possible).
  const attained = new Map<string, number>();
  const levelsOf = new Map<string, number[]>();
  for (const [, mine] of ratings) {
    for (const [person, level] of mine) levelsOf.set(person, [...(levelsOf.get(person) ?? []), level]);
  }

  const assignments: Evaluation['assignments'] = [];
  const overflowing: Evaluation['overflowing'] = [];
  for (const [slot, here] of bySlot) {
    const bestLevel = new Map<string, number>();
    const ties = new Map<string, number>();
    for (const p of here) {
      for (const [person, level] of ratings.get(p.session) ?? []) {
        const b = bestLevel.get(person) ?? 0;
        if (level > b) {
          bestLevel.set(person, level);
          ties.set(person, 1);
        } else if (level === b) ties.set(person, (ties.get(person) ?? 0) + 1);
      }
    }
    for (const [person, level] of bestLevel) attained.set(person, (attained.get(person) ?? 0) + level);
    for (const p of here) {
      let audience = 0;
      for (const [person, level] of ratings.get(p.session) ?? []) {
        if (level === bestLevel.get(person)) audience += 1 / ties.get(person)!;
      }
      audience = Math.round(audience * 100) / 100;
      const capacity = rooms.get(p.room)?.capacity ?? 0;
      const over = audience > capacity;
      assignments.push({ ...p, audience, overflowing: over });
      if (over) {
        overflowing.push({
          session: p.session,
          title: titles.get(p.session) ?? '',
          slot,
          room: p.room,
          audience,
          capacity,
        });
      }
    }
  }

  const people: PersonSatisfaction[] = [];
  let trivialBound = 0;
  let score = 0;
  for (const [person, levels] of levelsOf) {
    const best = levels
      .sort((a, b) => b - a)
      .slice(0, nSlots)
      .reduce((sum, l) => sum + l, 0);
    const got = attained.get(person) ?? 0;
    trivialBound += best;
    score += got;
    if (best > 0) {
      people.push({
        personId: person,
        name: schedule.names.get(person) ?? person,
        attained: got,
        best,
        share: got / best,
      });
    }
  }
  people.sort((a, b) => a.share - b.share || b.best - a.best || a.name.localeCompare(b.name));

  const placedIds = new Set(placements.map((p) => p.session));
  const unplaced = schedule.sessions
    .filter((s) => !placedIds.has(s.id))
    .map((s) => ({ session: s.id, title: s.title, ...unplacedReason(schedule, bySlot, s.id) }));

  return {
    score,
    trivialBound,
    trivialGap: trivialBound > 0 ? (trivialBound - score) / trivialBound : 0,
    placed: placedIds.size,
    sessions: schedule.sessions.length,
    people: people.length,
    meanSatisfaction: people.length ? people.reduce((sum, p) => sum + p.share, 0) / people.length : 1,
    leastServed: people.slice(0, LEAST_SERVED),
    assignments,
    unplaced,
    overflowing,
  };
}

/** Why a session has no place, told from the schedule as it stands. */
function unplacedReason(
  schedule: EventSchedule,
  bySlot: Map<string, Placement[]>,
  sessionId: string,
): { reason: UnplacedReason; detail: string } {
  const session = schedule.sessions.find((s) => s.id === sessionId)!;
  const allowed = session.allowedSlots?.length ? new Set(session.allowedSlots) : null;
  const open = schedule.slots.filter((t) => !t.locked && (!allowed || allowed.has(t.id)));
  if (!open.length) {
    return {
      reason: 'no_open_slot',
      detail: schedule.slots.length ? 'every slot it is allowed in is locked' : 'there are no slots',
    };
  }
  const withRoom = open.filter((t) => (bySlot.get(t.id)?.length ?? 0) < schedule.rooms.length);
  if (!withRoom.length) {
    return { reason: 'slots_full', detail: `every room is taken in all ${open.length} slot(s) it is allowed in` };
  }
  const owners = new Set(session.owners);
  const clashing = new Set<string>();
  const free: string[] = [];
  for (const t of withRoom) {
    const clash = (bySlot.get(t.id) ?? []).filter((p) =>
      schedule.sessions.find((s) => s.id === p.session)?.owners.some((o) => owners.has(o)),
    );
    if (clash.length) for (const p of clash) clashing.add(schedule.sessions.find((s) => s.id === p.session)!.title);
    else free.push(t.id);
  }
  if (!free.length) {
    return {
      reason: 'owner_clash',
      detail: `the slots with a free room already hold a session with the same owner (${[...clashing].join(', ')})`,
    };
  }
  return {
    reason: 'room_free',
    detail: `${free.length} slot(s) still have a free room: run the scheduler or move it by hand`,
  };
}
