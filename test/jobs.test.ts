import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { FastifyBaseLogger } from 'fastify';
import { Migrator } from 'kysely';
import { testBuildOf } from '../scripts/test-build.mjs';
import { type Database, openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { migrations } from '../src/db/migrations/index.js';
import { readLease } from '../src/jobs/leases.js';
import { type Service, startJobs } from '../src/jobs/runner.js';
import { scheduledJob } from '../src/jobs/scheduled.js';
import { enginesUnderTest } from './helpers/databases.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * How to run a TypeScript fixture as a process: its build in .test-build/ (against dist/, as the
 * runner compiles every test-side file, CONVENE_TEST_BUILT), or through tsx when run some other way.
 */
function fixtureCommand(source: string): string[] {
  if (process.env.CONVENE_TEST_BUILT === '1') return [testBuildOf(root, source)];
  return ['--import', 'tsx', source];
}

const MINUTE = 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await sleep(5);
  }
}

/** A logger that keeps what the runner reports, to assert on crashes and failures. */
function recordingLog() {
  const lines: Array<{ level: string; message: string; details: Record<string, unknown> }> = [];
  const at =
    (level: string) =>
    (details: Record<string, unknown>, message = '') =>
      lines.push({ level, message, details });
  const log = {
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    trace: at('trace'),
    fatal: at('fatal'),
  } as unknown as FastifyBaseLogger;
  return { log, lines };
}

for (const engine of enginesUnderTest()) {
  describe(`a leased job on two runners [${engine.engine}]`, () => {
    const cleanups: Array<() => Promise<unknown>> = [];
    after(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup();
    });

    test('runs once per scheduled time, by whichever process claims it; after downtime, once', async () => {
      const testDatabase = await engine.create();
      cleanups.push(() => testDatabase.drop());
      const databases: Database[] = [openDatabase(testDatabase.url), openDatabase(testDatabase.url)];
      for (const database of databases) cleanups.push(() => database.close());
      await migrateToLatest(databases[0]!.db);

      let clock = new Date('2030-01-01T10:00:30Z');
      const everyMinute = (after: Date) => new Date((Math.floor(after.getTime() / MINUTE) + 1) * MINUTE);
      const runs: Array<{ due: string; holder: string }> = [];
      const { log, lines } = recordingLog();
      const runners = databases.map((database, i) =>
        startJobs(
          [
            scheduledJob({
              name: 'probe',
              db: database.db,
              everyMs: 2,
              next: everyMinute,
              now: () => clock,
              holder: `runner-${i}`,
              async run(due) {
                runs.push({ due: due.toISOString(), holder: `runner-${i}` });
                // Long enough for the other runner to tick several times while this one holds it.
                await sleep(30);
              },
            }),
          ],
          log,
        ),
      );
      cleanups.push(() => Promise.all(runners.map((runner) => runner.stop())));

      await sleep(50);
      assert.equal(runs.length, 0, 'nothing is due before the first scheduled time');

      for (const at of ['10:01:05', '10:02:10', '10:03:01']) {
        const before = runs.length;
        clock = new Date(`2030-01-01T${at}Z`);
        await until(() => runs.length > before, `the run for ${at}`);
        await sleep(100); // both runners tick many times meanwhile
      }
      // Down for an hour: one catch-up run, for the latest missed time.
      const before = runs.length;
      clock = new Date('2030-01-01T11:04:40Z');
      await until(() => runs.length > before, 'the catch-up run');
      await sleep(100);

      assert.deepEqual(
        runs.map((run) => run.due),
        [
          '2030-01-01T10:01:00.000Z',
          '2030-01-01T10:02:00.000Z',
          '2030-01-01T10:03:00.000Z',
          '2030-01-01T11:04:00.000Z',
        ],
      );
      const lease = await readLease(databases[0]!.db, 'probe');
      assert.equal(lease?.last_due_at, '2030-01-01T11:04:00.000Z', 'the row says which time ran last');
      assert.equal(lease?.holder, runs.at(-1)?.holder, 'and who ran it');
      assert.deepEqual(
        lines.filter((line) => line.level === 'error'),
        [],
      );
    });

    test('processes that look at the same due time at the same moment: exactly one runs it', async () => {
      const testDatabase = await engine.create();
      cleanups.push(() => testDatabase.drop());
      const databases: Database[] = [];
      for (let i = 0; i < 4; i++) databases.push(openDatabase(testDatabase.url));
      for (const database of databases) cleanups.push(() => database.close());
      await migrateToLatest(databases[0]!.db);
      let clock = new Date('2030-01-01T10:00:30Z');
      const everyMinute = (after: Date) => new Date((Math.floor(after.getTime() / MINUTE) + 1) * MINUTE);
      const runs: string[] = [];
      const jobs = databases.map((database, i) =>
        scheduledJob({
          name: 'race',
          db: database.db,
          everyMs: 1000,
          next: everyMinute,
          now: () => clock,
          holder: `process-${i}`,
          run: async (due) => void runs.push(due.toISOString()),
        }),
      );
      await Promise.all(jobs.map((job) => job.run()));
      for (let minute = 1; minute <= 20; minute++) {
        clock = new Date(Date.UTC(2030, 0, 1, 10, minute, 1));
        await Promise.all(jobs.map((job) => job.run()));
      }
      assert.equal(runs.length, 20, `one run per minute, not ${runs.length}`);
      assert.equal(new Set(runs).size, 20);
    });

    test('upgrading keeps the directory sync on schedule: its last import is carried over from the audit log', async () => {
      const testDatabase = await engine.create();
      cleanups.push(() => testDatabase.drop());
      const database = openDatabase(testDatabase.url);
      cleanups.push(() => database.close());
      const migrator = new Migrator({ db: database.db, provider: { getMigrations: async () => migrations } });
      assert.equal((await migrator.migrateTo('0006_votes_one_tree')).error, undefined);
      const imports: Array<[string, string]> = [
        ['a', '2030-01-01T02:00:04.000Z'],
        ['b', '2030-01-02T02:00:09.000Z'],
      ];
      for (const [id, at] of imports) {
        const row = {
          id,
          at,
          actor_id: null,
          action: 'directory.import',
          subject_type: null,
          subject_id: null,
          data: null,
        };
        await database.db.insertInto('audit_log').values(row).execute();
      }
      await migrateToLatest(database.db);
      const lease = await readLease(database.db, 'directory-sync');
      assert.equal(lease?.last_due_at, '2030-01-02T02:00:09.000Z');
    });

    test('a holder that stops renewing loses the job once its lease ends', async () => {
      const testDatabase = await engine.create();
      cleanups.push(() => testDatabase.drop());
      const database = openDatabase(testDatabase.url);
      cleanups.push(() => database.close());
      await migrateToLatest(database.db);
      let clock = new Date('2030-01-01T10:00:30Z');
      const everyMinute = (after: Date) => new Date((Math.floor(after.getTime() / MINUTE) + 1) * MINUTE);
      const job = (holder: string, run: () => Promise<void>) =>
        scheduledJob({
          name: 'slow',
          db: database.db,
          everyMs: 1000,
          next: everyMinute,
          now: () => clock,
          holder,
          leaseMs: MINUTE * 5,
          run,
        });

      let release: (() => void) | undefined;
      const stuck = job('stuck', () => new Promise<void>((resolve) => (release = resolve)));
      const other: string[] = [];
      const healthy = job('healthy', async () => void other.push(clock.toISOString()));
      await stuck.run(); // counts from 10:00:30
      clock = new Date('2030-01-01T10:01:01Z');
      const stuckRun = stuck.run();
      await until(() => release !== undefined, 'the stuck run started');
      await sleep(20);
      clock = new Date('2030-01-01T10:02:01Z');
      await healthy.run();
      assert.deepEqual(other, [], 'the lease of the running holder is respected');
      clock = new Date('2030-01-01T10:07:01Z');
      await healthy.run();
      assert.deepEqual(other, ['2030-01-01T10:07:01.000Z'], 'after the lease ends, another process takes the job');
      release?.();
      await stuckRun;
    });
  });
}

describe('a long-lived service', () => {
  const restart = { firstDelayMs: 10, maxDelayMs: 40, healthyAfterMs: 60_000 };

  function fakeService(props: { failStarts?: number } = {}) {
    const events: string[] = [];
    let crash: ((error: unknown) => void) | undefined;
    let failStarts = props.failStarts ?? 0;
    const service: Service = {
      kind: 'service',
      name: 'consumer',
      async start(crashed) {
        await sleep(5);
        if (failStarts > 0) {
          failStarts--;
          events.push('start failed');
          throw new Error('broker unreachable');
        }
        crash = crashed;
        events.push('started');
      },
      async stop() {
        await sleep(5);
        events.push('stopped');
      },
    };
    return { service, events, crash: (error: unknown) => crash?.(error) };
  }

  test('is started with the runner and stopped with it, once', async () => {
    const { service, events } = fakeService();
    const { log } = recordingLog();
    const runner = startJobs([service], log, { restart });
    await until(() => events.includes('started'), 'started');
    await runner.stop();
    assert.deepEqual(events, ['started', 'stopped']);
    await sleep(50);
    assert.deepEqual(events, ['started', 'stopped'], 'nothing starts after the stop');
  });

  test('a crash is logged, the service is stopped and started again; a failing start is retried with backoff', async () => {
    const { service, events, crash } = fakeService();
    const { log, lines } = recordingLog();
    const runner = startJobs([service], log, { restart });
    await until(() => events.includes('started'), 'started');
    crash(new Error('channel closed by the broker'));
    crash(new Error('reported twice'));
    await until(() => events.filter((e) => e === 'started').length === 2, 'restarted');
    assert.deepEqual(events, ['started', 'stopped', 'started'], 'cleaned up before the restart, restarted once');
    const crashes = lines.filter((line) => line.message.includes('service crashed'));
    assert.equal(crashes.length, 1, 'the duplicate report of one crash is ignored');
    assert.match(String((crashes[0]?.details.err as Error | undefined)?.message), /channel closed/);
    await runner.stop();
    assert.equal(events.at(-1), 'stopped');

    const flaky = fakeService({ failStarts: 3 });
    const second = recordingLog();
    const runner2 = startJobs([flaky.service], second.log, { restart });
    await until(() => flaky.events.includes('started'), 'started after three failed starts');
    const delays = second.lines
      .filter((line) => line.message.includes('service crashed'))
      .map((l) => l.details.restartInMs);
    assert.deepEqual(delays, [10, 20, 40], 'each failed start waits twice as long, up to the maximum');
    await runner2.stop();
  });

  test('a stop while a restart is pending starts nothing', async () => {
    const { service, events } = fakeService({ failStarts: 1 });
    const { log } = recordingLog();
    const runner = startJobs([service], log, { restart: { ...restart, firstDelayMs: 200 } });
    await until(() => events.includes('stopped'), 'the failed start cleaned up');
    await runner.stop();
    await sleep(300);
    assert.deepEqual(events, ['start failed', 'stopped']);
  });
});

for (const engine of enginesUnderTest()) {
  describe(`a worker process with a service [${engine.engine}]`, () => {
    const cleanups: Array<() => Promise<unknown>> = [];
    after(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup();
    });

    test('restarts the service after a crash; SIGTERM stops it before the database closes', async () => {
      const testDatabase = await engine.create();
      cleanups.push(() => testDatabase.drop());
      const child = spawn(process.execPath, fixtureCommand('test/fixtures/processes/workerWithService.ts'), {
        cwd: root,
        env: {
          ...process.env,
          LOG_LEVEL: 'warn',
          DATABASE_URL: testDatabase.url,
          CONVENE_ADMIN_PASSWORD: 'an admin password 1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      cleanups.push(async () => child.kill('SIGKILL'));
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

      await until(() => output.includes('probe started 2'), `the restart:\n${output}`, 30_000);
      assert.match(output, /service crashed; restarting/, 'the crash is logged');
      assert.match(output, /probe stopped 1/, 'the crashed service was cleaned up before its restart');
      child.kill('SIGTERM');
      assert.equal(await exited, 0, output);
      assert.match(output, /probe stopped 2/);

      const database = openDatabase(testDatabase.url);
      cleanups.push(() => database.close());
      const rows = await database.db.selectFrom('job_leases').select('name').where('name', 'like', 'probe-%').execute();
      assert.deepEqual(rows.map((row) => row.name).sort(), ['probe-stopped-1', 'probe-stopped-2'], 'both stops wrote');
    });
  });
}
