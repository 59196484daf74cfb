import { z } from 'zod';
import { formatPath, SchedulingInputError } from './errors.js';
import type { CurrentSchedule, Pin, SchedulingInstance } from './types.js';

/** Upper limits that keep one instance within what the engine handles in seconds and bounded memory. */
export const LIMITS = { slots: 500, rooms: 200, sessions: 5_000, users: 100_000, ratings: 5_000_000 } as const;

const id = z.string().min(1).max(200);
const interestValue = z.union([z.literal(0), z.literal(25), z.literal(75), z.literal(100)], {
  error: 'must be 0, 25, 75 or 100',
});

const instanceSchema = z.object({
  name: z.string().max(500),
  slots: z.array(z.object({ id, start: z.string().max(100), locked: z.boolean().default(false) })).max(LIMITS.slots),
  rooms: z
    .array(z.object({ id, name: z.string().max(500), capacity: z.number().int().nonnegative() }))
    .max(LIMITS.rooms),
  sessions: z
    .array(
      z.object({
        id,
        title: z.string().max(1000),
        owners: z.array(id).max(50),
        allowedSlots: z.array(id).max(LIMITS.slots).nullable().default(null),
      }),
    )
    .max(LIMITS.sessions),
  users: z.array(id).max(LIMITS.users),
  interests: z.record(id, z.record(id, interestValue)),
});

const assignmentSchema = z.object({ session: id, slot: id, room: id });
const currentSchema = z.object({ assignments: z.array(assignmentSchema) });
const pinSchema = z.object({ session: id, slot: id, room: id.optional() });

function firstIssue(error: z.ZodError, prefix: readonly PropertyKey[] = []): SchedulingInputError {
  const issue = error.issues[0]!;
  return new SchedulingInputError(formatPath([...prefix, ...issue.path]), issue.message);
}

function duplicates(list: readonly { id: string }[] | readonly string[], field: string): void {
  const seen = new Set<string>();
  list.forEach((item, i) => {
    const key = typeof item === 'string' ? item : item.id;
    if (seen.has(key)) {
      throw new SchedulingInputError(
        typeof item === 'string' ? `${field}[${i}]` : `${field}[${i}].id`,
        `duplicate id "${key}"`,
      );
    }
    seen.add(key);
  });
}

/**
 * Parses and checks an instance: shapes and values (zod), unique ids, and every reference (owners,
 * allowed slots, interests) pointing at something that exists. The first problem is thrown as a
 * SchedulingInputError naming the field and its position.
 */
export function parseInstance(raw: unknown): SchedulingInstance {
  const parsed = instanceSchema.safeParse(raw);
  if (!parsed.success) throw firstIssue(parsed.error);
  const instance = parsed.data;
  duplicates(instance.slots, 'slots');
  duplicates(instance.rooms, 'rooms');
  duplicates(instance.sessions, 'sessions');
  duplicates(instance.users, 'users');
  const slotIds = new Set(instance.slots.map((s) => s.id));
  const sessionIds = new Set(instance.sessions.map((s) => s.id));
  const userIds = new Set(instance.users);
  instance.sessions.forEach((session, i) => {
    session.owners.forEach((owner, j) => {
      if (!userIds.has(owner)) {
        throw new SchedulingInputError(`sessions[${i}].owners[${j}]`, `unknown user "${owner}" (not in users)`);
      }
    });
    session.allowedSlots?.forEach((slot, j) => {
      if (!slotIds.has(slot))
        throw new SchedulingInputError(`sessions[${i}].allowedSlots[${j}]`, `unknown slot "${slot}"`);
    });
  });
  let ratings = 0;
  for (const [user, row] of Object.entries(instance.interests)) {
    if (!userIds.has(user))
      throw new SchedulingInputError(`interests.${user}`, `unknown user "${user}" (not in users)`);
    for (const session of Object.keys(row)) {
      if (!sessionIds.has(session)) {
        throw new SchedulingInputError(`interests.${user}.${session}`, `unknown session "${session}"`);
      }
      ratings++;
    }
  }
  if (ratings > LIMITS.ratings) throw new SchedulingInputError('interests', `more than ${LIMITS.ratings} ratings`);
  return instance;
}

/** Parses a current schedule against an instance: every id known, no session or (slot, room) twice. */
export function parseCurrent(raw: unknown, instance: SchedulingInstance, field = 'current'): CurrentSchedule {
  const parsed = currentSchema.safeParse(raw);
  if (!parsed.success) throw firstIssue(parsed.error, [field]);
  const seenSession = new Set<string>();
  const seenPlace = new Set<string>();
  parsed.data.assignments.forEach((a, i) => {
    checkRefs(instance, a, `${field}.assignments[${i}]`);
    if (seenSession.has(a.session)) {
      throw new SchedulingInputError(`${field}.assignments[${i}].session`, `session "${a.session}" is assigned twice`);
    }
    seenSession.add(a.session);
    const place = `${a.slot}\u0000${a.room}`;
    if (seenPlace.has(place)) {
      throw new SchedulingInputError(
        `${field}.assignments[${i}].room`,
        `room "${a.room}" already holds a session in slot "${a.slot}"`,
      );
    }
    seenPlace.add(place);
  });
  return parsed.data;
}

export function parsePins(raw: unknown, instance: SchedulingInstance, field = 'pins'): Pin[] {
  const parsed = z.array(pinSchema).safeParse(raw);
  if (!parsed.success) throw firstIssue(parsed.error, [field]);
  parsed.data.forEach((pin, i) => {
    checkRefs(instance, pin, `${field}[${i}]`);
  });
  return parsed.data;
}

const idSets = new WeakMap<SchedulingInstance, { sessions: Set<string>; slots: Set<string>; rooms: Set<string> }>();

function checkRefs(
  instance: SchedulingInstance,
  ref: { session: string; slot: string; room?: string },
  at: string,
): void {
  let ids = idSets.get(instance);
  if (!ids) {
    ids = {
      sessions: new Set(instance.sessions.map((s) => s.id)),
      slots: new Set(instance.slots.map((s) => s.id)),
      rooms: new Set(instance.rooms.map((r) => r.id)),
    };
    idSets.set(instance, ids);
  }
  if (!ids.sessions.has(ref.session)) {
    throw new SchedulingInputError(`${at}.session`, `unknown session "${ref.session}"`);
  }
  if (!ids.slots.has(ref.slot)) throw new SchedulingInputError(`${at}.slot`, `unknown slot "${ref.slot}"`);
  if (ref.room !== undefined && !ids.rooms.has(ref.room)) {
    throw new SchedulingInputError(`${at}.room`, `unknown room "${ref.room}"`);
  }
}
