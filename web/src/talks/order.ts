/**
 * Signed-out visitors all receive the same cached list; this gives each browser its own stable
 * shuffle of it while voting is open (signed-in people get theirs from the server).
 */
const KEY = 'convene.visitor';

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

function visitorSeed(): number {
  let id: string | null = null;
  try {
    id = localStorage.getItem(KEY);
    if (!id) {
      id = Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');
      localStorage.setItem(KEY, id);
    }
  } catch {
    id = 'visitor';
  }
  return hash32(id, 0x9e3779b9);
}

export function shuffleForVisitor<T extends { id: string }>(items: readonly T[]): T[] {
  const seed = visitorSeed();
  return items
    .map((item) => ({ item, key: hash32(item.id, seed) }))
    .sort((a, b) => a.key - b.key)
    .map(({ item }) => item);
}
