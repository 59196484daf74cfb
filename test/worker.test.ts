// test-runner: one process per engine
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { openContext } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createMeeting } from '../src/features/meetings/service.js';
import { enginesUnderTest } from './helpers/databases.js';
import { FakeSlack } from './helpers/fakeSlack.js';
import { insertPerson } from './helpers/people.js';
import { spawnWorker } from './helpers/process.js';

const slack = await new FakeSlack().start();
after(() => slack.stop());

async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

for (const engine of enginesUnderTest()) {
  describe(`convene worker [${engine.engine}]`, () => {
    test('runs the jobs without a web server: a queued message goes out; SIGTERM stops it cleanly', async () => {
      const database = await engine.create({ migrated: true });
      const env = {
        DATABASE_URL: database.url,
        CONVENE_SLACK_TOKEN: slack.token,
        CONVENE_SLACK_API_URL: slack.url,
        LOG_LEVEL: 'warn',
      };
      try {
        // The message is queued by another process (as `convene serve` would) before the worker runs.
        const ctx = await openContext(loadConfig({ env, cwd: '/nonexistent-convene-config-dir' }));
        try {
          const a = await insertPerson(ctx.database.db, { username: `${engine.engine}wa` });
          const b = await insertPerson(ctx.database.db, { username: `${engine.engine}wb` });
          slack.addUser(`${engine.engine}wa@example.org`);
          slack.addUser(`${engine.engine}wb@example.org`);
          await createMeeting({ db: ctx.database.db, title: 'Worker test', participantIds: [a, b] });
        } finally {
          await ctx.database.close();
        }
        const before = slack.posts.length;

        const worker = await spawnWorker(env);
        try {
          const deadline = Date.now() + 30_000;
          while (slack.posts.length === before && Date.now() < deadline) {
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
          assert.equal(slack.posts.length, before + 1, `the worker delivered the message:\n${worker.output()}`);
          assert.doesNotMatch(worker.output(), /listening|ready at/i, 'no web server');
        } finally {
          worker.child.kill('SIGTERM');
        }
        assert.equal(await worker.exited, 0, `SIGTERM shuts the worker down cleanly:\n${worker.output()}`);
      } finally {
        await database.drop();
      }
    });

    test('a worker killed (SIGKILL) while Slack holds its post: the next worker finds the post, nothing is lost or doubled', async () => {
      const database = await engine.create({ migrated: true });
      const dir = mkdtempSync(join(tmpdir(), 'convene-worker-'));
      const configFile = join(dir, 'convene.config.json');
      // The shortest lease Convene allows, so the second worker takes over within seconds.
      writeFileSync(configFile, JSON.stringify({ notifications: { outbox: { leaseSeconds: 5, everyMs: 200 } } }));
      const env = {
        DATABASE_URL: database.url,
        CONVENE_CONFIG: configFile,
        CONVENE_SLACK_TOKEN: slack.token,
        CONVENE_SLACK_API_URL: slack.url,
        LOG_LEVEL: 'warn',
      };
      const ctx = await openContext(loadConfig({ env, cwd: dir }));
      try {
        const ids: string[] = [];
        for (const name of ['ka', 'kb', 'kc', 'kd']) {
          ids.push(await insertPerson(ctx.database.db, { username: `${engine.engine}${name}` }));
          slack.addUser(`${engine.engine}${name}@example.org`);
        }
        await createMeeting({
          db: ctx.database.db,
          title: `Kill one ${engine.engine}`,
          participantIds: [ids[0], ids[1]] as string[],
        });
        await createMeeting({
          db: ctx.database.db,
          title: `Kill two ${engine.engine}`,
          participantIds: [ids[2], ids[3]] as string[],
        });
        const posted = () =>
          slack.posts.filter(
            (p) => p.text.includes(`Kill one ${engine.engine}`) || p.text.includes(`Kill two ${engine.engine}`),
          ).length;

        // Slack receives both posts but answers neither until the worker is dead.
        slack.hold = 'chat.postMessage';
        const first = await spawnWorker(env);
        await until(() => slack.heldCount === 2, 'both posts reached Slack');
        first.child.kill('SIGKILL');
        await first.exited;
        slack.release(); // Slack accepts them: posted, but the dead worker never recorded it.
        await until(() => posted() === 2, 'Slack accepted both posts');

        const second = await spawnWorker(env);
        try {
          await until(async () => {
            const rows = await ctx.database.db.selectFrom('notifications').select('status').execute();
            return rows.length === 2 && rows.every((r) => r.status === 'sent');
          }, 'the second worker recorded both messages');
        } finally {
          second.child.kill('SIGTERM');
        }
        assert.equal(await second.exited, 0);
        assert.equal(posted(), 2, 'each message posted exactly once');
        const rows = await ctx.database.db.selectFrom('notifications').select(['result', 'recovered']).execute();
        for (const row of rows) {
          assert.equal(row.recovered, 1, 'taken over from the dead worker');
          assert.equal(JSON.parse(row.result ?? '{}').alreadyPosted, true, 'found in the conversation, not sent again');
        }
      } finally {
        slack.release();
        await ctx.database.close();
        await database.drop();
      }
    });
  });
}
