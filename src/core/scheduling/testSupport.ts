/** Instance generators for tests and the benchmark (not part of the build). */
import { createRng } from '../pairing/rng.js';
import type { SchedulingInstance } from './types.js';

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
