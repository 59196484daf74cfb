import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createRng } from '../pairing/rng.js';
import { greedyStart } from './greedy.js';
import { buildModel, type Model } from './model.js';
import { pairDescent, SlotPairOptimiser } from './pairOpt.js';
import { recountScore } from './rooms.js';
import { generateInstance } from './testSupport.js';

const sizes = fc.record({
  sessions: fc.integer({ min: 2, max: 16 }),
  slots: fc.integer({ min: 2, max: 5 }),
  rooms: fc.integer({ min: 1, max: 4 }),
  people: fc.integer({ min: 1, max: 25 }),
  seed: fc.string({ maxLength: 6 }),
  coOwners: fc.double({ min: 0, max: 0.6, noNaN: true }),
});

/** Whether a placement keeps every hard rule of the model (rooms, allowed slots, owners, fixed slots). */
function keepsRules(model: Model, slotOf: Int32Array): boolean {
  const size = new Int32Array(model.nSlots);
  for (let s = 0; s < model.nSessions; s++) {
    const t = slotOf[s]!;
    if (model.fixedSlot[s]! >= 0 && t !== model.fixedSlot[s]) return false;
    if (t < 0) continue;
    if (!model.allowed[s * model.nSlots + t]) return false;
    if (++size[t]! > model.capacity) return false;
    for (let o = 0; o < s; o++) if (slotOf[o] === t && model.clash[s * model.nSessions + o]) return false;
  }
  return true;
}

const objective = (model: Model, slotOf: Int32Array): number => {
  let moved = 0;
  for (let s = 0; s < model.nSessions; s++)
    if (model.currentSlot[s]! >= 0 && slotOf[s] !== model.currentSlot[s]) moved++;
  return recountScore(model, slotOf) - model.moveWeight * moved;
};

describe('SlotPairOptimiser: the best split of two slots', () => {
  it('reaches the best of every split of the two slots (brute force), keeping every rule and the exact score', () => {
    fc.assert(
      fc.property(sizes, fc.string({ maxLength: 4 }), fc.boolean(), (size, walk, withCurrent) => {
        const instance = generateInstance(size);
        const rng = createRng(walk);
        // Half the time a current schedule to stay close to (its greedy placement), with a move cost.
        const first = greedyStart(buildModel(instance));
        const current = {
          assignments: [...first.slotOf].flatMap((t, s) =>
            t >= 0 && rng.nextInt(2) === 0
              ? [{ session: instance.sessions[s]!.id, slot: instance.slots[t]!.id, room: instance.rooms[0]!.id }]
              : [],
          ),
        };
        // Room r1 for all would clash: keep one session per slot in the current schedule.
        const seen = new Set<string>();
        current.assignments = current.assignments.filter((a) => !seen.has(a.slot) && seen.add(a.slot));
        const model = buildModel(instance, withCurrent ? { current, moveWeight: 1 + rng.nextInt(60) } : {});
        const state = greedyStart(model);
        const optimiser = new SlotPairOptimiser(model);
        for (let round = 0; round < 4; round++) {
          const a = rng.nextInt(model.nSlots);
          const b = (a + 1 + rng.nextInt(model.nSlots - 1)) % model.nSlots;
          const before = objective(model, state.slotOf);
          // Every split of the movable sessions of a and b, placed independently of the optimiser.
          const movable = [...state.slotOf.keys()].filter(
            (s) => (state.slotOf[s] === a || state.slotOf[s] === b) && model.fixedSlot[s]! < 0,
          );
          let best = before;
          for (let mask = 0; mask < 1 << movable.length; mask++) {
            const slotOf = state.snapshot();
            movable.forEach((s, i) => {
              slotOf[s] = mask & (1 << i) ? a : b;
            });
            if (keepsRules(model, slotOf)) best = Math.max(best, objective(model, slotOf));
          }
          const gain = optimiser.improve(state, a, b);
          assert.ok(keepsRules(model, state.slotOf));
          assert.equal(state.score, recountScore(model, state.slotOf));
          assert.ok(
            Math.abs(objective(model, state.slotOf) - best) < 1e-9,
            `${objective(model, state.slotOf)} ≠ ${best}`,
          );
          assert.ok(Math.abs(gain - (best - before)) < 1e-9);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('pairDescent on a Xen-size schedule only raises the score, and stops within its work budget', () => {
    const model = buildModel(generateInstance({ sessions: 60, slots: 16, rooms: 5, people: 300, seed: 'pairs' }));
    const state = greedyStart(model);
    const start = state.score;
    const optimiser = new SlotPairOptimiser(model);
    assert.ok(pairDescent(state, optimiser, Number.POSITIVE_INFINITY, 200_000));
    assert.ok(state.score > start);
    assert.equal(state.score, recountScore(model, state.slotOf));
    // A pass costs at most one pair (2^10 flips) beyond the budget.
    assert.ok(optimiser.flips <= 200_000 + 1024);
  });
});
