/**
 * Seeded randomness. Every tie the engine breaks goes through here so that the same input and the
 * same seed always give the same round, on any machine (no Math.random, no engine-specific hashing).
 */

/** Final avalanche step of MurmurHash3: spreads every input bit over the whole 32-bit word. */
export function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** 32-bit hash of a string (FNV-1a over UTF-16 code units, then avalanched). */
export function hashString(text: string, salt = 0): number {
  let h = (0x811c9dc5 ^ Math.imul(salt, 0x9e3779b1)) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  }
  return mix32(h ^ text.length);
}

/** Order-independent hash of two 32-bit hashes, so a pair scores the same from either side. */
export function hashPair(a: number, b: number, salt: number): number {
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  return mix32(Math.imul(lo ^ salt, 0x9e3779b1) ^ mix32(hi + salt));
}

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number;
  /** Uniform integer in [0, maxExclusive). */
  nextInt(maxExclusive: number): number;
  /** Shuffles in place (Fisher–Yates) and returns the same array. */
  shuffle<T>(items: T[]): T[];
  /** An independent stream for a sub-task, so adding draws in one place does not shift another. */
  fork(label: string): Rng;
}

/**
 * sfc32 (Small Fast Counter, by Chris Doty-Humphrey): tiny state, passes PractRand, and only needs
 * 32-bit integer maths, which JS does exactly.
 */
export function createRng(seed: string): Rng {
  let a = hashString(seed, 1);
  let b = hashString(seed, 2);
  let c = hashString(seed, 3);
  let d = 1;
  const nextUint32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // The first outputs of a freshly seeded sfc32 are still correlated with the seed words.
  for (let i = 0; i < 12; i++) nextUint32();

  const nextInt = (maxExclusive: number): number => {
    if (!(maxExclusive >= 1)) throw new RangeError(`nextInt needs a positive bound, got ${maxExclusive}`);
    if (maxExclusive <= 0x100000000) {
      // Rejection sampling keeps the result unbiased for bounds that do not divide 2^32.
      const limit = 0x100000000 - (0x100000000 % maxExclusive);
      for (;;) {
        const x = nextUint32();
        if (x < limit) return x % maxExclusive;
      }
    }
    return Math.floor(((nextUint32() * 0x100000000 + nextUint32()) / 2 ** 64) * maxExclusive);
  };

  const rng: Rng = {
    next: () => nextUint32() / 0x100000000,
    nextUint32,
    nextInt,
    shuffle<T>(items: T[]): T[] {
      for (let i = items.length - 1; i > 0; i--) {
        const j = nextInt(i + 1);
        const tmp = items[i] as T;
        items[i] = items[j] as T;
        items[j] = tmp;
      }
      return items;
    },
    fork: (label: string) => createRng(`${seed}\u0000${label}`),
  };
  return rng;
}
