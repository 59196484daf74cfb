import type { EventPhase } from '../../db/schema.js';

export interface PhaseTimes {
  phase: EventPhase;
  voting_opens_at: string | null;
  voting_closes_at: string | null;
}

/**
 * The phase an event is in at `now` (ISO text): the stored phase, moved on by any configured switch
 * time already past. Every rule uses this, so a switch time holds to the second even before the
 * background job has written the new phase down.
 */
export function phaseAt(event: PhaseTimes, now: string): EventPhase {
  let phase = event.phase;
  if (phase === 'proposals' && event.voting_opens_at !== null && event.voting_opens_at <= now) phase = 'voting';
  if (phase !== 'closed' && event.voting_closes_at !== null && event.voting_closes_at <= now) phase = 'closed';
  return phase;
}

/** When the phase will next change by itself after `now`, if it will. */
export function nextSwitchAt(event: PhaseTimes, now: string): string | null {
  const phase = phaseAt(event, now);
  const candidates: string[] = [];
  if (phase === 'proposals' && event.voting_opens_at && event.voting_opens_at > now) {
    candidates.push(event.voting_opens_at);
  }
  if (phase !== 'closed' && event.voting_closes_at && event.voting_closes_at > now) {
    candidates.push(event.voting_closes_at);
  }
  return candidates.sort()[0] ?? null;
}

export function acceptsProposals(phase: EventPhase, proposalsDuringVoting: boolean): boolean {
  return phase === 'proposals' || (phase === 'voting' && proposalsDuringVoting);
}
