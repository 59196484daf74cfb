/**
 * Per-viewer order during voting: each proposal's place comes from a hash of the viewer and the
 * proposal, so every viewer gets their own shuffle (no talk is always first), the same one on every
 * visit, and a new proposal slots in without reshuffling the others.
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

export const viewerSeed = (viewerId: string, eventId: string): number => hash32(`${viewerId}:${eventId}`, 0x9e3779b9);

export function shuffledFor<T>(seed: number, items: readonly T[], idOf: (item: T) => string): T[] {
  return items
    .map((item) => ({ item, key: hash32(idOf(item), seed) }))
    .sort((a, b) => a.key - b.key || idOf(a.item).localeCompare(idOf(b.item)))
    .map(({ item }) => item);
}
