import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { after, before, describe, test } from 'node:test';
import { openContext } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { AppContext } from '../src/http/context.js';
import { enginesUnderTest, type TestDatabase } from './helpers/databases.js';
import { insertPerson } from './helpers/people.js';
import { runCli } from './helpers/process.js';

/** The pairs printed by `convene match`, one sorted line per group. */
function printedGroups(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('  ') && line.includes('·'))
    .map((line) => line.trim().split('  ·  ').sort().join(' + '))
    .sort();
}

for (const engine of enginesUnderTest()) {
  describe(`convene match --seed [${engine.engine}]`, () => {
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

    test('a seed replays a round from the same state, and says so when the state has moved on', async () => {
      const created = await runCli(
        ['group', 'create', '--name', 'Seeds', '--cron', '0 12 * * TUE', '--membership', 'auto'],
        env,
      );
      assert.equal(created.code, 0, created.output);
      for (let i = 0; i < 8; i++) await insertPerson(ctx.database.db, { username: `seed${i}`, name: `Seed ${i}` });

      // Same state, same seed: the preview is the round that is then saved, and no note.
      const preview = await runCli(['match', '--group', 'Seeds', '--dry-run', '--seed', 'first'], env);
      assert.equal(preview.code, 0, preview.output);
      const saved = await runCli(['match', '--group', 'Seeds', '--seed', 'first'], env);
      assert.equal(saved.code, 0, saved.output);
      assert.deepEqual(printedGroups(saved.output), printedGroups(preview.output));
      assert.equal(printedGroups(saved.output).length, 4);
      assert.doesNotMatch(saved.output, /Note: seed/);

      // The round with seed "first" is history now: the same seed gives a new round, and says so.
      const later = await runCli(['match', '--group', 'Seeds', '--dry-run', '--seed', 'first'], env);
      assert.equal(later.code, 0, later.output);
      assert.match(later.output, /Note: seed first is the seed of the round of .*replays a round only/s);
      assert.match(later.output, /that round is now part of the history, so this is a different round/);
      assert.match(later.output, /0 of its 4 groups match the 4 of that round/);
      assert.notDeepEqual(printedGroups(later.output), printedGroups(saved.output));

      const help = await runCli(['match', '--help'], env);
      assert.match(help.output, /replays a round only from the state\s+before it/);
    });
  });
}
