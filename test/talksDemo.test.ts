import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seedDemo } from '../src/features/demo/demo.js';
import { managerPattern } from '../src/features/mixers/eligibility.js';
import { eventResults } from '../src/features/talks/results.js';
import { enginesUnderTest } from './helpers/databases.js';
import { runCli } from './helpers/process.js';
import { Client } from './helpers/server.js';
import { forEachEngine } from './helpers/suite.js';

const titlePattern = managerPattern('Manager|Director|Principal|Head of|VP|Chief');

forEachEngine('convene demo', (get) => {
  const db = () => get().ctx.database.db;

  test('fills an empty database with a living organisation', async () => {
    const lines: string[] = [];
    const summary = await seedDemo({ db: db(), titlePattern, defaultTimezone: 'UTC', progress: (l) => lines.push(l) });
    assert.ok(lines.length >= 4, 'it says what it is doing');
    assert.ok(summary.people >= 30);
    const people = await db().selectFrom('people').select(['team', 'title', 'manager_id']).execute();
    assert.ok(new Set(people.map((p) => p.team).filter(Boolean)).size >= 5, 'several teams');
    assert.ok(people.filter((p) => p.manager_id).length >= 30, 'people have managers');
    const rounds = await db().selectFrom('rounds').select(['scheduled_for']).execute();
    assert.ok(rounds.length >= 3);
    assert.ok(
      rounds.every((r) => r.scheduled_for < new Date().toISOString()),
      'rounds in the past',
    );
    const meetings = await db().selectFrom('meetings').select('id').execute();
    assert.ok(meetings.length >= 20, 'past pairings');

    const results = await eventResults(db(), summary.event.id);
    assert.equal(results.event.phase, 'voting');
    assert.equal(results.ranking.length, 14);
    assert.equal(results.totals.votes, summary.event.votes);
    const rows = await db().selectFrom('votes').select('proposal_id').execute();
    assert.equal(rows.length, results.totals.votes, 'counts equal vote rows');
    assert.ok(results.timeline.points.length > 3, 'votes spread over days');
    assert.equal(results.suspicious.length, 1, 'the look-alike accounts are pointed out');

    // The public page shows it to anyone.
    const list = await new Client(get().app).get(`/api/v1/talks/events/${summary.event.id}/proposals`);
    assert.equal(list.body.proposals.length, 14);
    assert.ok(summary.member, 'a member account to try');
    const signin = await new Client(get().app).signIn(summary.member.username, summary.member.password);
    assert.equal(signin.status, 200);
  });

  test('refuses a database that already has data', async () => {
    await assert.rejects(
      () => seedDemo({ db: db(), titlePattern, defaultTimezone: 'UTC' }),
      (error: Error) => /already has data/.test(error.message) && /--force/.test(error.message),
    );
  });
});

test('`convene demo` on a database with data exits with the reason and the way out', async () => {
  const sqlite = enginesUnderTest().find((e) => e.engine === 'sqlite')!;
  const database = await sqlite.create();
  try {
    const env = { DATABASE_URL: database.url, CONVENE_ADMIN_PASSWORD: 'demo-admin-password-1' };
    const first = await runCli(['group', 'create', '--name', 'Existing group', '--cron', '0 10 * * MON'], env);
    assert.equal(first.code, 0, first.output);
    const refused = await runCli(['demo'], env);
    assert.equal(refused.code, 1, refused.output);
    assert.match(refused.output, /already has data .*1 mixer group/);
    assert.match(refused.output, /--force/);
  } finally {
    await database.drop();
  }
});

test('`convene demo` points to the address Convene will be served at: the port, or publicUrl', async () => {
  const sqlite = enginesUnderTest().find((e) => e.engine === 'sqlite')!;
  for (const [env, url] of [
    [{ PORT: '4873' }, 'http://localhost:4873'],
    [{ PORT: '4873', CONVENE_PUBLIC_URL: 'https://convene.example.org/' }, 'https://convene.example.org'],
  ] as const) {
    const database = await sqlite.create();
    try {
      const run = await runCli(['demo'], {
        DATABASE_URL: database.url,
        CONVENE_ADMIN_PASSWORD: 'demo-admin-pw-1',
        ...env,
      });
      assert.equal(run.code, 0, run.output);
      assert.match(run.output, new RegExp(`Open ${url.replace(/\./g, '\\.')} and sign in`));
      assert.doesNotMatch(run.output, /localhost:3000/);
    } finally {
      await database.drop();
    }
  }
});
