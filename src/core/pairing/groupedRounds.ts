/**
 * A 1-factorisation of the complete graph on S = k·s slots arranged as k groups of s (k even):
 * every pair of slots meets in exactly one of S − 1 rounds, and all pairs inside a group meet in the
 * last s − 1 rounds (s even) or s rounds (s odd). Put a team in a group and teammates meet only once
 * everyone outside the team has been met, which the plain circle method cannot do: a team's internal
 * pairs always spread over at least 2s − 3 of its rounds.
 *
 * Slot a = g·s + p (group g, position p). Rounds, in order:
 *   - cross rounds: for each round R of the circle method over the k groups and each c mod s,
 *     (g, p) meets (g', q) when g' is g's partner in R and p + q ≡ c (mod s);
 *   - within rounds: the circle method inside every group at once.
 * For odd s a group has no perfect matching, so one group round R0 is set aside: inside a group,
 * p and q meet in round w when p + q ≡ 2w, and the one left over (p = w) meets the same position
 * in the group R0 pairs it with; R0's other cross pairs use q − p ≡ d for d = 1..s−1.
 */

export interface GroupedRounds {
  readonly cycleLength: number;
  /** The first round whose pairs lie inside groups (rounds before it only pair different groups). */
  readonly firstWithinRound: number;
  roundOf(a: number, b: number): number;
  partnerAt(slot: number, round: number): number;
}

/** Round in which a and b meet, circle method on an even count (hub = count − 1). */
export function circleRound(a: number, b: number, count: number): number {
  const m = count - 1;
  if (a === m) return b;
  if (b === m) return a;
  return ((a + b) * ((m + 1) / 2)) % m;
}

export function circlePartner(a: number, round: number, count: number): number {
  const m = count - 1;
  if (a === m) return round;
  if (a === round) return m;
  return (((2 * round - a) % m) + m) % m;
}

const mod = (x: number, n: number): number => ((x % n) + n) % n;

export function groupedRounds(k: number, s: number, r0: number): GroupedRounds {
  if (k < 2 || k % 2 !== 0 || s < 1) throw new Error(`groupedRounds: needs an even k ≥ 2 and s ≥ 1 (k=${k}, s=${s})`);
  if (s % 2 === 0) {
    const within = (k - 1) * s;
    return {
      cycleLength: k * s - 1,
      firstWithinRound: within,
      roundOf(a, b) {
        const ga = Math.floor(a / s);
        const gb = Math.floor(b / s);
        const pa = a - ga * s;
        const pb = b - gb * s;
        if (ga === gb) return within + circleRound(pa, pb, s);
        return circleRound(ga, gb, k) * s + ((pa + pb) % s);
      },
      partnerAt(slot, round) {
        const g = Math.floor(slot / s);
        const p = slot - g * s;
        if (round >= within) return g * s + circlePartner(p, round - within, s);
        const R = Math.floor(round / s);
        return circlePartner(g, R, k) * s + mod(round - R * s - p, s);
      },
    };
  }
  if (r0 < 0 || r0 >= k - 1) throw new Error(`groupedRounds: r0 must be a group round (r0=${r0})`);
  const r0Base = (k - 2) * s;
  const within = r0Base + s - 1;
  const half = (s + 1) / 2; // 2·half ≡ 1 (mod s)
  return {
    cycleLength: k * s - 1,
    firstWithinRound: within,
    roundOf(a, b) {
      const ga = Math.floor(a / s);
      const gb = Math.floor(b / s);
      const pa = a - ga * s;
      const pb = b - gb * s;
      if (ga === gb) return within + (((pa + pb) * half) % s);
      const R = circleRound(ga, gb, k);
      if (R === r0) {
        const d = ga < gb ? mod(pb - pa, s) : mod(pa - pb, s);
        return d === 0 ? within + pa : r0Base + d - 1;
      }
      return (R < r0 ? R : R - 1) * s + ((pa + pb) % s);
    },
    partnerAt(slot, round) {
      const g = Math.floor(slot / s);
      const p = slot - g * s;
      if (round >= within) {
        const w = round - within;
        if (p === w) return circlePartner(g, r0, k) * s + p;
        return g * s + mod(2 * w - p, s);
      }
      if (round >= r0Base) {
        const d = round - r0Base + 1;
        const other = circlePartner(g, r0, k);
        return other * s + (g < other ? mod(p + d, s) : mod(p - d, s));
      }
      const block = Math.floor(round / s);
      const R = block < r0 ? block : block + 1;
      return circlePartner(g, R, k) * s + mod(round - block * s - p, s);
    },
  };
}
