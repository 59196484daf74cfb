// test-runner: one process per engine
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { test } from 'node:test';
import { sql } from 'kysely';
import type { ImportStreamLine } from '../src/contract/directory.js';
import { importDirectory } from '../src/features/directory/importDirectory.js';
import { directoryStatus } from '../src/features/directory/status.js';
import { findPersonByUsername } from '../src/features/people/queries.js';
import { listenLocally } from './helpers/liveServer.js';
import { insertPerson } from './helpers/people.js';
import { adminClient, type Client } from './helpers/server.js';
import { forEachEngine } from './helpers/suite.js';

const HEADER = 'id,auth_username,first_name,last_name,title,avatar,enabled,is_manager,email,team,manager';

function csvLine(prefix: string, n: number, overrides: Partial<Record<string, string>> = {}): string {
  const cells = {
    id: `${prefix}-${n}`,
    auth_username: `${prefix}${n}`,
    first_name: 'Person',
    last_name: String(n),
    title: 'Engineer',
    avatar: '',
    enabled: '1',
    is_manager: '0',
    email: `${prefix}${n}@staff.example`,
    team: 'Platform',
    manager: '',
    ...overrides,
  };
  return Object.values(cells).join(',');
}

function parseLines(body: unknown): ImportStreamLine[] {
  return String(body)
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ImportStreamLine);
}

/** What the web app sends: the file as the body, the choices in the query. */
function importUrl(choices: Record<string, unknown>): string {
  const query = new URLSearchParams(Object.entries(choices).map(([key, value]) => [key, String(value)]));
  return `/api/v1/admin/directory/imports?${query}`;
}

async function upload(admin: Client, feed: string, dryRun: boolean, extra: Record<string, unknown> = {}) {
  const response = await admin.request('POST', importUrl({ fileName: 'staff.csv', dryRun, ...extra }), feed, {
    headers: { 'content-type': 'application/octet-stream' },
  });
  return {
    status: response.status,
    body: response.body,
    lines: response.status === 200 ? parseLines(response.body) : [],
  };
}

function resultOf(lines: ImportStreamLine[]) {
  const last = lines.at(-1);
  assert.ok(last && 'result' in last, `the last line is a result: ${JSON.stringify(last)}`);
  return last.result.summary;
}

/** What a dry run must leave as it was: people, directory links and the import's audit entries. */
async function snapshot(get: () => { ctx: { database: { db: any } } }) {
  const db = get().ctx.database.db;
  const people = await db
    .selectFrom('people')
    .select(['username', 'title', 'enabled', 'team'])
    .orderBy('username')
    .execute();
  const links = await db.selectFrom('external_ids').select(['external_id']).orderBy('external_id').execute();
  const imports = await db.selectFrom('audit_log').select('id').where('action', '=', 'directory.import').execute();
  return { people, links, imports: imports.length };
}

forEachEngine('directory import from the admin console', (get, engine) => {
  const db = () => get().ctx.database.db;
  const p = `${engine}w`;

  test('a dry run says what would change and changes nothing; apply does it; the CLI then finds nothing to do', async () => {
    const admin = await adminClient(get().app);
    // Someone who signed up before the directory came: linked by e-mail, not duplicated.
    await insertPerson(db(), { username: `${p}early`, email: `${p}2@staff.example`, name: 'Early Bird' });
    const feed = [
      HEADER,
      csvLine(p, 1),
      csvLine(p, 2, { title: 'Designer' }),
      csvLine(p, 3, { enabled: 'maybe' }), // line 4: a bad flag
      csvLine(p, 4, { email: 'not-an-address', avatar: 'ftp://x' }), // line 5: two bad fields
      csvLine(p, 5, { enabled: '0' }),
      csvLine(p, 6, { manager: `${p}1` }),
    ].join('\n');

    const before = await snapshot(get);
    const dry = await upload(admin, feed, true);
    assert.equal(dry.status, 200, String(dry.body));
    const predicted = resultOf(dry.lines);
    assert.deepEqual(
      {
        records: predicted.records,
        created: predicted.created,
        updated: predicted.updated,
        skipped: predicted.skipped,
        unchanged: predicted.unchanged,
      },
      { records: 6, created: 3, updated: 1, skipped: 2, unchanged: 0 },
    );
    assert.deepEqual(predicted.problems.map((problem) => `${problem.position} ${problem.field}`).sort(), [
      'line 4 enabled',
      'line 5 avatar',
      'line 5 email',
    ]);
    assert.deepEqual(await snapshot(get), before, 'a dry run changes nothing');

    const applied = await upload(admin, feed, false);
    const summary = resultOf(applied.lines);
    assert.deepEqual({ ...summary, sources: [] }, { ...predicted, sources: [] }, 'apply does what the dry run said');
    const linked = await findPersonByUsername(db(), `${p}2`);
    assert.equal(linked?.email, `${p}2@staff.example`);
    assert.equal(linked?.title, 'Designer');
    assert.equal((await findPersonByUsername(db(), `${p}5`))?.enabled, 0);
    const managed = await findPersonByUsername(db(), `${p}6`);
    assert.equal(managed?.manager_id, (await findPersonByUsername(db(), `${p}1`))?.id);
    const audit = await db()
      .selectFrom('audit_log')
      .select(['actor_id', 'data'])
      .where('action', '=', 'directory.import')
      .executeTakeFirstOrThrow();
    assert.equal(JSON.parse(audit.data ?? '{}').origin, 'web');
    assert.ok(audit.actor_id);

    // The CLI's import of the same file (the same code, from a path) finds everything as the web left it.
    const dir = await mkdtemp(join(tmpdir(), 'convene-dirweb-'));
    try {
      await writeFile(join(dir, 'staff.csv'), feed);
      const cli = await importDirectory({ db: db(), source: join(dir, 'staff.csv') });
      assert.deepEqual([cli.created, cli.updated, cli.unchanged, cli.skipped], [0, 0, 4, 2]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }

    // The directory page lists the run, newest first, with who ran it and its counts.
    const status = await admin.get('/api/v1/admin/directory');
    assert.equal(status.status, 200);
    const [latest, web] = status.body.recentRuns;
    assert.equal(latest.origin, 'cli');
    assert.equal(web.origin, 'web');
    assert.equal(web.actorName, 'Administrator');
    assert.equal(web.counts.created, 3);
  });

  test('the scheduled sync shows its feeds, its next run and how its last run went', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'convene-dirweb-'));
    try {
      const path = join(dir, 'nightly.csv');
      await writeFile(path, [HEADER, csvLine(`${p}night`, 1), csvLine(`${p}night`, 2, { enabled: 'x' })].join('\n'));
      // As the job runs it (src/jobs/directorySync.ts), then a run of another origin after it.
      await importDirectory({ db: db(), source: path, origin: 'scheduled' });
      // Runs are ordered by their millisecond; two in the same one have no order to assert.
      await new Promise((resolve) => setTimeout(resolve, 5));
      await importDirectory({ db: db(), records: [], origin: 'cli' });
      const config = {
        directory: { feeds: [path, 'https://hr.example/feed.csv?token=secret'], syncCron: '0 3 * * *', prune: true },
        defaultTimezone: 'Europe/Paris',
      };
      const status = await directoryStatus(db(), config, new Date('2026-06-01T12:00:00Z'));
      assert.deepEqual(status.feeds, [path, 'https://hr.example/feed.csv?…'], 'no token is shown');
      assert.equal(status.nextRunAt, '2026-06-02T01:00:00.000Z', '03:00 in Paris, summer time');
      assert.equal(status.lastScheduledRun?.origin, 'scheduled');
      assert.equal(status.lastScheduledRun?.outcome, 'succeeded');
      assert.deepEqual(status.lastScheduledRun?.counts, {
        records: 2,
        created: 1,
        updated: 0,
        unchanged: 0,
        skipped: 1,
        disabled: 0,
      });
      assert.equal(status.recentRuns[0]?.origin, 'cli');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('an unreadable feed is a 400 that says why, and changes nothing', async () => {
    const admin = await adminClient(get().app);
    const before = await snapshot(get);
    const noHeader = await upload(admin, 'id,auth_username\n1,ada\n', false);
    assert.equal(noHeader.status, 400);
    assert.match(
      noHeader.body.error.message,
      /has no first_name, last_name, title, avatar, enabled, is_manager columns/,
    );
    const notJson = await upload(admin, '{"people": []}', false, { fileName: 'staff.json' });
    assert.equal(notJson.status, 400);
    assert.match(notJson.body.error.message, /must be an array of people/);
    const missingChoice = await admin.request('POST', importUrl({ fileName: 'a.csv' }), HEADER, {
      headers: { 'content-type': 'text/csv' },
    });
    assert.equal(missingChoice.status, 400);
    assert.equal(missingChoice.body.error.field, 'dryRun');
    assert.deepEqual(await snapshot(get), before);
  });

  test('an import that fails half-way changes nothing', async () => {
    const admin = await adminClient(get().app);
    const crashAt = `${p}crash-150`;
    // Fails after the first batches went in, as a lost connection or a full disk would.
    if (engine === 'sqlite') {
      await sql
        .raw(`CREATE TRIGGER dirweb_crash BEFORE INSERT ON external_ids WHEN NEW.external_id = '${crashAt}'
          BEGIN SELECT RAISE(ABORT, 'simulated crash'); END`)
        .execute(db());
    } else {
      await sql
        .raw(`CREATE FUNCTION dirweb_crash() RETURNS trigger AS $$
          BEGIN IF NEW.external_id = '${crashAt}' THEN RAISE EXCEPTION 'simulated crash'; END IF; RETURN NEW; END
          $$ LANGUAGE plpgsql`)
        .execute(db());
      await sql`CREATE TRIGGER dirweb_crash BEFORE INSERT ON external_ids FOR EACH ROW EXECUTE FUNCTION dirweb_crash()`.execute(
        db(),
      );
    }
    try {
      const feed = [HEADER, ...Array.from({ length: 250 }, (_, i) => csvLine(`${p}crash`, i + 1))].join('\n');
      const response = await upload(admin, feed, false);
      assert.equal(response.status, 200);
      const progress = response.lines.filter((line) => 'progress' in line);
      assert.ok(progress.length >= 1, 'batches were written before the failure');
      const last = response.lines.at(-1);
      assert.ok(last && 'error' in last, JSON.stringify(last));
      assert.match(last.error.message, /changed nothing/);
      const people = await db().selectFrom('people').select('id').where('username', 'like', `${p}crash%`).execute();
      assert.equal(people.length, 0, 'nobody from the failed import stays');
      const failed = await db()
        .selectFrom('audit_log')
        .select('data')
        .where('action', '=', 'directory.import_failed')
        .executeTakeFirstOrThrow();
      assert.equal(JSON.parse(failed.data ?? '{}').recordsCommitted, 0);
    } finally {
      if (engine === 'sqlite') await sql`DROP TRIGGER dirweb_crash`.execute(db());
      else {
        await sql`DROP TRIGGER dirweb_crash ON external_ids`.execute(db());
        await sql`DROP FUNCTION dirweb_crash()`.execute(db());
      }
    }
  });

  test('a feed of 10,000 records shows its progress, and /healthz answers all along', async () => {
    const admin = await adminClient(get().app);
    const url = await listenLocally(get().app);
    const feed = [HEADER, ...Array.from({ length: 10_000 }, (_, i) => csvLine(`${p}big`, i + 1))].join('\n');
    const csrf = admin.cookies.get('convene_csrf') ?? '';
    const cookie = [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

    let importing = true;
    let answeredDuringImport = 0;
    let longestHealthzMs = 0;
    const pings = (async () => {
      while (importing) {
        const started = performance.now();
        const response = await fetch(`${url}/healthz`);
        await response.text();
        longestHealthzMs = Math.max(longestHealthzMs, performance.now() - started);
        if (importing && response.ok) answeredDuringImport++;
        // Often enough to see a stall, rarely enough not to be most of the file's CPU time.
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    // The server runs in this process: its event loop's longest stall is the figure that matters.
    const stalls = monitorEventLoopDelay({ resolution: 10 });
    stalls.enable();
    const started = performance.now();
    const response = await fetch(`${url}${importUrl({ fileName: 'big.csv', dryRun: false })}`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', cookie, 'x-csrf-token': csrf },
      body: feed,
    });
    const lines = parseLines(await response.text());
    const elapsedMs = performance.now() - started;
    stalls.disable();
    importing = false;
    await pings;

    assert.equal(response.status, 200);
    const progress = lines.flatMap((line) => ('progress' in line ? [line.progress.done] : []));
    assert.ok(progress.length >= 10, `progress comes batch by batch (${progress.length} lines)`);
    assert.deepEqual(
      progress,
      [...progress].sort((a, b) => a - b),
      'progress only grows',
    );
    assert.equal(resultOf(lines).created, 10_000);
    assert.ok(answeredDuringImport > 0, '/healthz answered while the import ran');
    // A figure for the report, not an assertion: the machine is shared.
    console.log(
      `[${engine}] 10,000-record import: ${Math.round(elapsedMs)} ms, /healthz answered ${answeredDuringImport} times, ` +
        `longest /healthz answer ${Math.round(longestHealthzMs)} ms, ` +
        `longest event-loop stall ${Math.round(stalls.max / 1e6)} ms (p99 ${Math.round(stalls.percentile(99) / 1e6)} ms)`,
    );
  });
});
