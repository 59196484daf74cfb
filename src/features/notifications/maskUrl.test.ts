import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskUrl } from './channels.js';

test('a stored SMTP URL shows which server it names, never its password, path or query', () => {
  assert.equal(
    maskUrl('smtp://mailer:hunter2secret@mail.example.org:2525'),
    'smtp://mailer:••••@mail.example.org:2525',
  );
  assert.equal(maskUrl('smtps://mail.example.org'), 'smtps://mail.example.org');
  assert.equal(maskUrl('smtp://127.0.0.1:2525'), 'smtp://127.0.0.1:2525');
  assert.equal(maskUrl('smtp://u:p@mail.example.org/?token=abcdef'), 'smtp://u:••••@mail.example.org/…');
  assert.equal(maskUrl('not a url at all, long'), '••••long');
});
