import type { Executor } from '../../db/database.js';
import { forbidden } from '../../lib/errors.js';
import { getSettings } from '../settings/service.js';
import { findPersonById } from './queries.js';

export const UNVERIFIED_REFUSAL =
  'Confirm your e-mail address first: this organisation lets only verified members join groups and propose. ' +
  'Use the link we e-mailed you, or ask for a new one on your profile page.';

/**
 * The one rule for "only verified members can join groups and propose" (Admin → People & sign-up):
 * when the setting is on, an unverified member is refused, whatever path they come by (web, API,
 * CLI). Administrators are never held back, and an administrator acting for someone decides.
 */
export async function assertMayTakePart(
  db: Executor,
  props: { personId: string; actor: { id: string; role: 'admin' | 'member' } },
): Promise<void> {
  if (props.actor.role === 'admin') return;
  if (!(await getSettings(db)).onlyVerifiedTakePart) return;
  const person = await findPersonById(db, props.personId);
  if (person && person.verified !== 1 && person.role !== 'admin') throw forbidden(UNVERIFIED_REFUSAL);
}
