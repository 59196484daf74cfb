import { type MatchingSolver, maxWeightMatching } from './blossom.js';
import { RoundContext } from './context.js';
import { matchPeople } from './match.js';
import { roundStats } from './stats.js';
import { trioRound } from './trio.js';
import { formTriples } from './triples.js';
import type { PairingInput, PairingMember, PairingResult } from './types.js';

/**
 * Splits this round's members into pairs (or trios) so that nobody meets someone again while
 * someone new is available. Pure and deterministic: same input + same seed ⇒ same output.
 * Every member ends up in exactly one group or in `sittingOut`.
 */
export function pairRound(input: PairingInput): PairingResult {
  return pairRoundWith(input, maxWeightMatching);
}

/** pairRound with another matching implementation (e.g. an npm package behind MatchingSolver). */
export function pairRoundWith(input: PairingInput, solver: MatchingSolver): PairingResult {
  const members = checkedMembers(input.members);
  const n = members.length;
  if (n === 0)
    return { groups: [], sittingOut: [], stats: { repeatPairs: 0, sameTeamPairs: 0, managerReportPairs: 0 } };

  const ctx = new RoundContext(input, members);
  let groups: number[][];
  let sittingOut: number[] = [];
  if (n === 1) {
    groups = [];
    sittingOut = [0];
  } else if (input.groupSize === 3) {
    groups = formTriples(ctx, solver);
  } else {
    const everyone = Array.from({ length: n }, (_, i) => i);
    const policy = input.oddPolicy ?? 'trio';
    if (n % 2 === 0) {
      groups = matchPeople(ctx, everyone, [], solver).pairs;
    } else if (policy === 'trio') {
      groups = trioRound(ctx, everyone, solver);
    } else {
      const { pairs, loner } = matchPeople(ctx, everyone, longestSinceSittingOut(ctx, input.lastSatOut), solver);
      groups = pairs;
      sittingOut = [loner];
    }
  }

  // Stable, readable output: members in input order within a group, groups by their first member.
  const sorted = groups.map((g) => [...g].sort((a, b) => a - b)).sort((a, b) => a[0]! - b[0]!);
  assertEveryoneOnce(n, sorted, sittingOut);
  return {
    groups: sorted.map((g) => g.map((i) => ctx.ids[i]!)),
    sittingOut: sittingOut.map((i) => ctx.ids[i]!),
    stats: roundStats(ctx, sorted),
  };
}

function checkedMembers(members: readonly PairingMember[]): PairingMember[] {
  const seen = new Set<string>();
  for (const m of members) {
    // A duplicate would either be dropped or placed twice; both are silent bugs, so refuse.
    if (seen.has(m.id)) throw new Error(`pairRound: member ${JSON.stringify(m.id)} is listed twice`);
    seen.add(m.id);
  }
  return [...members];
}

/**
 * Rule 6: only the people whose last sit-out is oldest (never = oldest of all) may sit out. Among
 * them the matching picks whoever leaves the best round, then the plan's bye, then the seed.
 */
function longestSinceSittingOut(ctx: RoundContext, lastSatOut: Record<string, number> | undefined): number[] {
  const when = (i: number): number => {
    const at = lastSatOut ? lastSatOut[ctx.ids[i]!] : undefined;
    return typeof at === 'number' && !Number.isNaN(at) ? at : Number.NEGATIVE_INFINITY;
  };
  let oldest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < ctx.n; i++) oldest = Math.min(oldest, when(i));
  const eligible: number[] = [];
  for (let i = 0; i < ctx.n; i++) if (when(i) === oldest) eligible.push(i);
  return eligible;
}

function assertEveryoneOnce(n: number, groups: readonly number[][], sittingOut: readonly number[]): void {
  const seen = new Uint8Array(n);
  let placed = 0;
  for (const g of [...groups, sittingOut]) {
    for (const p of g) {
      if (seen[p]) throw new Error('pairRound: internal error, a member was placed twice');
      seen[p] = 1;
      placed++;
    }
  }
  if (placed !== n) throw new Error('pairRound: internal error, a member was dropped');
}
