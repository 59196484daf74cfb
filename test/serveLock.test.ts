// test-runner: one process per engine
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { enginesUnderTest } from './helpers/databases.js';
// The one-off commands (backup, migrate, restore) run in the file's CLI host: a process of its own
// beside the servers, as a command a person types is, without a node start for each.
import {
  type ConveneProcess,
  runCli,
  runCliProcess,
  spawnConvene,
  spawnWorker,
  startConvene,
} from './helpers/process.js';

/** Waits for a line in a running process's output (never a fixed sleep): a slow machine is slower, not red. */
async function waitForOutput(process: ConveneProcess, pattern: RegExp, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!pattern.test(process.output())) {
    if (Date.now() > deadline) assert.fail(`${what} did not happen:\n${process.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

for (const engine of enginesUnderTest()) {
  describe(`one writer per database [${engine.engine}]`, () => {
    const cleanups: Array<() => Promise<unknown>> = [];
    after(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup();
    });
    const dir = mkdtempSync(join(tmpdir(), 'convene-lock-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));

    async function serve(env: Record<string, string>, args: string[] = []): Promise<ConveneProcess> {
      const process = await spawnConvene(env, args);
      cleanups.push(async () => process.child.kill('SIGKILL'));
      return process;
    }

    if (engine.engine === 'sqlite') {
      test('a second server on the file exits 3 naming the first; workers and commands work beside it; restore refuses', async () => {
        const database = await engine.create({ migrated: true });
        cleanups.push(() => database.drop());
        const env = { DATABASE_URL: database.url, CONVENE_ADMIN_PASSWORD: 'an admin password 1' };
        const first = await serve(env);
        const backup = join(dir, 'before.db');
        assert.equal((await runCli(['backup', '--out', backup], env)).code, 0, 'a backup beside the server');

        const second = await runCliProcess(['serve', '--port', '0'], env);
        assert.equal(second.code, 3, second.output);
        assert.match(
          second.output,
          new RegExp(`Another \`convene serve\` \\(pid ${first.child.pid}\\) is already using`),
        );
        assert.match(second.output, /--lock wait/);
        assert.doesNotMatch(second.output, /ready at/);

        const worker = await spawnWorker(env);
        cleanups.push(async () => worker.child.kill('SIGKILL'));
        const command = await runCli(['migrate'], env);
        assert.equal(command.code, 0, command.output);

        const restore = await runCli(['restore', backup], env);
        assert.equal(restore.code, 3, restore.output);
        assert.match(restore.output, new RegExp(`in use by a running Convene server \\(pid ${first.child.pid}\\)`));
        assert.match(restore.output, /Nothing was changed/);

        // The first server still answers: nothing was taken from it.
        assert.equal((await fetch(`${first.url}/healthz`)).status, 200);
        worker.child.kill('SIGTERM');
        assert.equal(await worker.exited, 0);
      });

      test('--lock wait takes over when the holder dies, even by kill -9; then restore works once all stop', async () => {
        const database = await engine.create({ migrated: true });
        cleanups.push(() => database.drop());
        const env = { DATABASE_URL: database.url, CONVENE_ADMIN_PASSWORD: 'an admin password 1' };
        const first = await serve(env);
        const waiting = await startConvene(['serve', '--port', '0', '--lock', 'wait'], env, /Waiting for it to stop/);
        cleanups.push(async () => waiting.child.kill('SIGKILL'));
        assert.doesNotMatch(waiting.output(), /ready at/);

        first.child.kill('SIGKILL'); // no clean-up at all: the operating system drops its locks
        await first.exited;
        await waitForOutput(waiting, /ready at (http:\/\/\S+)/, 'the waiting server taking over');
        const url = /ready at (http:\/\/\S+)/.exec(waiting.output())?.[1];
        assert.equal((await fetch(`${url}/healthz`)).status, 200);

        const backup = join(dir, 'wait.db');
        assert.equal((await runCli(['backup', '--out', backup], env)).code, 0);
        waiting.child.kill('SIGTERM');
        assert.equal(await waiting.exited, 0);
        const restore = await runCli(['restore', backup], env);
        assert.equal(restore.code, 0, restore.output);
        assert.match(restore.output, /Restored/);
        const again = await serve(env);
        assert.equal((await fetch(`${again.url}/readyz`)).status, 200);
      });

      test('a bad --lock value is refused by name', async () => {
        const database = await engine.create();
        cleanups.push(() => database.drop());
        const result = await runCliProcess(['serve', '--port', '0', '--lock', 'maybe'], { DATABASE_URL: database.url });
        assert.notEqual(result.code, 0);
        assert.match(result.output, /--lock <mode>.*maybe.*quit, wait/s);
      });
    } else {
      test('several servers share PostgreSQL; restore refuses while any runs', async () => {
        const database = await engine.create({ migrated: true });
        cleanups.push(() => database.drop());
        const env = { DATABASE_URL: database.url, CONVENE_ADMIN_PASSWORD: 'an admin password 1' };
        const first = await serve(env);
        const second = await serve(env, ['--no-jobs']);
        assert.equal((await fetch(`${second.url}/healthz`)).status, 200);
        const backup = join(dir, 'pg.dump');
        assert.equal((await runCli(['backup', '--out', backup], env)).code, 0);
        const restore = await runCli(['restore', backup], env);
        assert.equal(restore.code, 3, restore.output);
        assert.match(restore.output, /in use by a running Convene server or worker/);
        for (const p of [first, second]) p.child.kill('SIGTERM');
        assert.deepEqual(await Promise.all([first.exited, second.exited]), [0, 0]);
        const after = await runCli(['restore', backup], env);
        assert.equal(after.code, 0, after.output);
      });
    }
  });
}
