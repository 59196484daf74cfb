import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { openDatabase } from '../src/db/database.js';

const PAGE = 4096;

async function writePages(url: string, options: Parameters<typeof openDatabase>[1]) {
  const database = openDatabase(url, options);
  await sql`create table filler (n integer primary key, data blob not null)`.execute(database.db);
  // About 1,000 pages, one commit each: well under the main connection's safety net of 4,000.
  for (let i = 0; i < 1000; i++)
    await sql`insert into filler (n, data) values (${i}, randomblob(${PAGE}))`.execute(database.db);
  return database;
}

test('a server’s SQLite checkpoints run on their own thread: the log is copied into the database without any commit doing it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'convene-checkpoint-'));
  try {
    const path = join(dir, 'convene.db');
    const errors: string[] = [];
    const database = await writePages(`sqlite:${path}`, { backgroundCheckpoints: { onError: (m) => errors.push(m) } });
    // The thread passes every few tens of milliseconds; give it a few.
    const deadline = Date.now() + 5000;
    while (statSync(path).size < 1000 * PAGE && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(statSync(path).size >= 1000 * PAGE, `the database file holds the rows (${statSync(path).size} bytes)`);
    await database.close();
    assert.deepEqual(errors, []);
    // Everything committed is there, read by a connection of its own.
    const check = new SQLite(path, { readonly: true });
    assert.equal((check.prepare('select count(*) as n from filler').get() as { n: number }).n, 1000);
    check.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
