import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createSession, SESSION_CHANGES, SessionCache } from '../src/features/auth/sessions.js';
import { insertPerson } from './helpers/people.js';
import { Client } from './helpers/server.js';
import { forEachEngine } from './helpers/suite.js';

const PASSWORD = 'correct horse battery 9';

// Signed-in requests are answered from a cache of sessions on SQLite: none of these changes may
// wait for it to expire. Each request below is one a real user would make right after the change.
forEachEngine('a signed-in person is never served from stale session data', (get, engine) => {
  async function signedIn(email: string) {
    const client = new Client(get().app);
    assert.equal((await client.signUp(email, 'Grace Hopper', PASSWORD)).status, 201);
    // Several requests, so that the session is surely cached before the change.
    for (let i = 0; i < 3; i++) assert.equal((await client.get('/api/v1/me')).status, 200);
    const id = (await client.get<{ person: { id: string } }>('/api/v1/me')).body.person.id;
    return { client, id };
  }

  test('changes by another process (a CLI command, the worker) show on the next request', async () => {
    const other = openDatabase(get().config.databaseUrl);
    try {
      const { client, id } = await signedIn('grace.other@example.org');
      await other.db.updateTable('people').set({ name: 'Rear Admiral Hopper' }).where('id', '=', id).execute();
      assert.equal(
        (await client.get<{ person: { name: string } }>('/api/v1/me')).body.person.name,
        'Rear Admiral Hopper',
      );

      await other.db.updateTable('people').set({ role: 'admin' }).where('id', '=', id).execute();
      assert.equal((await client.get('/api/v1/admin/people')).status, 200, 'promoted: the admin pages open at once');
      await other.db.updateTable('people').set({ role: 'member' }).where('id', '=', id).execute();
      assert.equal((await client.get('/api/v1/admin/people')).status, 403, 'demoted: they close at once');

      await other.db.updateTable('people').set({ enabled: 0 }).where('id', '=', id).execute();
      assert.equal((await client.get('/api/v1/me')).status, 401, 'disabled: signed out at once');
      await other.db.updateTable('people').set({ enabled: 1 }).where('id', '=', id).execute();
      assert.equal((await client.get('/api/v1/me')).status, 200);

      await other.db.deleteFrom('auth_sessions').where('person_id', '=', id).execute();
      assert.equal((await client.get('/api/v1/me')).status, 401, 'session deleted elsewhere: signed out at once');
    } finally {
      await other.close();
    }
  });

  test("changes on the server's own connection show on the next request", async () => {
    const { db } = get().ctx.database;
    const { client, id } = await signedIn('grace.own@example.org');
    await db.updateTable('people').set({ role: 'admin' }).where('id', '=', id).execute();
    assert.equal((await client.get('/api/v1/admin/people')).status, 200);

    // Shortening a session on this connection drops it from the cache.
    await db
      .updateTable('auth_sessions')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('person_id', '=', id)
      .execute();
    assert.equal((await client.get('/api/v1/me')).status, 401, 'expired: signed out at once');
  });

  test("a request made while the server's connection is inside a transaction reads the session afresh", async () => {
    const { db } = get().ctx.database;
    const other = openDatabase(get().config.databaseUrl);
    const { client, id } = await signedIn('grace.open@example.org');
    const transaction = await db.startTransaction().execute();
    try {
      // The open transaction has its snapshot; another process commits after it.
      await transaction.selectFrom('people').select('id').where('id', '=', id).execute();
      const disable = () => other.db.updateTable('people').set({ enabled: 0 }).where('id', '=', id).execute();
      let pending: ReturnType<typeof client.get>;
      if (engine === 'sqlite') {
        // SQLite: a transaction takes the write lock as it begins (BEGIN IMMEDIATE), so no other
        // process can commit inside it (asked not to wait, it is refused); it commits once it ends.
        await sql.raw('pragma busy_timeout = 0').execute(other.db);
        await assert.rejects(disable(), /database is locked/);
        await transaction.rollback().execute();
        await disable();
        pending = client.get('/api/v1/me');
        assert.equal((await pending).status, 401, 'disabled after the transaction: signed out at once');
        return;
      }
      await disable();
      pending = client.get('/api/v1/me');
      await new Promise((resolve) => setTimeout(resolve, 50));
      await transaction.rollback().execute();
      assert.equal((await pending).status, 401, 'disabled while a transaction was open: signed out all the same');
    } finally {
      await other.close();
    }
  });

  test(`repeated requests of one session ${engine === 'sqlite' ? 'do not read it again' : 'each read it'}`, async () => {
    const { db } = get().ctx.database;
    const { client } = await signedIn('grace.reads@example.org');
    let reads = 0;
    const executeQuery = db.executeQuery.bind(db);
    db.executeQuery = ((query: Parameters<typeof executeQuery>[0]) => {
      if ('sql' in query && /^select .* from "auth_sessions"/.test(query.sql)) reads++;
      return executeQuery(query);
    }) as typeof db.executeQuery;
    try {
      for (let i = 0; i < 5; i++) assert.equal((await client.get('/api/v1/me')).status, 200);
    } finally {
      delete (db as { executeQuery?: unknown }).executeQuery;
    }
    assert.equal(reads, engine === 'sqlite' ? 0 : 5);
  });
});

describe('session cache stamp (SQLite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'convene-stamp-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('moves on watched writes and on commits by other connections, not on touches or new sessions', async () => {
    const url = `sqlite:${join(dir, 'stamp.db')}`;
    const database = openDatabase(url);
    const other = openDatabase(url);
    try {
      const { db } = database;
      await migrateToLatest(db);
      const stamp = database.changeStamp?.(SESSION_CHANGES);
      assert.ok(stamp, 'SQLite offers a change stamp');
      const now = new Date().toISOString();
      const id = await insertPerson(db, { username: 'stamp' });
      const { token } = await createSession(db, { personId: id, days: 1 });
      const first = stamp();
      assert.equal(stamp(), first, 'reading changes nothing');

      await db.updateTable('auth_sessions').set({ last_seen_at: now }).where('person_id', '=', id).execute();
      await createSession(db, { personId: id, days: 1 });
      assert.equal(stamp(), first, 'touching a session or opening another one keeps every cached entry');

      await db.updateTable('people').set({ name: 'Renamed' }).where('id', '=', id).execute();
      const afterRename = stamp();
      assert.notEqual(afterRename, first, 'a person changed on this connection');

      await db.updateTable('auth_sessions').set({ expires_at: now }).where('person_id', '=', id).execute();
      const afterExpiry = stamp();
      assert.notEqual(afterExpiry, afterRename, 'a session shortened on this connection');

      await other.db.insertInto('settings').values({ key: 'stamp-test', value: '1' }).execute();
      assert.notEqual(stamp(), afterExpiry, 'any commit by another connection');
      assert.ok(token);
    } finally {
      await other.close();
      await database.close();
    }
  });

  test('an entry read before a change is not kept after it', () => {
    let version = 'a';
    const cache = new SessionCache(() => version);
    const entry = { person: {} as never, expiresAt: 0, lastSeenAt: 0 };
    assert.equal(cache.get('s1', cache.stamp()), undefined);
    cache.set('s1', entry, 'a');
    assert.equal(cache.get('s1', cache.stamp()), entry);

    const readUnder = cache.stamp();
    version = 'b';
    assert.equal(cache.get('s2', cache.stamp()), undefined, 'a new stamp empties the cache');
    cache.set('s1', entry, readUnder);
    assert.equal(cache.get('s1', cache.stamp()), undefined, 'what was read under the old stamp is dropped');
  });

  test('holds at most its capacity, dropping the oldest entry', () => {
    const cache = new SessionCache(() => 'same', 2);
    const entry = { person: {} as never, expiresAt: 0, lastSeenAt: 0 };
    cache.get('x', 'same');
    for (const id of ['s1', 's2', 's3']) cache.set(id, entry, 'same');
    assert.equal(cache.get('s1', 'same'), undefined);
    assert.equal(cache.get('s3', 'same'), entry);
  });
});
