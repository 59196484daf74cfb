import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import SQLite from 'better-sqlite3';
import { openContext } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { recordAudit } from '../src/db/audit.js';
import { backupToFolder, listBackups } from '../src/db/backup.js';
import type { Db } from '../src/db/database.js';
import type { AppContext } from '../src/http/context.js';
import { backupJob } from '../src/jobs/backups.js';
import { enginesUnderTest } from './helpers/databases.js';
import { runCli } from './helpers/process.js';

const silentLog = { info() {}, warn() {}, error() {} } as never;

/** Each write is one transaction of a setting and its audit entry: a consistent copy has as many of each. */
async function counts(db: Db): Promise<{ settings: number; audit: number }> {
  const settings = await db
    .selectFrom('settings')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('key', 'like', 'stream-%')
    .executeTakeFirstOrThrow();
  const audit = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('action', '=', 'test.stream')
    .executeTakeFirstOrThrow();
  return { settings: Number(settings.n), audit: Number(audit.n) };
}

for (const engine of enginesUnderTest()) {
  describe(`backup and restore [${engine.engine}]`, () => {
    const cleanups: Array<() => Promise<unknown>> = [];
    after(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup();
    });
    const dir = mkdtempSync(join(tmpdir(), 'convene-backups-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const ext = engine.engine === 'sqlite' ? 'db' : 'dump';

    async function open(url: string): Promise<AppContext> {
      const ctx = await openContext(loadConfig({ env: { DATABASE_URL: url }, cwd: tmpdir() }));
      cleanups.push(() => ctx.database.close());
      return ctx;
    }

    test('a backup taken during a stream of writes restores with every row counted equal', async () => {
      const source = await engine.create({ migrated: true });
      cleanups.push(() => source.drop());
      const ctx = await open(source.url);
      const { db } = ctx.database;

      let writing = true;
      let written = 0;
      const writer = (async () => {
        while (writing) {
          const n = written;
          await db.transaction().execute(async (trx) => {
            await trx
              .insertInto('settings')
              .values({ key: `stream-${n}`, value: '1' })
              .execute();
            await recordAudit(trx, { actorId: null, action: 'test.stream', subjectId: String(n) });
          });
          written++;
          if (n % 20 === 0) await new Promise((resolve) => setImmediate(resolve));
        }
      })();
      // Wait until the stream is under way, then back up from another process while it goes on.
      while (written < 50) await new Promise((resolve) => setTimeout(resolve, 10));
      const file = join(dir, `stream.${ext}`);
      const backup = await runCli(['backup', '--out', file], { DATABASE_URL: source.url });
      const writtenDuringBackup = written;
      writing = false;
      await writer;
      assert.equal(backup.code, 0, backup.output);
      assert.match(backup.output, /Backed up the .* database to .*verified/);
      assert.ok(written > 50, 'the stream kept writing');

      const target = await engine.create();
      cleanups.push(() => target.drop());
      const restore = await runCli(['restore', file], { DATABASE_URL: target.url });
      assert.equal(restore.code, 0, restore.output);
      const restored = await open(target.url);
      const got = await counts(restored.database.db);
      assert.equal(got.settings, got.audit, 'the copy is one moment: each setting with its audit entry');
      assert.ok(got.settings >= 50 && got.settings <= writtenDuringBackup, `${got.settings} rows of ${written}`);
      assert.ok(
        (await restored.database.db.selectFrom('people').select('id').execute()).length ===
          (await db.selectFrom('people').select('id').execute()).length,
      );
    });

    test('restoring a file that is not a backup says so and changes nothing', async () => {
      const target = await engine.create({ migrated: true });
      cleanups.push(() => target.drop());
      const ctx = await open(target.url);
      await ctx.database.db.insertInto('settings').values({ key: 'stream-kept', value: '1' }).execute();
      const before = await counts(ctx.database.db);

      const junk = join(dir, `junk.${ext}`);
      writeFileSync(junk, 'this is not a database\n'.repeat(100));
      const result = await runCli(['restore', junk], { DATABASE_URL: target.url });
      assert.equal(result.code, 1, result.output);
      assert.match(result.output, /is not a (SQLite database|PostgreSQL custom-format dump)/);
      assert.match(result.output, /Nothing was changed/);
      assert.doesNotMatch(result.output, /at .*\.js:\d+/, 'no stack trace');

      const missing = await runCli(['restore', join(dir, 'nowhere.db')], { DATABASE_URL: target.url });
      assert.equal(missing.code, 1);
      assert.match(missing.output, /does not exist/);
      assert.deepEqual(await counts(ctx.database.db), before);
    });

    test('--to a folder with --keep keeps the newest backups; the scheduled job does the same', async () => {
      const source = await engine.create({ migrated: true });
      cleanups.push(() => source.drop());
      const ctx = await open(source.url);
      const folder = join(dir, 'rotating');
      for (const minute of [1, 2, 3]) {
        const result = await backupToFolder({
          databaseUrl: source.url,
          dir: folder,
          keep: 2,
          now: new Date(`2026-01-01T00:0${minute}:00Z`),
        });
        assert.equal(result.removed.length, minute === 3 ? 1 : 0);
      }
      assert.deepEqual(readdirSync(folder).sort(), [
        `convene-20260101T000200Z.${ext}`,
        `convene-20260101T000300Z.${ext}`,
      ]);

      // The scheduled job: once per cron time, pruned to backups.keep.
      const scheduled = join(dir, 'scheduled');
      let now = new Date('2026-02-01T00:00:30Z');
      const job = backupJob(
        { ...ctx, config: { ...ctx.config, backups: { dir: scheduled, cron: '0 * * * *', keep: 1 } } },
        silentLog,
        { now: () => now },
      );
      assert.ok(job);
      await job.run(); // first run on this database counts from now
      for (const hour of [1, 2]) {
        now = new Date(`2026-02-01T0${hour}:00:30Z`);
        await job.run();
        await job.run(); // a second tick at the same time makes nothing more
      }
      assert.deepEqual(
        listBackups(scheduled, engine.engine).map((file) => file.slice(scheduled.length + 1)),
        [`convene-20260201T020000Z.${ext}`],
      );
    });

    if (engine.engine === 'sqlite') {
      test('a backup from a newer Convene, or a damaged one, is refused before anything changes', async () => {
        const source = await engine.create({ migrated: true });
        cleanups.push(() => source.drop());
        await open(source.url);
        const file = join(dir, 'future.db');
        assert.equal((await runCli(['backup', '--out', file], { DATABASE_URL: source.url })).code, 0);
        const again = await runCli(['backup', '--out', file], { DATABASE_URL: source.url });
        assert.equal(again.code, 1);
        assert.match(again.output, /already exists/);

        const copy = new SQLite(file);
        copy.prepare("INSERT INTO kysely_migration (name, timestamp) VALUES ('9999_future', 'x')").run();
        copy.close();
        const target = await engine.create();
        cleanups.push(() => target.drop());
        const result = await runCli(['restore', file], { DATABASE_URL: target.url });
        assert.equal(result.code, 1, result.output);
        assert.match(result.output, /newer Convene .*9999_future/);
        assert.ok(!existsSync(target.url.slice('sqlite:'.length)), 'no database file was made');

        const plain = join(dir, 'plain.db');
        const other = new SQLite(plain);
        other.exec('CREATE TABLE t (x)');
        other.close();
        const notOurs = await runCli(['restore', plain], { DATABASE_URL: target.url });
        assert.equal(notOurs.code, 1);
        assert.match(notOurs.output, /not a Convene one/);
      });
    }
  });
}
