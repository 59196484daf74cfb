import type { EventPhase } from '../../db/schema.js';
import { type AppError, conflict, forbidden, unauthorized } from '../../lib/errors.js';
import { acceptsProposals } from './phase.js';

export type TalksAction =
  | 'propose'
  | 'propose_for_someone'
  | 'edit_proposal'
  | 'withdraw_proposal'
  | 'hide_proposal'
  | 'vote'
  | 'vote_for_proposal'
  | 'manage_event'
  | 'see_results';

export interface Actor {
  id: string;
  role: 'admin' | 'member';
}

export interface PolicyTarget {
  /** The event's phase now (see phaseAt). */
  phase: EventPhase;
  proposalsDuringVoting: boolean;
  /** For proposal actions: whose talk it is. */
  speakerId?: string;
  hidden?: boolean;
  /** For votes: whether the event lets speakers vote for their own proposals. */
  allowSelfVote?: boolean;
}

export type Decision = { allowed: true } | { allowed: false; error: AppError };

const allow: Decision = { allowed: true };
const deny = (error: AppError): Decision => ({ allowed: false, error });

function phaseProblem(phase: EventPhase, wanted: 'proposals' | 'voting'): AppError {
  if (wanted === 'voting') {
    return conflict(phase === 'proposals' ? 'Voting has not opened yet.' : 'Voting has closed.');
  }
  return conflict(phase === 'closed' ? 'This event is closed.' : 'Proposals are closed: voting is under way.');
}

/**
 * Every Talks permission in one place: who may do what, in which phase. Permission problems are
 * 403s; "not now" problems (the phase) are 409s, so the page can say which it is.
 */
export function decide(actor: Actor | null, action: TalksAction, target: PolicyTarget): Decision {
  if (!actor) return deny(unauthorized('Sign in to continue.'));
  const admin = actor.role === 'admin';
  const open = acceptsProposals(target.phase, target.proposalsDuringVoting);
  switch (action) {
    case 'propose':
      // Admins may add a late talk during voting, but nobody adds one to a closed event.
      if (open || (admin && target.phase !== 'closed')) return allow;
      return deny(phaseProblem(target.phase, 'proposals'));
    case 'propose_for_someone':
      return admin ? allow : deny(forbidden('Only administrators can propose a talk for someone else.'));
    case 'edit_proposal':
    case 'withdraw_proposal':
      if (admin) return allow;
      if (target.speakerId !== actor.id) return deny(forbidden('Only the speaker can change this proposal.'));
      return open ? allow : deny(phaseProblem(target.phase, 'proposals'));
    case 'hide_proposal':
    case 'manage_event':
    case 'see_results':
      return admin ? allow : deny(forbidden('Only administrators can do that.'));
    case 'vote':
      // Changing one's vote at all (taking one back is always allowed while voting is open).
      if (target.phase !== 'voting') return deny(phaseProblem(target.phase, 'voting'));
      return allow;
    case 'vote_for_proposal':
      // Adding a vote to this proposal: admins are held to the event's rule as everyone else.
      if (target.phase !== 'voting') return deny(phaseProblem(target.phase, 'voting'));
      if (target.speakerId === actor.id && !target.allowSelfVote) {
        return deny(forbidden('This event does not let speakers vote for their own proposals.'));
      }
      return allow;
  }
}

export const can = (actor: Actor | null, action: TalksAction, target: PolicyTarget): boolean =>
  decide(actor, action, target).allowed;

export function authorize(actor: Actor | null, action: TalksAction, target: PolicyTarget): void {
  const decision = decide(actor, action, target);
  if (!decision.allowed) throw decision.error;
}
