import type { Db } from '../../db/database.js';
import type { InterestLevel } from '../../db/schema.js';
import { nowIso } from '../../lib/time.js';
import { type Actor, authorize } from './policy.js';
import { eventTarget, loadProposal, ownershipOf } from './proposals.js';

/**
 * A person's interest in a proposal: None / A little / Yes / Very (0/25/75/100). One statement that
 * inserts or replaces the (proposal, person) row, so however many clicks arrive at once there is
 * exactly one rating. Owners are not stored (they count as Very); the admin account does not rate.
 * Not audited: a click is not an administrative change.
 */
export async function setInterest(props: {
  db: Db;
  actor: Actor;
  proposalId: string;
  level: InterestLevel;
}): Promise<{ proposalId: string; level: InterestLevel }> {
  const { db, actor, level } = props;
  const { proposal, event } = await loadProposal(db, props.proposalId);
  const ownership = await ownershipOf(db, proposal.id, actor.id);
  authorize(actor, 'rate', { ...eventTarget(event), ownership, status: proposal.status });
  const now = nowIso();
  await db
    .insertInto('unconf_interests')
    .values({ proposal_id: proposal.id, person_id: actor.id, event_id: proposal.event_id, level, updated_at: now })
    .onConflict((oc) => oc.columns(['proposal_id', 'person_id']).doUpdateSet({ level, updated_at: now }))
    .execute();
  return { proposalId: proposal.id, level };
}
