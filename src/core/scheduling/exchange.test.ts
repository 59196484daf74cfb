import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runChains } from './chains.js';
import { exchangeBuffers, exchangeFor } from './exchange.js';
import { greedyStart } from './greedy.js';
import { buildModel } from './model.js';
import { recountScore } from './rooms.js';
import { generateInstance } from './testSupport.js';

/** Chain k's arrival at the next round, written as its own exchange call would write it (without waiting). */
function arrive(
  buffers: ReturnType<typeof exchangeBuffers>,
  k: number,
  round: number,
  best: number[],
  objective: number,
) {
  const half = (round - 1) % 2;
  buffers.objectives[half * buffers.chains + k] = objective;
  buffers.schedules.set(best, (half * buffers.chains + k) * buffers.nSessions);
  Atomics.add(buffers.arrivals, 0, 1);
}

describe('exchange between chains', () => {
  it('starts each cycle from the best schedule of all chains, the lowest chain on ties', () => {
    const buffers = exchangeBuffers(3, 4);
    const stop = new Int32Array(new SharedArrayBuffer(4));
    const chain0 = exchangeFor(buffers, 0, stop);
    arrive(buffers, 1, 1, [3, 2, 1, 0], 500);
    arrive(buffers, 2, 1, [0, 0, 0, 0], 400);
    assert.deepEqual([...chain0(Int32Array.from([1, 1, 1, 1]), 450, 1)], [3, 2, 1, 0]);
    // Round 2 uses the other half of the buffers; chain 0 is now the best, and ties go to it.
    arrive(buffers, 1, 2, [2, 2, 2, 2], 600);
    arrive(buffers, 2, 2, [1, 2, 3, 0], 300);
    assert.deepEqual([...chain0(Int32Array.from([0, 1, 2, 3]), 600, 2)], [0, 1, 2, 3]);
  });

  it('meets the others at a round it jumped past, so it starts from the round it reached', () => {
    const buffers = exchangeBuffers(3, 2);
    const stop = new Int32Array(new SharedArrayBuffer(4));
    arrive(buffers, 1, 1, [1, 1], 100);
    arrive(buffers, 2, 1, [2, 2], 200);
    arrive(buffers, 1, 2, [3, 3], 300);
    arrive(buffers, 2, 2, [4, 4], 250);
    // Chain 0 reaches cycle 2 straight from cycle 0: round 2's best, not round 1's.
    assert.deepEqual([...exchangeFor(buffers, 0, stop)(Int32Array.from([0, 0]), 50, 2)], [3, 3]);
    // Both its arrivals were counted, so chains waiting at round 2 go on.
    assert.equal(Atomics.load(buffers.arrivals, 0), 6);
  });

  it('keeps its own schedule instead of waiting for ever once the chains are stopped', () => {
    const buffers = exchangeBuffers(2, 3);
    const stop = new Int32Array(new SharedArrayBuffer(4));
    Atomics.store(stop, 0, 1);
    const own = Int32Array.from([0, 1, 2]);
    const started = performance.now();
    assert.equal(exchangeFor(buffers, 0, stop)(own, 10, 1), own);
    assert.ok(performance.now() - started < 1000);
  });

  it('keeps worker chains deterministic for a seed and step budget, with a score that matches a recount', async () => {
    const model = buildModel(generateInstance({ sessions: 40, slots: 8, rooms: 5, people: 120, seed: 'exchange' }));
    const start = greedyStart(model).snapshot();
    const run = () =>
      runChains(model, start, {
        seed: 'x',
        chains: 2,
        inWorkers: true,
        iterations: 8_000,
        exchange: true,
        tuning: { cycles: 4 },
      });
    const a = await run();
    const b = await run();
    assert.deepEqual([...a.best.slotOf], [...b.best.slotOf]);
    assert.equal(a.iterations, 16_000);
    assert.equal(recountScore(model, a.best.slotOf), a.best.score);
    const size = new Int32Array(model.nSlots);
    for (let s = 0; s < model.nSessions; s++) {
      const t = a.best.slotOf[s]!;
      if (t < 0) continue;
      assert.ok(model.allowed[s * model.nSlots + t], `session ${s} in a slot it may not use`);
      assert.ok(++size[t]! <= model.capacity, `slot ${t} over its rooms`);
      for (let o = s + 1; o < model.nSessions; o++) {
        assert.ok(!(a.best.slotOf[o] === t && model.clash[s * model.nSessions + o]), `${s} and ${o} share an owner`);
      }
    }
  });
});
