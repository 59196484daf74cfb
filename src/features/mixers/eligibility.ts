import { type Eligibility, eligibilitySchema } from '../../contract/mixers.js';
import type { PersonRow } from '../people/presenters.js';

// The rule's shape is the API's (src/contract/mixers.ts); this file holds what the rule means.
export type { Eligibility };

export function parseEligibility(json: string): Eligibility {
  return eligibilitySchema.parse(JSON.parse(json));
}

/**
 * A manager is someone marked so; a flag the directory stated decides, false included, and the
 * title pattern speaks only when nobody stated one.
 */
export function isManager(
  person: Pick<PersonRow, 'is_manager' | 'is_manager_stated' | 'title'>,
  titlePattern: RegExp,
): boolean {
  if (person.is_manager === 1 || person.is_manager_stated === 1) return person.is_manager === 1;
  return person.title !== null && titlePattern.test(person.title);
}

/** The server's rule of who may be in a group (Mixer only hid the switch in the browser). */
export function isEligible(
  person: Pick<PersonRow, 'is_manager' | 'is_manager_stated' | 'title' | 'team' | 'enabled'>,
  eligibility: Eligibility,
  titlePattern: RegExp,
): boolean {
  if (person.enabled !== 1) return false;
  switch (eligibility.kind) {
    case 'everyone':
      return true;
    case 'managers':
      return isManager(person, titlePattern);
    case 'teams': {
      const team = person.team?.toLowerCase();
      return team !== undefined && eligibility.teams.some((t) => t.toLowerCase() === team);
    }
  }
}

export function describeEligibility(eligibility: Eligibility): string {
  switch (eligibility.kind) {
    case 'everyone':
      return 'Everyone';
    case 'managers':
      return 'Managers only';
    case 'teams':
      return `Teams: ${eligibility.teams.join(', ')}`;
  }
}

export const managerPattern = (source: string): RegExp => new RegExp(`\\b(${source})\\b`, 'i');
