import assert from 'node:assert/strict';
import { test } from 'node:test';
import { securityHeaders } from '../src/http/securityHeaders.js';

test('data answers keep HSTS exactly when pages have it, and never carry the page policy', () => {
  const https = securityHeaders({ hsts: { maxAge: 31_536_000 } });
  assert.match(https.page['strict-transport-security'] ?? '', /max-age=31536000/);
  assert.equal(https.data['strict-transport-security'], https.page['strict-transport-security']);
  const http = securityHeaders({ hsts: false });
  assert.equal(http.page['strict-transport-security'], undefined);
  assert.equal(http.data['strict-transport-security'], undefined);
  assert.equal(http.data['content-security-policy'], "default-src 'none'; frame-ancestors 'none'");
  assert.notEqual(http.page['content-security-policy'], http.data['content-security-policy']);
});
