import type { UnconferencePhase } from '../../db/schema.js';
import { type AppError, conflict, forbidden, notFound, unauthorized } from '../../lib/errors.js';
import { countsPublic, ratingOpen } from './phase.js';

export type UnconferenceAction =
  | 'view_event'
  | 'propose'
  | 'propose_beyond_limit'
  | 'view_proposal'
  | 'edit_proposal'
  | 'withdraw_proposal'
  | 'moderate'
  | 'manage_event'
  | 'rate'
  | 'see_counts';

export interface Actor {
  id: string;
  role: 'admin' | 'member';
}

export interface PolicyTarget {
  /** The event's phase now (see unconferencePhaseAt). */
  phase: UnconferencePhase;
  websiteActive: boolean;
  /** For proposal actions: the actor's part in it, if any. */
  ownership?: 'owner' | 'co-owner' | null;
  status?: 'pending' | 'approved' | 'rejected';
}

export type Decision = { allowed: true } | { allowed: false; error: AppError };

const allow: Decision = { allowed: true };
const deny = (error: AppError): Decision => ({ allowed: false, error });
const adminOnly = () => deny(forbidden('Only administrators can do that.'));

function notProposing(phase: UnconferencePhase): AppError {
  return conflict(
    phase === 'finished' ? 'This unconference is over.' : 'Proposals are closed: the schedule is being made.',
  );
}

/**
 * Every unconference permission in one place. Permission problems are 403s, "not now" problems
 * (the phase) 409s, and what the viewer may not even know of (a switched-off event, someone else's
 * proposal waiting for approval) a 404. Signed-out visitors may only view.
 */
export function decide(actor: Actor | null, action: UnconferenceAction, target: PolicyTarget): Decision {
  const admin = actor?.role === 'admin';
  if (!target.websiteActive && !admin) return deny(notFound('No such event.'));
  switch (action) {
    case 'view_event':
      return allow;
    case 'view_proposal':
      if (target.status === 'approved' || admin || target.ownership) return allow;
      return deny(notFound('No such proposal.'));
    case 'see_counts':
      return admin || countsPublic(target.phase)
        ? allow
        : deny(forbidden('Interest is shown once the schedule is published.'));
  }
  if (!actor) return deny(unauthorized('Sign in to continue.'));
  switch (action) {
    case 'propose':
      if (target.phase === 'proposals' || (admin && target.phase !== 'finished')) return allow;
      return deny(notProposing(target.phase));
    case 'propose_beyond_limit':
    case 'moderate':
    case 'manage_event':
      return admin ? allow : adminOnly();
    case 'edit_proposal':
    case 'withdraw_proposal':
      if (admin) return allow;
      if (!target.ownership) return deny(forbidden('Only its owners can change this proposal.'));
      if (action === 'withdraw_proposal' && target.ownership !== 'owner') {
        return deny(forbidden('Only the person who proposed it can withdraw this proposal.'));
      }
      return target.phase === 'proposals' ? allow : deny(notProposing(target.phase));
    case 'rate':
      if (admin) return deny(forbidden('The administrator account does not rate sessions.'));
      if (target.status !== undefined && target.status !== 'approved') return deny(notFound('No such proposal.'));
      if (!ratingOpen(target.phase)) return deny(conflict('Interest is closed: the schedule is published.'));
      if (target.ownership) return deny(conflict('You own this proposal: you count as Very interested.'));
      return allow;
  }
}

export const can = (actor: Actor | null, action: UnconferenceAction, target: PolicyTarget): boolean =>
  decide(actor, action, target).allowed;

export function authorize(actor: Actor | null, action: UnconferenceAction, target: PolicyTarget): void {
  const decision = decide(actor, action, target);
  if (!decision.allowed) throw decision.error;
}
