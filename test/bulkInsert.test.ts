import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CompiledQuery, sql } from 'kysely';
import { arrayParam, whereKeyIn, withRows } from '../src/db/bulkInsert.js';
import { type SplitJson, splitJson } from '../src/db/splitJson.js';
import { claimDeliveries, finishDeliveries } from '../src/features/ingest/deliveries.js';
import { findPeopleBy } from '../src/features/people/queries.js';
import { newId } from '../src/lib/ids.js';
import { insertPerson } from './helpers/people.js';
import { forEachEngine } from './helpers/suite.js';

/** Values that an array literal (PostgreSQL's unnest path) must carry through unchanged. */
const ODD = [
  null,
  '',
  'NULL',
  'null',
  '{}',
  '{"a": [1, 2], "b": "c,d"}',
  'comma, "quotes" and \\backslashes\\',
  "it's",
  'line\nbreak\ttab\r',
  '  leading and trailing  ',
  'Ünïcödé: 日本語, עברית, emoji 🎉👩‍👩‍👧',
  'x'.repeat(100_000),
];

forEachEngine('bulk inserts (one array per column on PostgreSQL)', (get) => {
  test('odd text values and nulls come back exactly as given, whatever the number of rows', async () => {
    const db = get().ctx.database.db;
    // Two different row counts through the same statement text (a named prepared statement on PostgreSQL).
    for (const [n, values] of [ODD, ODD.slice(3, 5)].entries()) {
      const rows = values.map((value, i) => ({
        id: `odd-${n}-${String(i).padStart(3, '0')}`,
        at: '2026-01-01T00:00:00.000Z',
        actor_id: null,
        action: `bulk.${n}`,
        subject_type: value,
        subject_id: null,
        data: value === null ? null : JSON.stringify({ value }),
        ip: value,
      }));
      await withRows(db, db.insertInto('audit_log'), rows).execute();
      const stored = await db
        .selectFrom('audit_log')
        .select(['subject_type', 'data', 'ip'])
        .where('action', '=', `bulk.${n}`)
        .orderBy('id')
        .execute();
      assert.deepEqual(
        stored.map((r) => r.subject_type),
        values,
      );
      assert.deepEqual(
        stored.map((r) => r.ip),
        values,
      );
      assert.deepEqual(
        stored.map((r) => (r.data === null ? null : (JSON.parse(r.data) as { value: string }).value)),
        values,
      );
    }
  });

  test('each odd value on its own, and all that need no escape beyond quotes together, come back exactly', async () => {
    const db = get().ctx.database.db;
    // Alone, every value but the control characters' goes as one JSON.stringify'd literal (arrayParam).
    const plain = ODD.filter((v) => typeof arrayParam([v]) === 'string');
    assert.ok(plain.length >= ODD.length - 1, 'only the line with control characters needs node-postgres escaping');
    for (const [n, values] of [...ODD.map((v) => [v]), plain, [...plain].reverse()].entries()) {
      const rows = values.map((value, i) => ({
        id: `one-${n}-${String(i).padStart(3, '0')}`,
        at: '2026-01-01T00:00:00.000Z',
        actor_id: null,
        action: `one.${n}`,
        subject_type: value,
        subject_id: null,
        data: null,
        ip: null,
      }));
      await withRows(db, db.insertInto('audit_log'), rows).execute();
      const stored = await db
        .selectFrom('audit_log')
        .select('subject_type')
        .where('action', '=', `one.${n}`)
        .orderBy('id')
        .execute();
      assert.deepEqual(
        stored.map((r) => r.subject_type),
        values,
      );
    }
  });

  test('integer columns with nulls and zeros; a failed insert rolls back and the statement works again', async () => {
    const db = get().ctx.database.db;
    const row = (i: number, status: number | null) => ({
      id: `int-${i}`,
      source: 'bulk-test',
      delivery_id: `d-${i}`,
      received_at: '2026-01-01T00:00:00.000Z',
      outcome: 'ok' as const,
      status_code: status,
      error: null,
      summary: null,
      meeting_id: null,
      lease_until: null,
      dead_lettered_at: null,
    });
    await withRows(db, db.insertInto('deliveries'), [row(1, 0), row(2, null), row(3, 503)], ['status_code']).execute();
    // A duplicate key inside one statement: nothing of that statement or its transaction stays.
    await assert.rejects(
      db
        .transaction()
        .execute((trx) =>
          withRows(trx, trx.insertInto('deliveries'), [row(4, 1), row(1, 2)], ['status_code']).execute(),
        ),
    );
    await withRows(db, db.insertInto('deliveries'), [row(5, 200)], ['status_code']).execute();
    const stored = await db
      .selectFrom('deliveries')
      .select(['id', 'status_code'])
      .where('source', '=', 'bulk-test')
      .orderBy('id')
      .execute();
    assert.deepEqual(stored, [
      { id: 'int-1', status_code: 0 },
      { id: 'int-2', status_code: null },
      { id: 'int-3', status_code: 503 },
      { id: 'int-5', status_code: 200 },
    ]);
  });

  test('claims and outcomes of deliveries with odd ids and messages, through the on-conflict inserts', async () => {
    const db = get().ctx.database.db;
    const ids = ['plain', 'ünï-🎉', 'with "quotes", commas', 'NULL', 'y'.repeat(5_000)];
    const claims = await db.transaction().execute(async (trx) => {
      const taken = await claimDeliveries(trx, 'bulk-odd', ids);
      await finishDeliveries(
        trx,
        'bulk-odd',
        ids.map((deliveryId, i) => ({
          id: (taken.get(deliveryId) as { id: string }).id,
          deliveryId,
          end: {
            outcome: i % 2 ? ('rejected' as const) : ('ok' as const),
            statusCode: i % 2 ? 422 : 200,
            error: i % 2 ? `bad: ${deliveryId}` : null,
            summary: i === 4 ? 'z'.repeat(2_000) : `create: ${deliveryId}`,
          },
        })),
      );
      return taken;
    });
    assert.ok(ids.every((id) => claims.get(id)?.claimed));
    // Claimed again: every one is seen as received before, with how it ended.
    const again = await db.transaction().execute((trx) => claimDeliveries(trx, 'bulk-odd', ids));
    assert.deepEqual(
      ids.map((id) => {
        const claim = again.get(id);
        return claim && !claim.claimed ? [claim.outcome, claim.statusCode, claim.error] : claim;
      }),
      ids.map((id, i) => (i % 2 ? ['rejected', 422, `bad: ${id}`] : ['ok', 200, null])),
    );
    const summaries = await db
      .selectFrom('deliveries')
      .select(['delivery_id', 'summary', sql<number>`length(summary)`.as('n')])
      .where('source', '=', 'bulk-odd')
      .execute();
    const long = summaries.find((s) => s.delivery_id === ids[4]);
    // The stored summary is cut at 300 characters, as before.
    assert.equal(Number(long?.n), 300);
    assert.equal(summaries.find((s) => s.delivery_id === ids[1])?.summary, `create: ${ids[1]}`);
  });

  test('look-ups by many keys (one array on PostgreSQL) find odd keys exactly, and nothing else', async () => {
    const db = get().ctx.database.db;
    const names = ['ann,ben', 'o"neil', 'back\\slash', '{brace}', 'null', 'ünï-🎉', 'z'.repeat(2_000)];
    const ids = await Promise.all(
      names.map((username, i) => insertPerson(db, { username, email: `odd${i}@example.org` })),
    );
    const found = await findPeopleBy(db, 'username', [...names, 'ann', 'ben', 'NULL', 'nobody']);
    assert.deepEqual(found.map((p) => p.id).sort(), [...ids].sort());
    const byEmail = await findPeopleBy(db, 'email', ['ODD1@example.org', 'odd6@example.org']);
    assert.deepEqual(byEmail.map((p) => p.username).sort(), [names[1], names[6]].sort());
  });
  test('a look-up by many keys reads the index, also on a table that grew after its statistics were taken', async () => {
    const db = get().ctx.database.db;
    // 6,000 people in a few statements and no ANALYZE since: PostgreSQL's planner, going by
    // statistics that knew nothing of them, chose to read the whole table for `= any(keys)`.
    const now = new Date().toISOString();
    for (let chunk = 0; chunk < 6; chunk++) {
      const rows = Array.from({ length: 1_000 }, (_, i) => ({
        id: newId(),
        username: `grown${chunk * 1_000 + i}`,
        email: `grown${chunk * 1_000 + i}@example.org`,
        name: 'Grown',
        timezone: 'UTC',
        enabled: 1 as const,
        role: 'member' as const,
        verified: 1 as const,
        is_manager: 0 as const,
        created_at: now,
        updated_at: now,
      }));
      await withRows(db, db.insertInto('people'), rows, ['enabled', 'verified', 'is_manager']).execute();
    }
    const keys = Array.from({ length: 300 }, (_, i) => `grown${i * 20}`);
    const query = whereKeyIn(db, db.selectFrom('people').select(['id', 'username']), 'username', keys);
    assert.equal((await query.execute()).length, 300);
    const { sql: text, parameters } = query.compile();
    const explain = get().ctx.database.engine === 'postgres' ? 'explain' : 'explain query plan';
    const plan = (await db.executeQuery(CompiledQuery.raw(`${explain} ${text}`, [...parameters]))).rows as object[];
    const lines = plan.map((row) => Object.values(row).join(' ')).join('\n');
    assert.doesNotMatch(lines, /Seq Scan on people|SCAN people\b(?! USING)/, lines);
    assert.match(lines, /Index|USING (COVERING )?INDEX/, lines);
  });
  test('a column added to people while a process runs (a rolling upgrade) leaves its look-up by many keys working', async () => {
    const db = get().ctx.database.db;
    const id = await insertPerson(db, { username: 'rolling', email: 'rolling@example.org' });
    // Many at once, on several of the pool's connections (a named `select *` failed there once).
    const lookUpMany = () =>
      Promise.all(Array.from({ length: 12 }, () => findPeopleBy(db, 'username', ['rolling', 'nobody'])));
    for (const found of await lookUpMany())
      assert.deepEqual(
        found.map((p) => p.id),
        [id],
      );
    await sql`alter table people add column added_by_a_newer_release text`.execute(db);
    for (const found of await lookUpMany())
      assert.deepEqual(
        found.map((p) => p.id),
        [id],
      );
  });
  test('a JSON column sent as its own and shared parts stores each row whole; rows with odd or no shared parts too', async () => {
    const db = get().ctx.database.db;
    const shared = [
      { kind: 'intro', meeting: { title: 'comma, "quotes" and \\backslashes\\', when: null } },
      { kind: 'reminder', text: 'Ünïcödé 🎉 {} [] NULL', long: 'x'.repeat(50_000) },
      {},
    ];
    const own = [{ recipient: { id: 'p1', name: "it's" } }, { readers: ['a', 'b'] }, {}];
    const expected: Array<object | null> = [];
    const rows: Array<{
      id: string;
      at: string;
      actor_id: null;
      action: string;
      subject_type: null;
      subject_id: string;
      data: string | SplitJson | null;
      ip: null;
    }> = [];
    // Every own part with every shared part: nine rows, three shared texts.
    for (const [i, s] of shared.entries()) {
      const text = JSON.stringify(s);
      for (const [j, o] of own.entries()) {
        expected.push({ ...o, ...s });
        rows.push({
          id: `split-${i}${j}`,
          at: '2026-01-01T00:00:00.000Z',
          actor_id: null,
          action: 'bulk.split',
          subject_type: null,
          subject_id: String(i),
          data: splitJson(o, text),
          ip: null,
        });
      }
    }
    // A plain text and a null among them: their own, whole.
    for (const [k, data] of ['{"plain":true}', null].entries()) {
      expected.push(data === null ? null : { plain: true });
      rows.push({ ...(rows[0] as (typeof rows)[number]), id: `split-9${k}`, data });
    }
    // Through the same statement text with different row counts, past the five runs after which
    // PostgreSQL may keep a generic plan.
    for (const [from, to] of [
      [0, 2],
      [2, 3],
      [3, 6],
      [6, 7],
      [7, 8],
      [8, 9],
      [9, 11],
    ]) {
      await withRows(db, db.insertInto('audit_log'), rows.slice(from, to)).execute();
    }
    const stored = await db
      .selectFrom('audit_log')
      .select('data')
      .where('action', '=', 'bulk.split')
      .orderBy('id')
      .execute();
    assert.deepEqual(
      stored.map((r) => JSON.parse(r.data ?? 'null')),
      expected,
    );
  });
  test('splitJson: own and shared parts parse to the object with both, for any keys that do not collide', () => {
    const values = [null, 0, -1.5, '', 'é"\\', [], [1, { a: null }], {}, { nested: { deep: [true] } }];
    let n = 0;
    for (const a of values)
      for (const b of values) {
        const own = n % 3 === 0 ? {} : { recipient: a, ...(n % 2 ? { readers: b } : {}) };
        const shared = n % 4 === 0 ? {} : { kind: b, meeting: a, template: n % 5 ? null : 'x' };
        assert.deepEqual(JSON.parse(String(splitJson(own, JSON.stringify(shared)))), { ...shared, ...own });
        n++;
      }
    assert.throws(() => splitJson({}, '[1]'), /must be a JSON object/);
    assert.equal(String(splitJson({ a: 1 }, '{ }')), '{"a":1}');
  });
});

test('arrayParam writes the literal PostgreSQL reads, and leaves to node-postgres what JSON would escape otherwise', () => {
  assert.equal(arrayParam(['a"b\\c', null, '', 'NULL', 5, 0]), '{"a\\"b\\\\c",null,"","NULL",5,0}');
  assert.equal(arrayParam(['emoji 🎉']), '{"emoji 🎉"}');
  assert.equal(arrayParam([]), '{}');
  for (const odd of [
    'line\nbreak',
    'tab\t',
    'nul\u0000',
    'lone \ud800 high',
    'lone \udc00 low',
    'reversed \udc00\ud800',
  ]) {
    const values = ['plain', odd];
    assert.equal(arrayParam(values), values, JSON.stringify(odd));
  }
  for (const odd of [Number.NaN, Number.POSITIVE_INFINITY, true, { a: 1 }, 10n]) {
    const values = [odd];
    assert.equal(arrayParam(values), values, String(odd));
  }
});
