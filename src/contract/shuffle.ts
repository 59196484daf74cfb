/**
 * A per-viewer order that the server and the browser both apply: each item's place comes from a hash
 * of the viewer's seed and the item's id, so every viewer gets their own shuffle (no item is always
 * first), the same one on every visit, and a new item slots in without reshuffling the others.
 * Pure, no zod: it sits with the contract because both sides must agree on it.
 */
export function hash32(text: string, seed: number): number {
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

/** A seed for one viewer of one list (a person and an event, say). */
export const seedFor = (viewer: string, list: string): number => hash32(`${viewer}:${list}`, 0x9e3779b9);

export function shuffledFor<T>(seed: number, items: readonly T[], idOf: (item: T) => string): T[] {
  return items
    .map((item) => ({ item, key: hash32(idOf(item), seed) }))
    .sort((a, b) => a.key - b.key || idOf(a.item).localeCompare(idOf(b.item)))
    .map(({ item }) => item);
}
