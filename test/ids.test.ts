import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newId } from '../src/lib/ids.js';

test('row ids never start with "-" (the CLI would read one as an option) and stay 128-bit and distinct', () => {
  const ids = Array.from({ length: 20_000 }, newId);
  // Without the redraw about 1 in 64 would start with '-': over 300 of these.
  assert.equal(ids.filter((id) => id.startsWith('-')).length, 0);
  assert.ok(ids.every((id) => /^[A-Za-z0-9_-]{22}$/.test(id)));
  assert.equal(new Set(ids).size, ids.length);
});
