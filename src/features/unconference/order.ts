/**
 * Each person's own order of the proposal list, so early proposals are not favoured: a proposal's
 * place comes from a hash of the person's id and the proposal's, the same on every visit, and a new
 * proposal slots in without reshuffling the others.
 */
function hash32(text: string, seed: number): number {
  let h = (seed ^ 0x811c9dc5) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function shuffledForPerson<T>(personId: string, items: readonly T[], idOf: (item: T) => string): T[] {
  const seed = hash32(personId, 0x9e3779b9);
  return items
    .map((item) => ({ item, key: hash32(idOf(item), seed) }))
    .sort((a, b) => a.key - b.key || idOf(a.item).localeCompare(idOf(b.item)))
    .map(({ item }) => item);
}
