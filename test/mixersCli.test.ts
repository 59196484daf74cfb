import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openContext } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { AppContext } from '../src/http/context.js';
import { enginesUnderTest, type TestDatabase } from './helpers/databases.js';
import { insertPerson } from './helpers/people.js';
import { runCli } from './helpers/process.js';

for (const engine of enginesUnderTest()) {
  describe(`mixer commands [${engine.engine}]`, () => {
    let database: TestDatabase;
    let ctx: AppContext;
    let env: Record<string, string>;
    before(async () => {
      database = await engine.create({ migrated: true });
      env = { DATABASE_URL: database.url };
      ctx = await openContext(loadConfig({ env, cwd: tmpdir() }));
    });
    after(async () => {
      await ctx?.database.close();
      await database?.drop();
    });

    test('group create refuses a bad value, naming the option', async () => {
      const bad = await runCli(['group', 'create', '--name', 'Lunch', '--cron', 'tuesdays'], env);
      assert.equal(bad.code, 1);
      assert.match(bad.output, /cron: is not a cron expression.*\(option --cron\)/s);
      const noAnchor = await runCli(
        ['group', 'create', '--name', 'Lunch', '--cron', '0 12 * * TUE', '--every-weeks', '2'],
        env,
      );
      assert.equal(noAnchor.code, 1);
      assert.match(noAnchor.output, /anchorDate/);
    });

    test('create, list, match (dry run, then for real) and export', async () => {
      const created = await runCli(
        [
          'group',
          'create',
          '--name',
          'Lunch Roulette',
          '--cron',
          '0 12 * * TUE',
          '--timezone',
          'Europe/London',
          '--membership',
          'auto',
        ],
        env,
      );
      assert.equal(created.code, 0, created.output);
      assert.match(created.output, /Created group "Lunch Roulette"/);
      for (let i = 0; i < 5; i++) await insertPerson(ctx.database.db, { username: `cli${i}`, name: `Cli Person ${i}` });

      const list = await runCli(['group', 'list'], env);
      // An automatic group counts its members before any round: the five the round is about to pair.
      assert.match(list.output, /Lunch Roulette\t5 members\t0 12 \* \* TUE Europe\/London/);

      const dry = await runCli(['match', '--group', 'lunch roulette', '--dry-run'], env);
      assert.equal(dry.code, 0, dry.output);
      assert.match(dry.output, /Dry run — nothing saved/);
      assert.match(dry.output, /5 people: 1 pairs, 1 trios/);
      const roundsAfterDry = await ctx.database.db.selectFrom('rounds').select('id').execute();
      assert.equal(roundsAfterDry.length, 0, 'a dry run saves nothing');

      const real = await runCli(['match', '--group', 'Lunch Roulette'], env);
      assert.equal(real.code, 0, real.output);
      const meetings = await ctx.database.db.selectFrom('meetings').select('id').execute();
      assert.equal(meetings.length, 2);

      const json = await runCli(['rounds', 'export', '--group', 'Lunch Roulette', '--format', 'json'], env);
      assert.equal(json.code, 0);
      const exported = JSON.parse(json.output);
      assert.equal(exported.rounds.length, 1);
      const usernames = exported.rounds[0].meetings.flatMap((m: { participants: string[] }) => m.participants).sort();
      assert.deepEqual(usernames, ['cli0', 'cli1', 'cli2', 'cli3', 'cli4']);

      const file = join(mkdtempSync(join(tmpdir(), 'convene-export-')), 'rounds.csv');
      const csv = await runCli(
        ['rounds', 'export', '--group', 'Lunch Roulette', '--format', 'csv', '--output', file],
        env,
      );
      assert.equal(csv.code, 0);
      const lines = readFileSync(file, 'utf8').trim().split('\r\n');
      assert.equal(lines[0], 'round_id,scheduled_for,meeting_id,status,participants');
      assert.equal(lines.length, 3, 'a header and one line per meeting');

      // A second round minutes after the first needs --force, as the admin page needs a confirmation.
      const again = await runCli(['match', '--group', 'Lunch Roulette'], env);
      assert.notEqual(again.code, 0, again.output);
      assert.match(again.output, /less than its usual interval.*--force/s);
      const forced = await runCli(['match', '--group', 'Lunch Roulette', '--force'], env);
      assert.equal(forced.code, 0, forced.output);

      const unknown = await runCli(['match', '--group', 'Nope'], env);
      assert.equal(unknown.code, 1);
      assert.match(unknown.output, /No group named "Nope".*convene group list/s);
    });
  });
}
