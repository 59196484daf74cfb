/**
 * Edge weights encode the rules as a strict priority (lexicographic) order inside one integer:
 *
 *   novelty  >  how long ago / how often a repeat pair met  >  team/manager  >  round-robin plan  >  seeded tie
 *
 * Each level's unit is larger than `factor` times everything below it, where `factor` exceeds the
 * number of pairs in a matching. So one more novel pair beats any amount of the lower criteria summed
 * over the whole round, which is what makes rule 1 hold "over the whole round" and not per person.
 * Likewise, among the rounds with the most new pairs, the matching takes one with the fewest
 * same-team and manager–report pairs: a teammate is paired only when the round cannot avoid it.
 *
 * The plan (plan.ts) schedules teammates last, so on a stable roster it never asks for a clash while
 * a clash-free new round exists — except where that is the price of no repeats later (odd-sized
 * teams). Its planned clashes are therefore exempt from the team penalty while its round can be
 * played whole (the caller passes teamPenalty 0 for them); see RoundContext.clashPenalty.
 *
 * Weights stay below 2^50 so that the blossom's doubled duals are exact in a double. For very large
 * rounds (more than ~500 pairs) the factor is capped to fit, so there the lower criteria are weighed
 * rather than strictly ordered; the novelty gap remains astronomically larger than anything below it.
 */

export const TIE_LEVELS = 16;
/** 0 none, 1 same team, 2 manager–report, 3 both. */
export const TEAM_LEVELS = 4;
export const PLAN_LEVELS = 3;
/** Repeat pairs: levels for "fewer earlier meetings" (1, 2, 3, 4+). */
export const COUNT_LEVELS = 4;

const MAX_WEIGHT = 2 ** 50;

export interface WeightScale {
  readonly teamUnit: number;
  readonly planUnit: number;
  readonly recencyUnit: number;
  readonly novelUnit: number;
  /** How many "rounds ago" values are told apart for repeats (older beyond this count as equal). */
  readonly ageLevels: number;
  /** The factor actually used between levels; exact strict priority when it exceeds the pair count. */
  readonly factor: number;
}

function layout(factor: number, ageLevels: number): WeightScale & { max: number } {
  let below = TIE_LEVELS - 1;
  const planUnit = factor * (below + 1);
  below += (PLAN_LEVELS - 1) * planUnit;
  const teamUnit = factor * (below + 1);
  below += (TEAM_LEVELS - 1) * teamUnit;
  const recencyUnit = factor * (below + 1);
  const recencyLevels = ageLevels * COUNT_LEVELS;
  below += (recencyLevels - 1) * recencyUnit;
  const novelUnit = factor * (below + 1);
  // Novel edges carry everything but the recency level; +1 keeps every weight positive.
  const max = 1 + novelUnit + (TIE_LEVELS - 1) + (TEAM_LEVELS - 1) * teamUnit + (PLAN_LEVELS - 1) * planUnit;
  return { teamUnit, planUnit, recencyUnit, novelUnit, ageLevels, factor, max };
}

/** Pick the scale for a round where a matching holds at most `maxPairs` pairs. */
export function makeWeightScale(maxPairs: number): WeightScale {
  // Exact factor first; give up exactness (halve the factor) only when 16 age levels no longer fit.
  let factor = 2;
  while (factor <= maxPairs) factor *= 2;
  for (;;) {
    for (let ageLevels = 1024; ageLevels >= 16; ageLevels /= 2) {
      const scale = layout(factor, ageLevels);
      if (scale.max < MAX_WEIGHT) return scale;
    }
    factor /= 2;
  }
}

export interface PairTraits {
  met: boolean;
  /** Distinct meeting times since the pair last met (only when met). */
  roundsAgo: number;
  /** How many times they met (only when met). */
  timesMet: number;
  planLevel: number;
  teamPenalty: number;
  tie: number;
}

export function recencyLevel(scale: WeightScale, roundsAgo: number, timesMet: number): number {
  const age = Math.min(roundsAgo, scale.ageLevels - 1);
  const fewer = COUNT_LEVELS - Math.min(Math.max(timesMet, 1), COUNT_LEVELS);
  return age * COUNT_LEVELS + fewer;
}

export function weighPair(scale: WeightScale, traits: PairTraits): number {
  const top = traits.met ? recencyLevel(scale, traits.roundsAgo, traits.timesMet) * scale.recencyUnit : scale.novelUnit;
  return (
    1 +
    top +
    traits.planLevel * scale.planUnit +
    (TEAM_LEVELS - 1 - traits.teamPenalty) * scale.teamUnit +
    (traits.tie % TIE_LEVELS)
  );
}
