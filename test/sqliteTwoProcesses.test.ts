import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { insertPerson } from './helpers/people.js';
import { adminClient, startTestApp } from './helpers/server.js';

/**
 * Another process writing the same SQLite file (a `convene worker` beside `convene serve --no-jobs`,
 * as docs/deployment.md allows): short transactions that read, then write. The server's own
 * transactions must wait for the write lock, not fail: before they began with BEGIN IMMEDIATE, one
 * that had read before the other process committed got SQLITE_BUSY at once and answered 500.
 */
const WRITER = `
const Database = require('better-sqlite3');
const db = new Database(process.argv[1]);
db.pragma('busy_timeout = 5000');
const read = db.prepare('select count(*) as n from audit_log');
const write = db.prepare("insert into audit_log (id, at, actor_id, action, subject_type, subject_id, data, ip) values (?, ?, null, 'test.writer', 'test', null, null, null)");
const pause = new Int32Array(new SharedArrayBuffer(4));
let i = 0;
process.stdout.write('writing\\n');
for (;;) {
  try {
    db.exec('begin');
    read.get();
    write.run('writer-' + process.pid + '-' + i++, new Date().toISOString());
    // Holds the lock a moment, as a worker's transaction that writes a batch of rows does.
    const until = Date.now() + 2;
    while (Date.now() < until);
    db.exec('commit');
  } catch {
    if (db.inTransaction) db.exec('rollback');
  }
  Atomics.wait(pause, 0, 0, 1);
}
`;

const CALLS = 80;
const dir = mkdtempSync(join(tmpdir(), 'convene-two-'));
const database = { engine: 'sqlite' as const, url: `sqlite:${join(dir, 'convene.db')}`, drop: async () => {} };
const testApp = await startTestApp(database);
let writer: ChildProcess | undefined;
after(async () => {
  writer?.kill('SIGKILL');
  await testApp.close();
  rmSync(dir, { recursive: true, force: true });
});

test('SQLite: API calls while another process writes the same file all succeed, none answers 500', async () => {
  const db = testApp.ctx.database.db;
  const admin = await adminClient(testApp.app);
  await insertPerson(db, { username: 'two-ann' });
  await insertPerson(db, { username: 'two-ben' });
  const made = await admin.post('/api/v1/admin/api-tokens', { name: 'Two writers', scopes: ['meetings:write'] });
  assert.equal(made.status, 201);
  const token = made.body.token as string;

  writer = spawn(process.execPath, ['-e', WRITER, join(dir, 'convene.db')], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => writer?.stdout?.once('data', () => resolve()));

  const startsAt = new Date(Date.now() + 5 * 3_600_000).toISOString();
  const statuses: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let i = next++; i < CALLS; i = next++) {
        const response = await testApp.app.inject({
          method: 'PUT',
          url: `/api/v1/meetings/by-source/two-writers/m${i}`,
          headers: { authorization: `Bearer ${token}` },
          payload: { title: `Meeting ${i}`, startsAt, participants: ['two-ann', 'two-ben'] },
        });
        statuses.push(response.statusCode);
      }
    }),
  );
  writer.kill('SIGKILL');
  const counts = statuses.reduce<Record<number, number>>((all, s) => {
    all[s] = (all[s] ?? 0) + 1;
    return all;
  }, {});
  assert.deepEqual(counts, { 200: CALLS });
  const stored = await db
    .selectFrom('meetings')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('source', '=', 'two-writers')
    .executeTakeFirstOrThrow();
  assert.equal(Number(stored.n), CALLS);
});
