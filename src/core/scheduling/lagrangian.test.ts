import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { runChain } from './anneal.js';
import { classBound } from './classBound.js';
import { greedyStart } from './greedy.js';
import { lagrangianBound } from './lagrangian.js';
import { buildModel } from './model.js';
import { solve } from './solve.js';
import { bruteForceOptimum, generateInstance } from './testSupport.js';
import type { Pin } from './types.js';

const tiny = fc.record({
  sessions: fc.integer({ min: 1, max: 7 }),
  slots: fc.integer({ min: 1, max: 3 }),
  rooms: fc.integer({ min: 1, max: 3 }),
  people: fc.integer({ min: 1, max: 10 }),
  seed: fc.string({ maxLength: 6 }),
  coOwners: fc.double({ min: 0, max: 0.6, noNaN: true }),
  lockedShare: fc.constantFrom(0, 0.3),
});

describe('Lagrangian bounds', () => {
  it('are never below the brute-force optimum, whatever the node budget (open nodes count)', async () => {
    await fc.assert(
      fc.asyncProperty(tiny, fc.constantFrom(1, 3, 20_000), async (size, nodes) => {
        const instance = generateInstance(size);
        const model = buildModel(instance);
        const optimum = bruteForceOptimum(instance);
        const start = greedyStart(model);
        const deadline = performance.now() + 5000;
        const columns = await lagrangianBound(model, { slotOf: start.snapshot(), rounds: 50, nodes, deadline });
        assert.ok(columns.bound >= optimum - 1e-6, `column generation ${columns.bound} < optimum ${optimum}`);
      }),
      { numRuns: 80, seed: 5 },
    );
  });

  it('grouping slots into classes (allowed slots relaxed) stays above the brute-force optimum, pins included', async () => {
    await fc.assert(
      fc.asyncProperty(tiny, fc.constantFrom(1, 3, 20_000), fc.boolean(), async (size, nodes, pinOne) => {
        const instance = generateInstance(size);
        // A pin makes its slot a class of its own (its fixed session in every set).
        const pins: Pin[] = [];
        const first = instance.sessions[0]!;
        const slot = instance.slots.find(
          (t) => !t.locked && (!first.allowedSlots?.length || first.allowedSlots.includes(t.id)),
        );
        if (pinOne && slot) pins.push({ session: first.id, slot: slot.id });
        const model = buildModel(instance, { pins });
        const optimum = bruteForceOptimum(instance, pins);
        const start = greedyStart(model);
        const result = await classBound(model, {
          slotOf: start.snapshot(),
          rounds: 60,
          nodes,
          deadline: performance.now() + 5000,
        });
        assert.ok(result.bound >= optimum - 1e-6, `class bound ${result.bound} < optimum ${optimum}`);
      }),
      { numRuns: 80, seed: 7 },
    );
  });

  it('stay above every schedule the annealing finds on larger random instances', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          sessions: fc.integer({ min: 8, max: 30 }),
          slots: fc.integer({ min: 2, max: 8 }),
          rooms: fc.integer({ min: 2, max: 5 }),
          people: fc.integer({ min: 5, max: 60 }),
          seed: fc.string({ maxLength: 6 }),
        }),
        async (size) => {
          const model = buildModel(generateInstance(size));
          const start = greedyStart(model);
          const chain = runChain(model, start.snapshot(), { seed: 'p', iterations: 3000 });
          const slots = await lagrangianBound(model, {
            slotOf: chain.slotOf,
            rounds: 15,
            nodes: 200,
            deadline: performance.now() + 5000,
          });
          assert.ok(slots.bound >= chain.score - 1e-6, `per-slot bound ${slots.bound} < ${chain.score}`);
          const classes = await classBound(model, {
            slotOf: chain.slotOf,
            rounds: 40,
            nodes: 2000,
            deadline: performance.now() + 5000,
          });
          assert.ok(classes.bound >= chain.score - 1e-6, `class bound ${classes.bound} < ${chain.score}`);
        },
      ),
      { numRuns: 25, seed: 9 },
    );
  });

  it('lets solve prove a small instance optimal and report a bound below the trivial one on a larger one', async () => {
    const small = generateInstance({ sessions: 12, slots: 4, rooms: 3, people: 30, seed: 'bound' });
    const proven = await solve(small, { iterations: 20_000, seconds: 30 });
    assert.equal(proven.stats.optimal, true);
    assert.equal(proven.upperBound, proven.score);
    const larger = generateInstance({ sessions: 40, slots: 10, rooms: 5, people: 100, seed: 'lagr' });
    const trivial = await solve(larger, { iterations: 5000, exact: false });
    const bounded = await solve(larger, { iterations: 5000 });
    assert.equal(bounded.score, trivial.score, 'the bound does not change the schedule');
    assert.ok(bounded.upperBound < trivial.upperBound, `${bounded.upperBound} vs ${trivial.upperBound}`);
    assert.ok(bounded.upperBound >= bounded.score);
  });
});
