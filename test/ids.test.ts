import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newId } from '../src/lib/ids.js';

test('row ids never start with "-" (the CLI would read one as an option), are 22 URL-safe characters and distinct', () => {
  const ids = Array.from({ length: 20_000 }, newId);
  assert.equal(ids.filter((id) => id.startsWith('-')).length, 0);
  assert.ok(ids.every((id) => /^[A-Za-z0-9_-]{22}$/.test(id)));
  assert.equal(new Set(ids).size, ids.length);
});

test('row ids made later sort after earlier ones (rows made together sit together in an index), the rest random', async () => {
  const early = Array.from({ length: 50 }, newId);
  await new Promise((resolve) => setTimeout(resolve, 5));
  const late = Array.from({ length: 50 }, newId);
  // Byte order, as SQLite compares text.
  const bytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
  assert.ok(early.every((a) => late.every((b) => bytes(a, b) < 0)));
  // Within one millisecond the time part is shared; the 15 characters after it are not.
  const tails = new Set(early.map((id) => id.slice(7)));
  assert.equal(tails.size, early.length);
  const firstChars = new Set(Array.from({ length: 2_000 }, () => newId().slice(7, 8)));
  assert.ok(firstChars.size > 50, `the random part's first character took ${firstChars.size} of 64 values`);
});
