import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createRng } from '../pairing/rng.js';
import { buildModel } from './model.js';
import { recountScore } from './rooms.js';
import { ScheduleState } from './state.js';
import { generateInstance } from './testSupport.js';

const sizes = fc.record({
  sessions: fc.integer({ min: 2, max: 14 }),
  slots: fc.integer({ min: 1, max: 5 }),
  rooms: fc.integer({ min: 1, max: 4 }),
  people: fc.integer({ min: 1, max: 25 }),
  seed: fc.string({ maxLength: 6 }),
  coOwners: fc.double({ min: 0, max: 0.6, noNaN: true }),
});

describe('ScheduleState: incremental deltas', () => {
  it('replaceDelta of moves and swaps equals a full recount, and the kept score stays exact', () => {
    fc.assert(
      fc.property(sizes, fc.string({ maxLength: 4 }), (size, walk) => {
        const model = buildModel(generateInstance(size));
        const state = new ScheduleState(model);
        const rng = createRng(walk);
        // Sessions placed at random (rules are not the point here: only the counting is).
        for (let s = 0; s < model.nSessions; s++) {
          const t = rng.nextInt(model.nSlots + 1) - 1;
          if (t >= 0) state.add(s, t);
        }
        for (let step = 0; step < 60; step++) {
          const s = rng.nextInt(model.nSessions);
          const o = rng.nextInt(model.nSessions);
          const a = state.slotOf[s]!;
          const before = recountScore(model, state.slotOf);
          assert.equal(state.score, before);
          if (step % 2 === 0) {
            // Move s to slot t (or out of the schedule), priced as a loss and a gain too.
            const t = rng.nextInt(model.nSlots + 1) - 1;
            if (t === a) continue;
            const delta = state.replaceDelta(a, s, -1) + state.replaceDelta(t, -1, s);
            const loss = state.lossIfRemoved(s);
            state.remove(s);
            assert.equal(before - recountScore(model, state.slotOf), loss);
            const gain = t >= 0 ? state.gainIfAdded(s, t) : 0;
            if (t >= 0) state.add(s, t);
            assert.equal(recountScore(model, state.slotOf) - before, delta);
            assert.equal(delta, gain - loss);
          } else {
            const b = state.slotOf[o]!;
            if (s === o || a === b) continue;
            const delta = state.replaceDelta(a, s, o) + state.replaceDelta(b, o, s);
            state.remove(s);
            state.remove(o);
            if (b >= 0) state.add(s, b);
            if (a >= 0) state.add(o, a);
            assert.equal(recountScore(model, state.slotOf) - before, delta);
          }
          assert.equal(state.score, recountScore(model, state.slotOf));
        }
      }),
      { numRuns: 200, seed: 3 },
    );
  });
});
