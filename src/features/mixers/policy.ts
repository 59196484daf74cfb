import type { PersonRow } from '../people/presenters.js';

type Actor = Pick<PersonRow, 'id' | 'role'>;

/**
 * Who may change a person's mixer settings: the person, the assistant they named, or an admin.
 * A member can never change another member's settings.
 */
export function canManageMixersOf(actor: Actor, target: Pick<PersonRow, 'id' | 'assistant_id'>): boolean {
  return actor.id === target.id || actor.role === 'admin' || target.assistant_id === actor.id;
}

/** Creating and changing groups, their members list, running rounds, history and statistics. */
export function canAdministerMixers(actor: Actor): boolean {
  return actor.role === 'admin';
}

/** Archived groups are listed only for those who administer them. */
export function canSeeArchivedGroups(actor: Actor): boolean {
  return canAdministerMixers(actor);
}
