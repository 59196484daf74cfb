import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { loadConfig } from '../src/config.js';
import { registerErrorHandling } from '../src/http/errors.js';
import { startJobs } from '../src/jobs/runner.js';
import { flushErrorReports, reportError, scrubEvent, scrubText, startErrorReports } from '../src/lib/errorReports.js';

const SECRETS = [
  'hunter2-smtp-password',
  'xoxb-1234-slack-bot-token',
  'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTIzNDU2',
  'session-cookie-value-42',
  'csrf-token-value-42',
  'ada.lovelace@example.org',
  'Ada Lovelace',
  '203.0.113.7',
  'abc.def.ghi-bearer',
  'verif-code-XY7Q',
];

function assertClean(text: string): void {
  for (const secret of SECRETS) assert.ok(!text.includes(secret), `${secret} leaked:\n${text}`);
}

test('the scrubber removes credentials, cookies, bodies and personal data, and keeps what helps', () => {
  const event = {
    message: 'Sending to ada.lovelace@example.org failed',
    request: {
      method: 'POST',
      url: 'https://convene.example.org/api/v1/auth/verify?code=verif-code-XY7Q&next=/groups',
      headers: {
        Cookie: 'convene_session=session-cookie-value-42',
        Authorization: 'Bearer abc.def.ghi-bearer',
        'X-CSRF-Token': 'csrf-token-value-42',
        'User-Agent': 'curl/8',
      },
      data: { password: 'hunter2-smtp-password', email: 'ada.lovelace@example.org' },
      cookies: { convene_session: 'session-cookie-value-42' },
      env: { REMOTE_ADDR: '203.0.113.7' },
    },
    user: { id: 'p_123', email: 'ada.lovelace@example.org', username: 'ada', ip_address: '203.0.113.7' },
    exception: {
      values: [
        {
          type: 'Error',
          value:
            'connect smtp://mailer:hunter2-smtp-password@smtp.example.org:587 failed; slack xoxb-1234-slack-bot-token; Authorization: Bearer abc.def.ghi-bearer',
        },
      ],
    },
    extra: {
      channel: {
        secrets: { secret: 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTIzNDU2' },
        url: 'https://hooks.example.org',
      },
      person: { name: 'Ada Lovelace', team: 'Engines' },
      webhookSecret: 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTIzNDU2',
    },
    breadcrumbs: [{ message: 'signed in as ada.lovelace@example.org from 203.0.113.7', data: { token: 'x' } }],
    server_name: 'db-host-1',
  };
  const scrubbed = scrubEvent(event);
  const text = JSON.stringify(scrubbed);
  assertClean(text);
  assert.ok(!text.includes('203.0.113.7'));
  const request = scrubbed.request as unknown as { method: string; url: string; headers: Record<string, string> };
  assert.equal(request.method, 'POST');
  assert.equal(request.url, 'https://convene.example.org/api/v1/auth/verify?code=[redacted]&next=/groups');
  assert.deepEqual(request.headers, { 'user-agent': 'curl/8' });
  assert.deepEqual(scrubbed.user, { id: 'p_123' });
  assert.match(text, /smtp:\/\/\[redacted\]@smtp\.example\.org:587/, 'the host stays: it helps');
  assert.match(text, /"team":"Engines"/);
  assert.match(text, /"url":"https:\/\/hooks\.example\.org"/);
  assert.equal(scrubText('no secret here'), 'no secret here');
  // The input is not changed in place.
  assert.equal(event.user.email, 'ada.lovelace@example.org');
});

describe('reports reach the error service, scrubbed', () => {
  const envelopes: string[] = [];
  let server: Server;
  let port = 0;
  before(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks);
        envelopes.push((request.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString('utf8'));
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
    const config = loadConfig({
      env: { SENTRY_DSN: `http://publickey@127.0.0.1:${port}/7`, SENTRY_ENVIRONMENT: 'test' },
      cwd: '/nonexistent-convene-config-dir',
    });
    assert.equal(await startErrorReports(config), true);
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function waitFor(pattern: RegExp): Promise<string> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      await flushErrorReports(1000);
      const found = envelopes.find((envelope) => pattern.test(envelope));
      if (found) return found;
      assert.ok(Date.now() < deadline, `no report matched ${pattern}:\n${envelopes.join('\n---\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  test('a 500 is reported with its route pattern, never its URL, body or credentials', async () => {
    const app = Fastify({ logger: false });
    registerErrorHandling(app);
    app.post('/boom/:id', async () => {
      throw new Error(
        'query failed at postgres://convene:hunter2-smtp-password@db:5432 for ada.lovelace@example.org (xoxb-1234-slack-bot-token)',
      );
    });
    const response = await app.inject({
      method: 'POST',
      url: '/boom/203.0.113.7?token=session-cookie-value-42',
      headers: { cookie: 'convene_session=session-cookie-value-42', 'x-csrf-token': 'csrf-token-value-42' },
      payload: { password: 'hunter2-smtp-password', name: 'Ada Lovelace' },
    });
    assert.equal(response.statusCode, 500);
    assert.doesNotMatch(response.body, /postgres|hunter2/, 'the caller learns nothing either');
    const envelope = await waitFor(/query failed/);
    assert.match(envelope, /\/boom\/:id/);
    assert.match(envelope, /"environment":"test"/);
    assert.match(envelope, /postgres:\/\/\[redacted\]@db:5432 for \[email\]/);
    assertClean(envelope);
    await app.close();
  });

  test('a failing job is reported with its name; reportError off-path context is scrubbed too', async () => {
    const jobs = startJobs(
      [
        {
          name: 'reports-broken-job',
          everyMs: 60_000,
          run: async () => {
            throw new Error('job could not reach smtp://mailer:hunter2-smtp-password@smtp.example.org');
          },
        },
      ],
      { error() {}, info() {}, warn() {} } as never,
    );
    const envelope = await waitFor(/reports-broken-job/);
    await jobs.stop();
    assert.match(envelope, /job could not reach smtp:\/\/\[redacted\]@smtp\.example\.org/);
    assertClean(envelope);

    reportError(new Error('direct report for ada.lovelace@example.org'), {
      request: { method: 'GET', url: '/api/v1/people?email=ada.lovelace@example.org&token=abc' },
    });
    const direct = await waitFor(/direct report/);
    assertClean(direct);
    assert.match(direct, /token=\[redacted\]/);
  });
});
