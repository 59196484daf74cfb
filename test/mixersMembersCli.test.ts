import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { after, before, describe, test } from 'node:test';
import { openContext } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { AppContext } from '../src/http/context.js';
import { enginesUnderTest, type TestDatabase } from './helpers/databases.js';
import { insertPerson } from './helpers/people.js';
import { runCli } from './helpers/process.js';

for (const engine of enginesUnderTest()) {
  describe(`convene member [${engine.engine}]`, () => {
    let database: TestDatabase;
    let ctx: AppContext;
    let env: Record<string, string>;
    const membership = (groupName: string, username: string) =>
      ctx.database.db
        .selectFrom('group_members')
        .innerJoin('groups', 'groups.id', 'group_members.group_id')
        .innerJoin('people', 'people.id', 'group_members.person_id')
        .select(['group_members.status', 'group_members.paused_until', 'group_members.skip_round_at'])
        .where('groups.name', '=', groupName)
        .where('people.username', '=', username)
        .executeTakeFirst();

    before(async () => {
      database = await engine.create({ migrated: true });
      env = { DATABASE_URL: database.url };
      ctx = await openContext(loadConfig({ env, cwd: tmpdir() }));
      for (const [name, eligibility] of [
        ['Coffee', 'everyone'],
        ['Leads', 'managers'],
      ]) {
        const created = await runCli(
          ['group', 'create', '--name', name!, '--cron', '0 10 * * MON', '--eligibility', eligibility!],
          env,
        );
        assert.equal(created.code, 0, created.output);
      }
      await insertPerson(ctx.database.db, { username: 'ada', email: 'ada@example.org' });
      await insertPerson(ctx.database.db, { username: 'ben', title: 'Engineering Manager' });
    });
    after(async () => {
      await ctx?.database.close();
      await database?.drop();
    });

    test('join, pause, resume, skip and leave, naming the person by username or e-mail', async () => {
      const join = await runCli(['member', 'join', '--group', 'coffee', '--person', 'ADA@example.org'], env);
      assert.equal(join.code, 0, join.output);
      assert.match(join.output, /ada in "Coffee": active/);
      assert.equal((await membership('Coffee', 'ada'))?.status, 'active');

      const until = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
      const pause = await runCli(['member', 'pause', '-g', 'Coffee', '-p', 'ada', '--until', until], env);
      assert.equal(pause.code, 0, pause.output);
      assert.equal((await membership('Coffee', 'ada'))?.status, 'paused');

      assert.equal((await runCli(['member', 'resume', '-g', 'Coffee', '-p', 'ada'], env)).code, 0);
      assert.equal((await membership('Coffee', 'ada'))?.status, 'active');

      const skip = await runCli(['member', 'skip', '-g', 'Coffee', '-p', 'ada'], env);
      assert.equal(skip.code, 0, skip.output);
      assert.notEqual((await membership('Coffee', 'ada'))?.skip_round_at, null);

      assert.equal((await runCli(['member', 'leave', '-g', 'Coffee', '-p', 'ada'], env)).code, 0);
      assert.equal((await membership('Coffee', 'ada'))?.status, 'left');
    });

    test('a managers-only group refuses a non-manager with the page’s message, and takes a manager', async () => {
      const refused = await runCli(['member', 'join', '--group', 'Leads', '--person', 'ada'], env);
      assert.equal(refused.code, 2);
      assert.match(refused.output, /Not eligible for this group \(Managers only\)/);
      assert.equal(await membership('Leads', 'ada'), undefined, 'nothing written');
      const manager = await runCli(['member', 'join', '--group', 'Leads', '--person', 'ben'], env);
      assert.equal(manager.code, 0, manager.output);
    });

    test('bad input exits 2 with a message naming the option', async () => {
      const missing = await runCli(['member', 'join', '--group', 'Coffee'], env);
      assert.equal(missing.code, 2);
      assert.match(missing.output, /--person/);
      const noGroup = await runCli(['member', 'join', '--group', 'Nope', '--person', 'ada'], env);
      assert.equal(noGroup.code, 2);
      assert.match(noGroup.output, /--group: no group named "Nope"/);
      const noPerson = await runCli(['member', 'join', '--group', 'Coffee', '--person', 'zed'], env);
      assert.equal(noPerson.code, 2);
      assert.match(noPerson.output, /--person: no person .*"zed"/);
      await runCli(['member', 'join', '-g', 'Coffee', '-p', 'ben'], env);
      const badDate = await runCli(['member', 'pause', '-g', 'Coffee', '-p', 'ben', '--until', 'soon'], env);
      assert.equal(badDate.code, 2);
      assert.match(badDate.output, /until: must be a date.*\(option --until\)/);
      const notMember = await runCli(['member', 'skip', '-g', 'Leads', '-p', 'ada'], env);
      assert.equal(notMember.code, 2);
      assert.match(notMember.output, /Not a member of this group/);
    });
  });
}
