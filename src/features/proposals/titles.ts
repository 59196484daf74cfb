import { isUniqueViolation } from '../../db/errors.js';
import { conflict } from '../../lib/errors.js';
import { nameKey } from '../../lib/nameKey.js';

/**
 * The one rule talks and unconference proposals share: a title is unique in its event whatever its
 * case or spacing (the title_key column holds the key, under a unique index).
 */
export const titleKey = nameKey;

export const titleTaken = () => conflict('title: Another proposal in this event already has this title.', 'title');

/** Runs `work`, turning the unique title key's refusal (two people racing for one title) into a 409. */
export async function titleGuard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) throw titleTaken();
    throw error;
  }
}
