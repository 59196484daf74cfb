import { hash32, shuffledFor } from '@contract/shuffle';

/**
 * Signed-out visitors all receive the same cached list; this gives each browser its own stable
 * shuffle of it while voting is open (signed-in people get theirs from the server).
 */
const KEY = 'convene.visitor';

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
  return shuffledFor(visitorSeed(), items, (item) => item.id);
}
