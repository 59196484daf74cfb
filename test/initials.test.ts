import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initials } from '../web/src/ui/initials.js';

test('initials take whole graphemes and skip words that are not names', () => {
  assert.equal(initials('Ada Lovelace'), 'AL');
  assert.equal(initials('  grace   brewster  hopper '), 'GH');
  assert.equal(initials('Ada 🚀 Lovelace'), 'AL');
  assert.equal(initials('🚀 Ada'), 'A');
  assert.equal(initials('Émile Zola'), 'ÉZ');
  // A lone emoji name shows the whole emoji (a skin tone and a zero-width joiner included), never half of it.
  assert.equal(initials('👩🏽‍💻'), '👩🏽‍💻');
  assert.equal(initials('🦊 🐻'), '🦊');
  assert.equal(initials('Zoë'), 'Z');
  assert.equal(initials(''), '?');
});
