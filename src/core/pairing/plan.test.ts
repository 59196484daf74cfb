import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupedRounds } from './groupedRounds.js';
import { buildPlanLayout, locateRound, PLAN_NOW, PLAN_OVERDUE } from './plan.js';
import { createRng } from './rng.js';
import type { PairingMember } from './types.js';

const roster = (n: number, teams = 0): PairingMember[] =>
  Array.from({ length: n }, (_, i) => ({ id: `m${i}`, team: teams ? `t${i % teams}` : null }));

describe('round-robin plan', () => {
  for (const n of [2, 3, 6, 7, 10, 21, 40]) {
    it(`is a 1-factorisation: every pair exactly once per cycle (n = ${n})`, () => {
      const layout = buildPlanLayout(roster(n, n > 6 ? 4 : 0));
      const slots = n % 2 === 0 ? n : n + 1;
      assert.equal(layout.cycleLength, slots - 1);
      const seen = new Set<string>();
      for (let r = 0; r < layout.cycleLength; r++) {
        const used = new Set<number>();
        for (let s = 0; s < slots; s++) {
          const t = layout.partnerAt(s, r);
          assert.notEqual(t, s);
          assert.equal(layout.partnerAt(t, r), s, 'partner is mutual');
          assert.equal(layout.roundOf(s, t), r);
          used.add(s);
          if (s < t) {
            const key = `${s}-${t}`;
            assert.ok(!seen.has(key), `pair ${key} twice`);
            seen.add(key);
          }
        }
        assert.equal(used.size, slots);
      }
      assert.equal(seen.size, (slots * (slots - 1)) / 2);
    });
  }

  it('is the same for the same roster in any order', () => {
    const a = buildPlanLayout(roster(30, 5));
    const b = buildPlanLayout([...roster(30, 5)].reverse());
    for (const [id, slot] of a.slotOf) assert.equal(b.slotOf.get(id), slot);
  });

  it('piles team clashes into few rounds', () => {
    const layout = buildPlanLayout(roster(40, 4));
    const loads = Array.from({ length: layout.cycleLength }, (_, r) => layout.clashLoad(r));
    const clean = loads.filter((l) => l === 0).length;
    const cleanestQuarter = [...loads].sort((a, b) => a - b).slice(0, 10);
    // 180 teammate pairs over 39 rounds: a random layout gives ~4.6 per round and hardly a clean one.
    assert.ok(clean >= 2, `clean rounds: ${clean}, loads ${loads}`);
    assert.ok(cleanestQuarter.reduce((a, b) => a + b, 0) <= 12, `loads ${loads}`);
  });

  it('finds the first unplayed round from who has met, and marks overdue pairs', () => {
    const layout = buildPlanLayout(roster(10));
    const played = new Set([0, 1, 2, 3].map((k) => (k * 5) % layout.cycleLength));
    // Pairs of played rounds have met once, except one pair that was absent.
    const missing = [0, layout.partnerAt(0, 0)].sort((x, y) => x - y) as [number, number];
    const meetings = (a: number, b: number): number => {
      if (Math.min(a, b) === missing[0] && Math.max(a, b) === missing[1]) return 0;
      return played.has(layout.roundOf(a, b)) ? 1 : 0;
    };
    const plan = locateRound(layout, meetings, createRng('x'));
    assert.ok(!played.has(plan.current));
    for (let r = 0; r < layout.cycleLength; r++) assert.equal(plan.isDone(r), played.has(r), `round ${r}`);
    assert.equal(plan.levelOf(missing[0], missing[1]), PLAN_OVERDUE);
    const now = plan.partnerAt(3, plan.current);
    assert.equal(plan.levelOf(3, now), PLAN_NOW);
  });
});

describe('grouped round-robin (k groups of s)', () => {
  for (const [k, s] of [
    [2, 1],
    [2, 5],
    [4, 5],
    [6, 10],
    [6, 5],
    [4, 8],
    [10, 3],
  ] as const) {
    for (const r0 of s % 2 === 1 ? [0, k - 2] : [0]) {
      it(`is a 1-factorisation with all in-group pairs in the last rounds (k = ${k}, s = ${s}, r0 = ${r0})`, () => {
        const rounds = groupedRounds(k, s, r0);
        const slots = k * s;
        assert.equal(rounds.cycleLength, slots - 1);
        const seen = new Set<string>();
        for (let r = 0; r < rounds.cycleLength; r++) {
          for (let a = 0; a < slots; a++) {
            const b = rounds.partnerAt(a, r);
            assert.notEqual(a, b);
            assert.equal(rounds.partnerAt(b, r), a, 'partner is mutual');
            assert.equal(rounds.roundOf(a, b), r);
            const sameGroup = Math.floor(a / s) === Math.floor(b / s);
            if (sameGroup) assert.ok(r >= rounds.firstWithinRound, `in-group pair ${a}-${b} in round ${r}`);
            if (a < b) seen.add(`${a}-${b}`);
          }
        }
        assert.equal(seen.size, (slots * (slots - 1)) / 2);
      });
    }
  }
});
