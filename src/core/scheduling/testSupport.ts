/** Instance generators for tests and the benchmark (not part of the build). */
import { createRng } from '../pairing/rng.js';
import type { Assignment, CurrentSchedule, Pin, SchedulingInstance, SolveResult } from './types.js';

export interface GeneratorOptions {
  sessions: number;
  slots: number;
  rooms: number;
  people: number;
  seed: string;
  /** Share of sessions with a second owner. Default 0.1. */
  coOwners?: number;
  /** Share of slots locked (empty). Default 0. */
  lockedShare?: number;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** A free choice, weighted as Xen's generator: 0 / 25 / 75 / 100 with .60 / .18 / .13 / .09. */
function freeChoice(x: number): number {
  return x < 0.6 ? 0 : x < 0.78 ? 25 : x < 0.91 ? 75 : 100;
}

/**
 * Interests the way Xen's own test generator makes them: a few people choose freely, the rest copy an
 * earlier "model" person's rating of each session with probability 7/8 (so tastes cluster); about a
 * quarter of the sessions are blocked from a run of 1–4 consecutive slots; owners come from a pool of
 * 0.4 × sessions people.
 */
export function generateInstance(options: GeneratorOptions): SchedulingInstance {
  const rng = createRng(options.seed);
  const slots = Array.from({ length: options.slots }, (_, t) => ({
    id: `t${pad(t + 1, 2)}`,
    start: new Date(Date.UTC(2027, 2, 1 + Math.floor(t / 8), 9 + (t % 8))).toISOString().slice(0, 19),
    locked: t > 0 && rng.next() < (options.lockedShare ?? 0),
  }));
  const rooms = Array.from({ length: options.rooms }, (_, r) => ({
    id: `r${r + 1}`,
    name: `Room ${String.fromCharCode(65 + (r % 26))}${r >= 26 ? r : ''}`,
    capacity: 20 + 20 * ((options.rooms - r) % 6),
  }));
  const users = Array.from({ length: options.people }, (_, u) => `u${pad(u + 1, 4)}`);
  const ownerPool = Math.max(1, Math.min(users.length, Math.round(0.4 * options.sessions)));
  const sessions = Array.from({ length: options.sessions }, (_, s) => {
    const owners = [users[rng.nextInt(ownerPool)]!];
    if (rng.next() < (options.coOwners ?? 0.1)) {
      const other = users[rng.nextInt(ownerPool)]!;
      if (other !== owners[0]) owners.push(other);
    }
    let allowedSlots: string[] | null = null;
    if (options.slots > 1 && rng.next() < 0.25) {
      const run = 1 + rng.nextInt(Math.min(4, options.slots - 1));
      const from = rng.nextInt(options.slots - run + 1);
      allowedSlots = slots.filter((_, t) => t < from || t >= from + run).map((t) => t.id);
    }
    return { id: `s${pad(s + 1, 3)}`, title: `Session ${s + 1}`, owners, allowedSlots };
  });
  const free = Math.max(2, Math.round(options.people * 0.05));
  const ratings: number[][] = [];
  const interests: Record<string, Record<string, number>> = {};
  users.forEach((user, u) => {
    const model = u >= free ? ratings[rng.nextInt(u)]! : null;
    const row = sessions.map((_, s) => (model && rng.next() < 7 / 8 ? model[s]! : freeChoice(rng.next())));
    ratings.push(row);
    const record: Record<string, number> = {};
    row.forEach((value, s) => {
      if (value > 0) record[sessions[s]!.id] = value;
    });
    interests[user] = record;
  });
  return { name: `generated ${options.seed}`, slots, rooms, sessions, users, interests };
}

/** Score recounted straight from the instance file's terms (owners 100 in their own sessions). */
export function naiveScore(
  instance: SchedulingInstance,
  assignments: readonly { session: string; slot: string }[],
): number {
  const interest = (user: string, session: string): number => {
    const s = instance.sessions.find((x) => x.id === session)!;
    if (s.owners.includes(user)) return 100;
    return instance.interests[user]?.[session] ?? 0;
  };
  let score = 0;
  for (const user of instance.users) {
    for (const slot of instance.slots) {
      let best = 0;
      for (const a of assignments) if (a.slot === slot.id) best = Math.max(best, interest(user, a.session));
      score += best;
    }
  }
  return score;
}

export interface CheckContext {
  pins?: Pin[];
  current?: CurrentSchedule;
}

/** Every hard rule a schedule must keep; returns what it breaks (empty when fine). */
export function scheduleProblems(
  instance: SchedulingInstance,
  result: SolveResult,
  context: CheckContext = {},
): string[] {
  const problems: string[] = [];
  const placed = new Map<string, { slot: string; room: string }>();
  const places = new Set<string>();
  for (const a of result.assignments) {
    if (placed.has(a.session)) problems.push(`${a.session} placed twice`);
    placed.set(a.session, a);
    const place = `${a.slot}/${a.room}`;
    if (places.has(place)) problems.push(`two sessions in ${place}`);
    places.add(place);
    const session = instance.sessions.find((s) => s.id === a.session);
    if (!session) problems.push(`unknown session ${a.session}`);
    else if (session.allowedSlots?.length && !session.allowedSlots.includes(a.slot)) {
      problems.push(`${a.session} in ${a.slot}, not allowed`);
    }
    if (!instance.rooms.some((r) => r.id === a.room)) problems.push(`unknown room ${a.room}`);
  }
  const unplaced = new Set(result.unplaced.map((u) => u.session));
  for (const session of instance.sessions) {
    if (placed.has(session.id) === unplaced.has(session.id)) problems.push(`${session.id} neither placed nor reported`);
  }
  for (const slot of instance.slots) {
    const here = result.assignments.filter((a) => a.slot === slot.id);
    const owners = new Set<string>();
    for (const a of here) {
      for (const owner of new Set(instance.sessions.find((s) => s.id === a.session)?.owners ?? [])) {
        if (owners.has(owner)) problems.push(`owner ${owner} twice in ${slot.id}`);
        owners.add(owner);
      }
    }
    if (slot.locked) {
      const before = (context.current?.assignments ?? []).filter((a) => a.slot === slot.id);
      const key = (list: readonly Assignment[]) =>
        list
          .map((a) => `${a.session}/${a.room}`)
          .sort()
          .join(',');
      if (key(before) !== key(here)) problems.push(`locked slot ${slot.id} changed`);
    }
  }
  for (const pin of context.pins ?? []) {
    const at = placed.get(pin.session);
    if (!at || at.slot !== pin.slot || (pin.room && at.room !== pin.room)) problems.push(`pin of ${pin.session} moved`);
  }
  if (result.score !== naiveScore(instance, result.assignments)) problems.push('reported score differs from a recount');
  if (result.upperBound < result.score) problems.push('upper bound below the score');
  return problems;
}

/**
 * The best score by trying every slot (or none) for every session: for tiny instances only. A pinned
 * session only tries its pin's slot.
 */
export function bruteForceOptimum(instance: SchedulingInstance, pins: readonly Pin[] = []): number {
  const n = instance.sessions.length;
  const choice = new Array<number>(n).fill(-1);
  let best = 0;
  const recurse = (i: number): void => {
    if (i === n) {
      const assignments = choice.flatMap((t, s) =>
        t < 0 ? [] : [{ session: instance.sessions[s]!.id, slot: instance.slots[t]!.id }],
      );
      best = Math.max(best, naiveScore(instance, assignments));
      return;
    }
    const pin = pins.find((p) => p.session === instance.sessions[i]!.id);
    for (let t = -1; t < instance.slots.length; t++) {
      if (pin && instance.slots[t]?.id !== pin.slot) continue;
      if (t >= 0) {
        const slot = instance.slots[t]!;
        const session = instance.sessions[i]!;
        if (slot.locked) continue;
        if (session.allowedSlots?.length && !session.allowedSlots.includes(slot.id)) continue;
        const here = choice.flatMap((c, s) => (c === t ? [instance.sessions[s]!] : []));
        if (here.length >= instance.rooms.length) continue;
        if (here.some((o) => o.owners.some((x) => session.owners.includes(x)))) continue;
      }
      choice[i] = t;
      recurse(i + 1);
    }
    choice[i] = -1;
  };
  recurse(0);
  return best;
}
