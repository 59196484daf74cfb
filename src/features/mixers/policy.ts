import type { PersonRow } from '../people/presenters.js';

/**
 * Who may change a person's mixer settings: the person, the assistant they named, or an admin.
 * A member can never change another member's settings.
 */
export function canManageMixersOf(actor: PersonRow, target: Pick<PersonRow, 'id' | 'assistant_id'>): boolean {
  return actor.id === target.id || actor.role === 'admin' || target.assistant_id === actor.id;
}
