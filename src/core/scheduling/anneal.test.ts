import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { runChain } from './anneal.js';
import { greedyStart } from './greedy.js';
import { buildModel, type Model } from './model.js';
import { recountScore } from './rooms.js';
import { generateInstance } from './testSupport.js';

/** Whether a placement keeps the rules the search must keep: allowed slots, room count, no owner clash. */
function feasible(model: Model, slotOf: Int32Array): boolean {
  const size = new Int32Array(model.nSlots);
  for (let s = 0; s < model.nSessions; s++) {
    const t = slotOf[s]!;
    if (t < 0) continue;
    if (!model.allowed[s * model.nSlots + t] || ++size[t]! > model.capacity) return false;
    for (let o = s + 1; o < model.nSessions; o++)
      if (slotOf[o] === t && model.clash[s * model.nSessions + o]) return false;
  }
  return true;
}

describe('annealing chain', () => {
  it('ends in a schedule no single move or swap of movable sessions improves (its final descent)', () => {
    fc.assert(
      fc.property(
        fc.record({
          sessions: fc.integer({ min: 3, max: 16 }),
          slots: fc.integer({ min: 2, max: 5 }),
          rooms: fc.integer({ min: 1, max: 4 }),
          people: fc.integer({ min: 2, max: 30 }),
          seed: fc.string({ maxLength: 6 }),
          coOwners: fc.double({ min: 0, max: 0.6, noNaN: true }),
        }),
        // A few steps only: the annealing alone would not reach a local optimum, the descent must.
        fc.integer({ min: 1, max: 50 }),
        (size, iterations) => {
          const model = buildModel(generateInstance(size));
          const chain = runChain(model, greedyStart(model).snapshot(), { seed: 'local', iterations });
          assert.equal(recountScore(model, chain.slotOf), chain.score);
          const movable = [...Array(model.nSessions).keys()].filter((s) => model.fixedSlot[s]! < 0);
          const tryPlacement = (slotOf: Int32Array, what: string) => {
            if (feasible(model, slotOf)) assert.ok(recountScore(model, slotOf) <= chain.score, `${what} improves it`);
          };
          for (const s of movable) {
            for (let t = 0; t < model.nSlots; t++) {
              if (t === chain.slotOf[s]) continue;
              const moved = chain.slotOf.slice();
              moved[s] = t;
              tryPlacement(moved, `moving ${s} to ${t}`);
            }
            for (const o of movable) {
              if (chain.slotOf[o] === chain.slotOf[s] || chain.slotOf[o]! < 0) continue;
              const swapped = chain.slotOf.slice();
              swapped[s] = chain.slotOf[o]!;
              swapped[o] = chain.slotOf[s]!;
              tryPlacement(swapped, `swapping ${s} and ${o}`);
            }
          }
        },
      ),
      { numRuns: 150, seed: 11 },
    );
  });
});
