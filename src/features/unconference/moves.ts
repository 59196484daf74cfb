import { recordAudit } from '../../db/audit.js';
import type { Db, Executor } from '../../db/database.js';
import { badRequest, conflict, notFound } from '../../lib/errors.js';
import { type Evaluation, evaluate } from './evaluate.js';
import { type EventSchedule, loadEventSchedule, type Placement } from './scheduleInstance.js';
import { assertNoActiveRun, type RunLimits } from './scheduleRuns.js';

export interface MoveRequest {
  proposalId: string;
  /** null: take the session out of the schedule. */
  slotId: string | null;
  /** null: the largest free room of the slot. */
  roomId: string | null;
}

export interface PlannedMove {
  changes: Array<{ session: string; title: string; from: Placement | null; to: Placement | null }>;
  before: Evaluation;
  after: Evaluation;
  placements: Placement[];
}

const sessionOf = (schedule: EventSchedule, id: string) => schedule.sessions.find((s) => s.id === id);

function sharesOwner(schedule: EventSchedule, a: string, b: string): boolean {
  const owners = new Set(sessionOf(schedule, a)?.owners ?? []);
  return (sessionOf(schedule, b)?.owners ?? []).some((o) => owners.has(o));
}

/**
 * The working schedule after moving one session by hand, with every rule checked: the target is
 * a non-break slot of the event and not locked, the session is available then, no owner is in two
 * places; a session already in the target room swaps into the mover's old place (or comes out).
 */
export function planMove(schedule: EventSchedule, move: MoveRequest): PlannedMove {
  const session = sessionOf(schedule, move.proposalId);
  if (!session) throw badRequest('proposalId: not an approved proposal of this event.', 'proposalId');
  const slots = new Map(schedule.slots.map((s) => [s.id, s]));
  const from = schedule.working.find((p) => p.session === session.id) ?? null;
  if (session.pinnedSlotId) throw conflict(`"${session.title}" is pinned: unpin it before moving it.`, 'proposalId');
  if (from && slots.get(from.slot)?.locked) {
    throw conflict(`"${session.title}" is in a locked slot: unlock the slot first.`, 'proposalId');
  }

  let to: Placement | null = null;
  let occupant: Placement | undefined;
  if (move.slotId !== null) {
    const slot = slots.get(move.slotId);
    if (!slot) throw badRequest('slotId: not a slot of this event (or a break).', 'slotId');
    if (slot.locked) throw conflict('slotId: that slot is locked: unlock it first.', 'slotId');
    if (session.allowedSlots?.length && !session.allowedSlots.includes(slot.id)) {
      throw conflict(`slotId: "${session.title}" is not available in that slot.`, 'slotId');
    }
    let roomId = move.roomId;
    if (roomId === null) {
      const taken = new Set(
        schedule.working.filter((p) => p.slot === slot.id && p.session !== session.id).map((p) => p.room),
      );
      const free = schedule.rooms.filter((r) => !taken.has(r.id)).sort((a, b) => b.capacity - a.capacity);
      if (!free.length) throw conflict('roomId: every room is taken in that slot: pick a room to swap with.', 'roomId');
      roomId = from && from.slot === slot.id && !taken.has(from.room) ? from.room : free[0]!.id;
    } else if (!schedule.rooms.some((r) => r.id === roomId)) {
      throw badRequest('roomId: not a room of this event.', 'roomId');
    }
    to = { session: session.id, slot: slot.id, room: roomId };
    occupant = schedule.working.find((p) => p.slot === slot.id && p.room === roomId && p.session !== session.id);
  }

  const placements = schedule.working.filter((p) => p.session !== session.id && p.session !== occupant?.session);
  const changes: PlannedMove['changes'] = [{ session: session.id, title: session.title, from, to }];
  if (occupant) {
    const other = sessionOf(schedule, occupant.session)!;
    if (other.pinnedSlotId) throw conflict(`"${other.title}" is pinned there: unpin it first.`, 'roomId');
    let back: Placement | null = null;
    if (from) {
      if (other.allowedSlots?.length && !other.allowedSlots.includes(from.slot)) {
        throw conflict(`roomId: "${other.title}" would swap into a slot it is not available in.`, 'roomId');
      }
      back = { session: other.id, slot: from.slot, room: from.room };
      const clash = placements.find((p) => p.slot === from.slot && sharesOwner(schedule, p.session, other.id));
      if (clash) {
        throw conflict(
          `roomId: "${other.title}" would swap into a slot that holds "${sessionOf(schedule, clash.session)?.title}" with the same owner.`,
          'roomId',
        );
      }
      placements.push(back);
    }
    changes.push({ session: other.id, title: other.title, from: occupant, to: back });
  }
  if (to) {
    const clash = placements.find(
      (p) => p.slot === to.slot && p.session !== session.id && sharesOwner(schedule, p.session, session.id),
    );
    if (clash) {
      throw conflict(
        `slotId: that slot already holds "${sessionOf(schedule, clash.session)?.title}" with the same owner.`,
        'slotId',
      );
    }
    placements.push(to);
  }
  return { changes, before: evaluate(schedule, schedule.working), after: evaluate(schedule, placements), placements };
}

/** What a move would do to the score, without saving anything. */
export async function previewMove(props: { db: Db; eventId: string; move: MoveRequest }): Promise<PlannedMove> {
  return planMove(await loadEventSchedule(props.db, props.eventId), props.move);
}

/** Saves a move (and the swap it implies) in one transaction; refused while the scheduler runs. */
export async function applyMove(props: {
  db: Db;
  eventId: string;
  move: MoveRequest;
  actorId: string | null;
  limits: RunLimits;
}): Promise<PlannedMove> {
  return props.db.transaction().execute(async (trx) => {
    await assertNoActiveRun(trx, props.eventId, props.limits);
    const schedule = await loadEventSchedule(trx, props.eventId);
    const planned = planMove(schedule, props.move);
    const ids = planned.changes.map((c) => c.session);
    await trx.deleteFrom('unconf_assignments').where('proposal_id', 'in', ids).execute();
    const rows = planned.changes
      .filter((c) => c.to)
      .map((c) => ({ proposal_id: c.session, event_id: props.eventId, slot_id: c.to!.slot, room_id: c.to!.room }));
    if (rows.length) await trx.insertInto('unconf_assignments').values(rows).execute();
    await recordAudit(trx, {
      actorId: props.actorId,
      action: 'unconference.schedule.move',
      subjectType: 'unconf_proposal',
      subjectId: props.move.proposalId,
      data: {
        eventId: props.eventId,
        changes: planned.changes.map((c) => ({ session: c.session, from: c.from, to: c.to })),
        scoreBefore: planned.before.score,
        scoreAfter: planned.after.score,
      },
    });
    return planned;
  });
}

async function slotOfEvent(db: Executor, eventId: string, slotId: string) {
  const slot = await db
    .selectFrom('unconf_slots')
    .select(['id', 'is_break', 'locked'])
    .where('id', '=', slotId)
    .where('event_id', '=', eventId)
    .executeTakeFirst();
  if (!slot) throw notFound('No such slot in this event.');
  return slot;
}

/** Locks or unlocks a slot: a locked slot keeps its sessions when the scheduler runs. */
export async function setSlotLocked(props: {
  db: Db;
  eventId: string;
  slotId: string;
  locked: boolean;
  actorId: string | null;
}): Promise<void> {
  await props.db.transaction().execute(async (trx) => {
    const slot = await slotOfEvent(trx, props.eventId, props.slotId);
    if (slot.is_break === 1) throw badRequest('slotId: a break holds no sessions and cannot be locked.', 'slotId');
    await trx
      .updateTable('unconf_slots')
      .set({ locked: props.locked ? 1 : 0 })
      .where('id', '=', slot.id)
      .execute();
    await recordAudit(trx, {
      actorId: props.actorId,
      action: props.locked ? 'unconference.slot.lock' : 'unconference.slot.unlock',
      subjectType: 'unconf_slot',
      subjectId: slot.id,
      data: { eventId: props.eventId },
    });
  });
}

/**
 * Pins a session (the scheduler keeps it in that slot, and room when given) or unpins it. Without
 * a slot, the session is pinned where the working schedule has it.
 */
export async function setSessionPin(props: {
  db: Db;
  eventId: string;
  proposalId: string;
  pinned: boolean;
  slotId?: string | null;
  roomId?: string | null;
  actorId: string | null;
}): Promise<void> {
  await props.db.transaction().execute(async (trx) => {
    const schedule = await loadEventSchedule(trx, props.eventId);
    const session = sessionOf(schedule, props.proposalId);
    if (!session) throw notFound('No such approved proposal in this event.');
    let slotId: string | null = null;
    let roomId: string | null = null;
    if (props.pinned) {
      const here = schedule.working.find((p) => p.session === session.id);
      slotId = props.slotId ?? here?.slot ?? null;
      roomId = props.slotId ? (props.roomId ?? null) : (here?.room ?? null);
      if (!slotId) throw badRequest('slotId: the session has no place yet: name the slot to pin it to.', 'slotId');
      if (!schedule.slots.some((s) => s.id === slotId)) {
        throw badRequest('slotId: not a slot of this event (or a break).', 'slotId');
      }
      if (roomId && !schedule.rooms.some((r) => r.id === roomId)) {
        throw badRequest('roomId: not a room of this event.', 'roomId');
      }
      if (session.allowedSlots?.length && !session.allowedSlots.includes(slotId)) {
        throw conflict(`slotId: "${session.title}" is not available in that slot.`, 'slotId');
      }
      for (const other of schedule.sessions) {
        if (other.id === session.id || other.pinnedSlotId !== slotId) continue;
        if (roomId && other.pinnedRoomId === roomId) {
          throw conflict(`roomId: "${other.title}" is pinned to that room already.`, 'roomId');
        }
        if (sharesOwner(schedule, other.id, session.id)) {
          throw conflict(`slotId: "${other.title}" has the same owner and is pinned to that slot.`, 'slotId');
        }
      }
    }
    await trx
      .updateTable('unconf_proposals')
      .set({ pinned_slot_id: slotId, pinned_room_id: roomId })
      .where('id', '=', session.id)
      .execute();
    await recordAudit(trx, {
      actorId: props.actorId,
      action: props.pinned ? 'unconference.session.pin' : 'unconference.session.unpin',
      subjectType: 'unconf_proposal',
      subjectId: session.id,
      data: { eventId: props.eventId, slotId, roomId },
    });
  });
}
