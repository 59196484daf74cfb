import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MeetingIndex } from './history.js';

describe('MeetingIndex', () => {
  const index = MeetingIndex.fromHistory([
    { participants: ['a', 'b'], at: 10 },
    { participants: ['c', 'a', 'd'], at: 20 },
    { participants: ['b', 'a'], at: 30 },
    { participants: ['e'], at: 40 },
    { participants: ['f', 'f'], at: 50 },
  ]);
  const i = (id: string): number => index.indexOf(id)!;

  it('counts meetings per pair, from either side, with the latest time', () => {
    assert.equal(index.timesMet(i('a'), i('b')), 2);
    assert.equal(index.timesMet(i('b'), i('a')), 2);
    assert.equal(index.lastMet(i('a'), i('b')), 30);
    assert.equal(index.lastMet(i('a'), i('d')), 20);
  });

  it('expands a trio into its three pairs', () => {
    assert.equal(index.timesMet(i('c'), i('d')), 1);
    assert.equal(index.timesMet(i('c'), i('a')), 1);
    assert.equal(index.timesMet(i('b'), i('c')), 0);
    assert.equal(index.pairCount, 4);
  });

  it('ignores groups of one and people listed twice', () => {
    assert.equal(index.timesMet(i('f'), i('f')), 0);
    assert.equal(index.lastSeenAt(i('e')), Number.NEGATIVE_INFINITY);
    assert.deepEqual([...index.timeline], [10, 20, 30]);
  });

  it('answers "how many rounds ago"', () => {
    assert.equal(index.roundsSince(30), 0);
    assert.equal(index.roundsSince(20), 1);
    assert.equal(index.roundsSince(10), 2);
    assert.equal(index.roundsSince(5), 3);
  });

  it('keeps rows sorted so look-ups work for many people', () => {
    const history = [];
    for (let k = 0; k < 2000; k++) history.push({ participants: [`x${k % 97}`, `x${(k * 31 + 7) % 89}`], at: k });
    const big = MeetingIndex.fromHistory(history);
    const expected = new Map<string, number>();
    for (const h of history) {
      const [a, b] = h.participants as [string, string];
      if (a === b) continue;
      const key = a < b ? `${a}|${b}` : `${b}|${a}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    for (const [key, count] of expected) {
      const [a, b] = key.split('|') as [string, string];
      assert.equal(big.timesMet(big.indexOf(a)!, big.indexOf(b)!), count, key);
    }
    assert.equal(big.pairCount, expected.size);
  });
});
