import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { enginesUnderTest, type TestDatabase } from './helpers/databases.js';
import { runCli, runCliProcess } from './helpers/process.js';

// The CLI tests run their commands in one host process per file (helpers/cliHost.mjs). What they see
// must be what a user running `convene` sees: the same output and exit code, whichever way the
// command ends, and nothing carried over from the command before.
describe('CLI commands run in the test host', () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  let dir: string;
  before(async () => {
    const sqlite = enginesUnderTest().find((engine) => engine.engine === 'sqlite');
    database = await sqlite!.create();
    env = { DATABASE_URL: database.url };
    dir = mkdtempSync(join(tmpdir(), 'convene-cli-host-'));
  });
  after(async () => {
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('print and exit as the real binary does, however the command ends', async () => {
    const notJson = join(dir, 'timetable.json');
    writeFileSync(notJson, 'not json');
    const commands = [
      ['--help'], // commander prints the help and calls process.exit(0)
      ['member', 'join', '--group', 'Coffee'], // a missing option, through the command's exitOverride: 2
      ['group', 'create', '--name', 'Lunch', '--cron', 'tuesdays'], // an AppError caught by the CLI: 1
      ['unconference', 'import', 'Nope', notJson], // process.exitCode = 2, no exit call
    ];
    for (const args of commands) {
      const real = await runCliProcess(args, env);
      const hosted = await runCli(args, env);
      assert.deepEqual(hosted, real, `convene ${args.join(' ')}`);
    }
  });

  test("one command's environment, exit code and failure do not reach the next", async () => {
    const badConfig = await runCli(['group', 'list'], { ...env, PORT: 'not-a-port' });
    assert.equal(badConfig.code, 2, badConfig.output);
    assert.match(badConfig.output, /port \(PORT\)/);
    const fine = await runCli(['group', 'list'], env);
    assert.equal(fine.code, 0, fine.output);
    assert.match(fine.output, /No groups yet/);

    const key = Buffer.alloc(32, 7).toString('base64');
    const sealed = await runCli(['secrets', 'rotate'], { ...env, CONVENE_SECRETS_KEY: key });
    assert.equal(sealed.code, 0, sealed.output);
    // Without the key the sealed signing key cannot be opened: the key did not stay behind.
    const withoutKey = await runCli(['secrets', 'rotate'], env);
    assert.equal(withoutKey.code, 1, withoutKey.output);
    assert.match(withoutKey.output, /encrypted with key [0-9a-f]{8}, which is not configured/);
  });
});
