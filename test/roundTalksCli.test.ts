import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { after, before, describe, test } from 'node:test';
import { openContext } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createEventBody, createProposalBody } from '../src/contract/talks.js';
import { createTalksEvent } from '../src/features/talks/events.js';
import { createProposal } from '../src/features/talks/proposals.js';
import type { AppContext } from '../src/http/context.js';
import { enginesUnderTest, type TestDatabase } from './helpers/databases.js';
import { insertPerson } from './helpers/people.js';
import { runCli } from './helpers/process.js';

/** `convene round undo|announce` and `convene talks list --archived|archive|delete`: what the pages do, scripted. */
for (const engine of enginesUnderTest()) {
  describe(`round and talks commands [${engine.engine}]`, () => {
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

    test('round undo: the latest round, once; the next round may pair the same people again', async () => {
      const created = await runCli(
        ['group', 'create', '--name', 'Undo CLI', '--cron', '0 12 * * TUE', '--membership', 'auto'],
        env,
      );
      assert.equal(created.code, 0, created.output);
      for (let i = 0; i < 2; i++) await insertPerson(ctx.database.db, { username: `undo${i}` });
      const none = await runCli(['round', 'undo', '--group', 'Undo CLI'], env);
      assert.equal(none.code, 1);
      assert.match(none.output, /no round to undo/);

      const first = await runCli(['match', '--group', 'Undo CLI'], env);
      assert.equal(first.code, 0, first.output);
      const undone = await runCli(['round', 'undo', '--group', 'undo cli'], env);
      assert.equal(undone.code, 0, undone.output);
      assert.match(undone.output, /Undid the round of .* "Undo CLI": 1 meetings cancelled; nobody had heard of it/);
      const twice = await runCli(['round', 'undo', '--group', 'Undo CLI'], env);
      assert.equal(twice.code, 1);
      assert.match(twice.output, /already been undone/);

      // No --force needed: the undone round does not count as the last one.
      const again = await runCli(['match', '--group', 'Undo CLI'], env);
      assert.equal(again.code, 0, again.output);
      assert.match(again.output, /0 repeated pairs/);
      const announce = await runCli(['round', 'announce', '--group', 'Undo CLI'], env);
      assert.equal(announce.code, 1);
      assert.match(announce.output, /No channel that reaches people is turned on/);
      const unknown = await runCli(['round', 'undo', '--group', 'Nope'], env);
      assert.equal(unknown.code, 1);
      assert.match(unknown.output, /No group named "Nope"/);
    });

    test('talks list --archived, archive (and --restore), delete only with --yes', async () => {
      const speaker = await insertPerson(ctx.database.db, { username: 'speaker' });
      const event = await createTalksEvent({
        db: ctx.database.db,
        actorId: null,
        input: createEventBody.parse({ name: 'Spring talks' }),
      });
      await createProposal({
        db: ctx.database.db,
        actor: { id: speaker, role: 'member' },
        eventId: event.id,
        input: createProposalBody.parse({ title: 'Tiny databases' }),
      });
      const listed = await runCli(['talks', 'list'], env);
      assert.match(listed.output, /Spring talks/);
      assert.match((await runCli(['talks', 'list', '--archived'], env)).output, /No archived talks events/);

      const archived = await runCli(['talks', 'archive', 'spring talks'], env);
      assert.equal(archived.code, 0, archived.output);
      assert.match(archived.output, /Archived "Spring talks"/);
      assert.doesNotMatch((await runCli(['talks', 'list'], env)).output, /Spring talks/);
      assert.match((await runCli(['talks', 'list', '--archived'], env)).output, /Spring talks\t\(archived\)/);
      const restored = await runCli(['talks', 'archive', event.id, '--restore'], env);
      assert.match(restored.output, /back in the list/);

      const unconfirmed = await runCli(['talks', 'delete', 'Spring talks'], env);
      assert.equal(unconfirmed.code, 1);
      assert.match(unconfirmed.output, /removes 1 proposals and 0 votes for good\. Run again with --yes/);
      assert.match((await runCli(['talks', 'list'], env)).output, /Spring talks/, 'still there');
      const deleted = await runCli(['talks', 'delete', 'Spring talks', '--yes'], env);
      assert.equal(deleted.code, 0, deleted.output);
      assert.match(deleted.output, /Deleted "Spring talks" with 1 proposals and 0 votes/);
      const gone = await runCli(['talks', 'delete', 'Spring talks', '--yes'], env);
      assert.equal(gone.code, 1);
      assert.match(gone.output, /No talks event named "Spring talks"/);
    });
  });
}
