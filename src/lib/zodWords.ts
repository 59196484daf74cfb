import { z } from 'zod';

/** What a value must be, in words (zod's own names are its types: "expected string"). */
const KINDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  bigint: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  date: 'a date',
};

const plural = (n: number | bigint, one: string) => `${n} ${one}${Number(n) === 1 ? '' : 's'}`;

/**
 * Zod's default messages name its own terms ("Invalid input: expected string, received
 * undefined", "Too small: expected number to be >=0"); these say what to send instead. A schema's
 * own message, where it gives one, still wins. Set once for the process, on import.
 */
export function plainMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return KINDS[issue.expected] ? `must be ${KINDS[issue.expected]}` : undefined;
    case 'too_small': {
      const { minimum, inclusive, origin } = issue;
      if (origin === 'string')
        return Number(minimum) <= 1 && inclusive
          ? 'must not be empty'
          : `must be at least ${plural(minimum, 'character')}`;
      if (origin === 'array' || origin === 'set')
        return Number(minimum) <= 1 && inclusive
          ? 'must not be empty'
          : `must have at least ${plural(minimum, 'item')}`;
      if (origin === 'number' || origin === 'int' || origin === 'bigint')
        return inclusive ? `must be at least ${minimum}` : `must be more than ${minimum}`;
      return undefined;
    }
    case 'too_big': {
      const { maximum, inclusive, origin } = issue;
      if (origin === 'string') return `must be at most ${plural(maximum, 'character')}`;
      if (origin === 'array' || origin === 'set') return `must have at most ${plural(maximum, 'item')}`;
      if (origin === 'number' || origin === 'int' || origin === 'bigint')
        return inclusive ? `must be at most ${maximum}` : `must be less than ${maximum}`;
      return undefined;
    }
    default:
      return undefined;
  }
}

z.config({ customError: plainMessage });
