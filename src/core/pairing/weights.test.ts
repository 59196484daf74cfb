import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeWeightScale, type PairTraits, weighPair } from './weights.js';

const novel: PairTraits = { met: false, roundsAgo: 0, timesMet: 0, planLevel: 0, teamPenalty: 3, tie: 0 };
const bestRepeat: PairTraits = { met: true, roundsAgo: 10_000, timesMet: 1, planLevel: 2, teamPenalty: 0, tie: 15 };

describe('weights', () => {
  for (const pairs of [2, 10, 100, 500]) {
    it(`one more novel pair outweighs everything below it over a whole round (${pairs} pairs)`, () => {
      const scale = makeWeightScale(pairs);
      assert.ok(scale.factor > pairs);
      const worstNovel = weighPair(scale, novel);
      const bestOld = weighPair(scale, bestRepeat);
      const worstOld = weighPair(scale, {
        ...bestRepeat,
        roundsAgo: 0,
        timesMet: 9,
        planLevel: 0,
        teamPenalty: 3,
        tie: 0,
      });
      // Swap one repeat for one novel pair, and let every other pair lose its lower criteria.
      assert.ok(worstNovel - bestOld > pairs * (bestOld - worstOld) - (bestOld - worstOld));
      assert.ok(weighPair(scale, { ...novel, planLevel: 2, teamPenalty: 0, tie: 15 }) < 2 ** 50);
    });
  }

  it('orders repeats by age, then by how often, then team, plan, tie', () => {
    const scale = makeWeightScale(50);
    const w = (t: Partial<PairTraits>): number => weighPair(scale, { ...bestRepeat, planLevel: 0, tie: 0, ...t });
    assert.ok(w({ roundsAgo: 5, timesMet: 3 }) > w({ roundsAgo: 4, timesMet: 1 }));
    assert.ok(w({ roundsAgo: 5, timesMet: 1 }) > w({ roundsAgo: 5, timesMet: 2 }));
    assert.ok(w({ teamPenalty: 0, planLevel: 0 }) > w({ teamPenalty: 1, planLevel: 2 }));
    assert.ok(w({ planLevel: 1, tie: 0 }) > w({ planLevel: 0, tie: 15 }));
  });

  it('keeps weights exact for very large rounds', () => {
    const scale = makeWeightScale(5000);
    assert.ok(weighPair(scale, { ...novel, planLevel: 2, teamPenalty: 0, tie: 15 }) < 2 ** 50);
    assert.ok(weighPair(scale, novel) > weighPair(scale, bestRepeat));
  });
});
