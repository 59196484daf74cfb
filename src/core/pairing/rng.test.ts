import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng, hashPair, hashString } from './rng.js';

describe('createRng', () => {
  it('repeats exactly for a seed and differs between seeds', () => {
    const a = createRng('round-42');
    const b = createRng('round-42');
    const c = createRng('round-43');
    const xs = Array.from({ length: 100 }, () => a.nextUint32());
    assert.deepEqual(
      xs,
      Array.from({ length: 100 }, () => b.nextUint32()),
    );
    assert.notDeepEqual(
      xs,
      Array.from({ length: 100 }, () => c.nextUint32()),
    );
  });

  it('draws integers uniformly in range', () => {
    const rng = createRng('uniform');
    const counts = new Array<number>(7).fill(0);
    for (let i = 0; i < 70_000; i++) {
      const x = rng.nextInt(7);
      assert.ok(Number.isInteger(x) && x >= 0 && x < 7);
      counts[x]!++;
    }
    for (const c of counts) assert.ok(Math.abs(c - 10_000) < 500, `counts ${counts}`);
    const f = rng.next();
    assert.ok(f >= 0 && f < 1);
    assert.throws(() => rng.nextInt(0));
  });

  it('shuffles into a permutation, and forks independent streams', () => {
    const rng = createRng('shuffle');
    const items = Array.from({ length: 50 }, (_, i) => i);
    const shuffled = rng.shuffle([...items]);
    assert.deepEqual(
      [...shuffled].sort((x, y) => x - y),
      items,
    );
    assert.notDeepEqual(shuffled, items);
    const f1 = createRng('s').fork('a').nextUint32();
    const f2 = createRng('s').fork('b').nextUint32();
    assert.notEqual(f1, f2);
    assert.equal(createRng('s').fork('a').nextUint32(), f1);
  });

  it('hashes stably and symmetrically for pairs', () => {
    assert.equal(hashString('alice'), hashString('alice'));
    assert.notEqual(hashString('alice'), hashString('alicf'));
    assert.equal(hashPair(1, 2, 9), hashPair(2, 1, 9));
    assert.notEqual(hashPair(1, 2, 9), hashPair(1, 2, 10));
  });
});
