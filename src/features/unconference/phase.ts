import type { UnconferencePhase } from '../../db/schema.js';

export const PHASE_ORDER: readonly UnconferencePhase[] = ['proposals', 'scheduling', 'published', 'finished'];

export interface PhaseTimes {
  phase: UnconferencePhase;
  scheduling_at: string | null;
  publish_at: string | null;
  finish_at: string | null;
}

const rank = (phase: UnconferencePhase) => PHASE_ORDER.indexOf(phase);

/**
 * The phase at `now` (ISO text): the stored phase moved forward by every set time already past.
 * Timed moves only go forward; every rule reads this, so a time holds to the second even before the
 * job has written the new phase down.
 */
export function unconferencePhaseAt(event: PhaseTimes, now: string): UnconferencePhase {
  let phase = event.phase;
  const moves: Array<[UnconferencePhase, string | null]> = [
    ['scheduling', event.scheduling_at],
    ['published', event.publish_at],
    ['finished', event.finish_at],
  ];
  for (const [to, at] of moves) if (at !== null && at <= now && rank(phase) < rank(to)) phase = to;
  return phase;
}

/** Members see interest counts once the schedule is published. */
export const countsPublic = (phase: UnconferencePhase): boolean => phase === 'published' || phase === 'finished';

/** Ratings are taken until the schedule is published. */
export const ratingOpen = (phase: UnconferencePhase): boolean => phase === 'proposals' || phase === 'scheduling';
