import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openContext } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createMeeting } from '../src/features/meetings/service.js';
import { enginesUnderTest } from './helpers/databases.js';
import { FakeSlack } from './helpers/fakeSlack.js';
import { insertPerson } from './helpers/people.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const slack = await new FakeSlack().start();
after(() => slack.stop());

for (const engine of enginesUnderTest()) {
  describe(`convene worker [${engine.engine}]`, () => {
    test('runs the jobs without a web server: a queued message goes out; SIGTERM stops it cleanly', async () => {
      const database = await engine.create();
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

        const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'worker'], {
          cwd: root,
          env: { ...process.env, ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        child.stdout.on('data', (chunk) => (output += chunk));
        child.stderr.on('data', (chunk) => (output += chunk));
        const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
        try {
          const deadline = Date.now() + 30_000;
          while (slack.posts.length === before && Date.now() < deadline) {
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
          assert.equal(slack.posts.length, before + 1, `the worker delivered the message:\n${output}`);
          assert.match(output, /worker is running/);
          assert.doesNotMatch(output, /listening|ready at/i, 'no web server');
        } finally {
          child.kill('SIGTERM');
        }
        assert.equal(await exited, 0, `SIGTERM shuts the worker down cleanly:\n${output}`);
      } finally {
        await database.drop();
      }
    });
  });
}
