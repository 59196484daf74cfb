import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { loadConfig } from '../src/config.js';
import { bearerMatches } from '../src/http/metrics.js';
import { startJobs } from '../src/jobs/runner.js';
import { scheduledJob } from '../src/jobs/scheduled.js';
import { enginesUnderTest } from './helpers/databases.js';
import { startTestApp } from './helpers/server.js';
import { forEachEngine } from './helpers/suite.js';

const TOKEN = 'metrics-token-0123456789abcdef';
const silentLog = { info() {}, warn() {}, error() {} } as never;

test('metrics need a token of 16+ characters when enabled', () => {
  assert.throws(
    () => loadConfig({ env: { CONVENE_METRICS: 'true' }, cwd: '/nonexistent-convene-config-dir' }),
    /metrics\.token \(CONVENE_METRICS_TOKEN\): metrics\.token is required/,
  );
  assert.throws(
    () => loadConfig({ env: { CONVENE_METRICS: 'true', CONVENE_METRICS_TOKEN: 'short' }, cwd: '/nonexistent' }),
    /metrics\.token.*at least 16/,
  );
  assert.equal(bearerMatches(`Bearer ${TOKEN}`, TOKEN), true);
  assert.equal(bearerMatches(`bearer ${TOKEN}`, TOKEN), true);
  for (const header of [undefined, '', TOKEN, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, `Basic ${TOKEN}`])
    assert.equal(bearerMatches(header, TOKEN), false, String(header));
});

describe('metrics are off by default', () => {
  const database = enginesUnderTest()[0]!;
  let close: () => Promise<void> = async () => {};
  after(() => close());
  test("GET /metrics is no metrics endpoint: the web app's page, with a token or without", async () => {
    const created = await database.create();
    const app = await startTestApp(created);
    close = async () => {
      await app.close();
      await created.drop();
    };
    const response = await app.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    assert.doesNotMatch(String(response.headers['content-type']), /version=0\.0\.4/);
    assert.doesNotMatch(response.body, /convene_/);
  });
});

forEachEngine(
  'GET /metrics',
  (get, engine) => {
    const scrape = async (authorization?: string) =>
      get().app.inject({ url: '/metrics', headers: authorization ? { authorization } : {} });

    test('refuses a missing or wrong token with 401 in the API error shape', async () => {
      for (const authorization of [undefined, 'Bearer wrong-token', `Bearer ${TOKEN.replace(/.$/, 'x')}`]) {
        const response = await scrape(authorization);
        assert.equal(response.statusCode, 401, String(authorization));
        assert.equal(response.json().error.code, 'unauthorized');
        assert.match(String(response.headers['www-authenticate']), /Bearer/);
      }
    });

    test('answers Prometheus text: request durations by route pattern, outbox, rounds, jobs', async () => {
      await get().app.inject({ url: '/healthz' });
      await get().app.inject({ url: '/api/v1/talks/events/some-id-that-is-not-there' });
      await get().app.inject({ url: '/api/v1/no/such/route/123' });

      // A job that works, one that fails, and a cron-timed one, run by the real runner.
      let fail = true;
      const jobs = startJobs(
        [
          { name: `metrics-ok-${engine}`, everyMs: 60_000, run: async () => {} },
          {
            name: `metrics-broken-${engine}`,
            everyMs: 60_000,
            run: async () => {
              if (fail) throw new Error('broken on purpose');
            },
          },
        ],
        silentLog,
      );
      let now = new Date('2026-03-01T00:00:00Z');
      const cron = scheduledJob({
        name: `metrics-cron-${engine}`,
        db: get().ctx.database.db,
        everyMs: 60_000,
        next: (afterTime) => new Date(afterTime.getTime() + 60_000),
        now: () => now,
        run: async () => {},
      });
      await cron.run();
      now = new Date('2026-03-01T00:01:30Z');
      await cron.run();

      let text = '';
      const deadline = Date.now() + 10_000;
      const failedOnce = new RegExp(`convene_job_runs_total\\{job="metrics-broken-${engine}",outcome="failed"\\} 1`);
      while (!failedOnce.test(text)) {
        if (Date.now() > deadline) {
          await jobs.stop();
          assert.fail(`job runs never counted:\n${text}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
        const response = await scrape(`Bearer ${TOKEN}`);
        assert.equal(response.statusCode, 200);
        assert.match(String(response.headers['content-type']), /^text\/plain; version=0\.0\.4/);
        text = response.body;
      }
      fail = false;
      await jobs.stop();

      assert.match(
        text,
        /convene_http_request_duration_seconds_count\{method="GET",route="\/healthz",status_code="200"\} [1-9]/,
      );
      assert.match(
        text,
        /convene_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/talks\/events\/:id",status_code="40\d"\} [1-9]/,
        'labelled by the route pattern, not the URL',
      );
      assert.doesNotMatch(text, /some-id-that-is-not-there|no\/such\/route/, 'no raw URL becomes a label');
      assert.match(text, /route="unmatched",status_code="404"/);
      assert.match(text, new RegExp(`convene_job_runs_total\\{job="metrics-ok-${engine}",outcome="ok"\\} 1`));
      assert.match(text, new RegExp(`convene_scheduled_job_runs_total\\{job="metrics-cron-${engine}"\\} 1`));
      assert.match(text, /convene_outbox_messages\{status="pending"\} 0/);
      assert.match(text, /convene_outbox_lag_seconds 0/);
      assert.match(text, /convene_mixer_rounds 0/);
      assert.match(text, /# TYPE convene_inbound_deliveries gauge/);
      assert.match(text, /# TYPE convene_messages_total counter/);
      assert.match(text, /convene_process_cpu_seconds_total/);
      assert.doesNotMatch(text, new RegExp(TOKEN), 'the token never appears');
    });
  },
  { 'metrics.enabled': true, 'metrics.token': TOKEN },
);
