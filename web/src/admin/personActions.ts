import type { Person, PersonAction } from '../api/types';

export const ACTION_LABELS: Record<PersonAction, string> = {
  promote: 'Promote',
  demote: 'Demote',
  verify: 'Verify',
  disable: 'Disable',
  enable: 'Enable',
};

/** The actions that make sense for a person in their current state, in display order. */
export function availableActions(person: Person): PersonAction[] {
  const actions: PersonAction[] = [person.role === 'admin' ? 'demote' : 'promote'];
  if (!person.verified) actions.push('verify');
  actions.push(person.enabled ? 'disable' : 'enable');
  return actions;
}

export function describeOutcome(action: PersonAction, person: Person): string {
  const name = displayName(person);
  switch (action) {
    case 'promote':
      return `${name} is now an admin.`;
    case 'demote':
      return `${name} is now a member.`;
    case 'verify':
      return `${name} is now verified.`;
    case 'disable':
      return `${name} has been disabled.`;
    case 'enable':
      return `${name} has been enabled.`;
  }
}

export function displayName(person: Person): string {
  return person.name || person.username;
}
