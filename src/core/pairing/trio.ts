import { type MatchingSolver, maxWeightMatching } from './blossom.js';
import type { RoundContext } from './context.js';
import { matchPeople } from './match.js';

/** Local-search passes; each pass is O(n) weight look-ups. */
const MAX_PASSES = 8;

/**
 * Turns a matching plus one odd person into pairs and one trio.
 *
 * The odd person first joins the pair that suits them best. Then single swaps between a trio member
 * and someone in a pair are tried (the trio's three internal pairs all count as meetings, so a trio
 * is judged on all three); the best improving swap is applied until none is left.
 */
export function formTrio(ctx: RoundContext, pairs: readonly [number, number][], loner: number): number[][] {
  if (pairs.length === 0) return [[loner]];
  const groups: number[][] = pairs.map(([a, b]) => [a, b]);
  let host = 0;
  let hostScore = Number.NEGATIVE_INFINITY;
  groups.forEach(([a, b], i) => {
    const score = ctx.weight(loner, a!) + ctx.weight(loner, b!);
    if (score > hostScore) {
      hostScore = score;
      host = i;
    }
  });
  const trio = [...groups[host]!, loner];
  groups.splice(host, 1);

  for (let pass = 0; pass < MAX_PASSES && !isClean(ctx, trio); pass++) {
    const current = ctx.groupWeight(trio);
    let bestGain = 0;
    let bestMove: { member: number; group: number; side: number } | null = null;
    for (let t = 0; t < 3; t++) {
      const out = trio[t]!;
      const stay0 = trio[(t + 1) % 3]!;
      const stay1 = trio[(t + 2) % 3]!;
      const keep = ctx.weight(stay0, stay1);
      for (let g = 0; g < groups.length; g++) {
        const pair = groups[g]!;
        for (let side = 0; side < 2; side++) {
          const incoming = pair[side]!;
          const other = pair[1 - side]!;
          const gain =
            keep +
            ctx.weight(incoming, stay0) +
            ctx.weight(incoming, stay1) +
            ctx.weight(out, other) -
            current -
            ctx.weight(incoming, other);
          if (gain > bestGain) {
            bestGain = gain;
            bestMove = { member: t, group: g, side };
          }
        }
      }
    }
    if (!bestMove) break;
    const pair = groups[bestMove.group]!;
    const incoming = pair[bestMove.side]!;
    pair[bestMove.side] = trio[bestMove.member]!;
    trio[bestMove.member] = incoming;
  }
  groups.push(trio);
  return groups;
}

/** All three met nobody in the trio before and no team clash: swaps could only shuffle tie-breaks. */
function isClean(ctx: RoundContext, trio: readonly number[]): boolean {
  for (let x = 0; x < 3; x++) {
    for (let y = x + 1; y < 3; y++) {
      const a = trio[x]!;
      const b = trio[y]!;
      if (ctx.met(a, b) || ctx.teamPenalty(a, b) > 0) return false;
    }
  }
  return true;
}

/**
 * How many people to try as the trio's "third" with a full re-match each. The matching's own choice
 * ignores how well the odd one fits into a trio, so small rounds (where every repeat is felt and a
 * re-match is cheap) also try the people with the most new partners left.
 */
function thirdsToTry(n: number): number {
  if (n <= 40) return n;
  if (n <= 120) return 12;
  if (n <= 256) return 4;
  return 1;
}

/** Pairs plus one trio for an odd count: the matching's odd one out, then a few alternatives. */
export function trioRound(
  ctx: RoundContext,
  everyone: readonly number[],
  solver: MatchingSolver = maxWeightMatching,
): number[][] {
  const first = matchPeople(ctx, everyone, everyone, solver);
  let best = formTrio(ctx, first.pairs, first.loner);
  let bestScore = totalWeight(ctx, best);
  const tries = thirdsToTry(everyone.length);
  if (tries <= 1) return best;

  const unmet = (p: number): number => {
    let count = 0;
    for (const q of everyone) if (q !== p && !ctx.met(p, q)) count++;
    return count;
  };
  const ranked = everyone
    .filter((p) => p !== first.loner)
    .map((p) => ({ p, unmet: unmet(p), tie: ctx.tie(p, p) }))
    .sort((a, b) => b.unmet - a.unmet || a.tie - b.tie)
    .slice(0, tries - 1);
  for (const { p } of ranked) {
    const rest = everyone.filter((q) => q !== p);
    const matched = matchPeople(ctx, rest, [], solver);
    const groups = formTrio(ctx, matched.pairs, p);
    const score = totalWeight(ctx, groups);
    if (score > bestScore) {
      best = groups;
      bestScore = score;
    }
  }
  return best;
}

function totalWeight(ctx: RoundContext, groups: readonly number[][]): number {
  let total = 0;
  for (const g of groups) total += ctx.groupWeight(g);
  return total;
}
