import { hash32, shuffledFor } from '../../contract/shuffle.js';

/**
 * Each person's own order of the proposal list, so early proposals are not favoured: seeded by the
 * person's id alone (the shared per-viewer shuffle of src/contract/shuffle.ts), the same on every
 * visit, and a new proposal slots in without reshuffling the others.
 */
export function shuffledForPerson<T>(personId: string, items: readonly T[], idOf: (item: T) => string): T[] {
  return shuffledFor(hash32(personId, 0x9e3779b9), items, idOf);
}
