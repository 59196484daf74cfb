import { createHash } from 'node:crypto';
import type { Executor } from '../../db/database.js';
import type { EventSchedule, Placement } from './scheduleInstance.js';

/**
 * What the engine's bound of a run depends on, as one hash: the instance it was given (slots and
 * their locks, room capacities, sessions with owners, allowed slots and pins, every rating) and the
 * sessions in locked slots (the engine keeps those as they are). Names and titles are left out: they
 * change no number. While the event's hash equals the one stored with the run, the run's bound still
 * holds for every schedule the admin can make: a hand move in an open slot changes the score, not
 * the bound, so the gap is recomputed. A change of ratings, proposals, locks, pins or rooms makes
 * the bound stale.
 */
export function scheduleFingerprint(schedule: EventSchedule, placements: readonly Placement[]): string {
  const sorted = (list: string[]) => [...list].sort();
  const locked = new Set(schedule.slots.filter((s) => s.locked).map((s) => s.id));
  const canonical = {
    slots: sorted(schedule.slots.map((s) => `${s.id}:${s.locked ? 1 : 0}`)),
    rooms: sorted(schedule.rooms.map((r) => `${r.id}:${r.capacity}`)),
    sessions: sorted(
      schedule.sessions.map((s) =>
        [
          s.id,
          sorted(s.owners).join(','),
          sorted(s.allowedSlots ?? []).join(','),
          s.pinnedSlotId ?? '',
          s.pinnedRoomId ?? '',
        ].join(':'),
      ),
    ),
    interests: sorted(
      Object.entries(schedule.instance.interests).flatMap(([person, mine]) =>
        Object.entries(mine)
          .filter(([, level]) => level > 0)
          .map(([session, level]) => `${person}:${session}:${level}`),
      ),
    ),
    inLockedSlots: sorted(placements.filter((p) => locked.has(p.slot)).map((p) => `${p.session}:${p.slot}:${p.room}`)),
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

export interface RunBound {
  runId: string;
  /** The engine's upper bound: no schedule of this instance scores more. */
  upperBound: number;
  /** (upperBound − score) / upperBound of the working schedule. */
  gap: number;
  optimal: boolean;
  finishedAt: string | null;
}

/**
 * The engine's bound of the event's latest finished run, when nothing it depends on has changed
 * since (see scheduleFingerprint), with the gap of the working schedule's score to it; null
 * otherwise: then only the trivial bound is known.
 */
export async function currentRunBound(db: Executor, schedule: EventSchedule, score: number): Promise<RunBound | null> {
  const run = await db
    .selectFrom('unconf_runs')
    .select(['id', 'upper_bound', 'result', 'finished_at'])
    .where('event_id', '=', schedule.eventId)
    .where('status', '=', 'done')
    .orderBy('finished_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!run?.result || run.upper_bound === null) return null;
  const result = JSON.parse(run.result) as { fingerprint?: string; stats?: { optimal?: boolean } };
  if (!result.fingerprint || result.fingerprint !== scheduleFingerprint(schedule, schedule.working)) return null;
  const upperBound = Number(run.upper_bound);
  return {
    runId: run.id,
    upperBound,
    gap: upperBound > 0 ? Math.max(0, (upperBound - score) / upperBound) : 0,
    optimal: result.stats?.optimal === true,
    finishedAt: run.finished_at,
  };
}
