// test-runner: one process per engine
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { after, describe, test } from 'node:test';
import { openContext } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createGroup } from '../src/features/mixers/groups.js';
import { enginesUnderTest } from './helpers/databases.js';
import { insertPerson } from './helpers/people.js';
import { type ConveneProcess, spawnConvene, spawnWorker } from './helpers/process.js';

for (const engine of enginesUnderTest()) {
  describe(`two convene processes on one ${engine.engine} database`, () => {
    const cleanups: Array<() => Promise<unknown>> = [];
    after(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup();
    });

    test('each due round is made exactly once', async () => {
      const database = await engine.create({ migrated: true });
      cleanups.push(() => database.drop());
      const env = { DATABASE_URL: database.url, CONVENE_ADMIN_PASSWORD: 'an admin password 1' };
      const ctx = await openContext(loadConfig({ env, cwd: tmpdir() }));
      cleanups.push(() => ctx.database.close());
      const { db } = ctx.database;
      const groups = [];
      for (let g = 0; g < 8; g++) {
        groups.push(
          await createGroup({
            db,
            actorId: null,
            input: {
              name: `Due ${g}`,
              description: '',
              cron: '0 9 * * *',
              timezone: 'UTC',
              everyWeeks: 1,
              anchorDate: null,
              size: 2,
              oddPolicy: 'trio',
              eligibility: { kind: 'everyone' },
              membership: 'auto',
              introTemplate: null,
            },
          }),
        );
      }
      for (let i = 0; i < 10; i++) await insertPerson(db, { username: `p${i}` });
      // Every group's round is overdue: both processes find them all at start-up.
      await db
        .updateTable('groups')
        .set({ next_round_at: new Date(Date.now() - 3_600_000).toISOString() })
        .execute();

      // One web server per SQLite file (its lock): there the second process is a worker.
      const processes: ConveneProcess[] = await Promise.all([
        spawnConvene(env),
        engine.engine === 'sqlite' ? spawnWorker(env) : spawnConvene(env),
      ]);
      for (const p of processes) cleanups.push(async () => p.child.kill('SIGKILL'));

      const deadline = Date.now() + 30_000;
      let pending = groups.length;
      while (pending > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        const due = await db
          .selectFrom('groups')
          .select('id')
          .where('next_round_at', '<=', new Date().toISOString())
          .execute();
        pending = due.length;
      }
      assert.equal(pending, 0, 'both processes together ran every due round');
      // Give the slower process time to finish its own (losing) attempts.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      for (const p of processes) p.child.kill('SIGTERM');
      await Promise.all(processes.map((p) => p.exited));

      for (const group of groups) {
        const rounds = await db.selectFrom('rounds').select('id').where('group_id', '=', group.id).execute();
        assert.equal(rounds.length, 1, `group ${group.name} has ${rounds.length} rounds`);
        const meetings = await db.selectFrom('meetings').select('id').where('group_id', '=', group.id).execute();
        assert.equal(meetings.length, 5, '10 people make 5 pairs, once');
      }
      const output = processes.map((p) => p.output()).join('\n');
      assert.doesNotMatch(output, /job failed/, output);
    });
  });
}
