import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KyselyPlugin } from 'kysely';
import type { InboundRefusal } from '../src/contract/ingest.js';
import { REFUSAL_REASONS } from '../src/contract/ingestValues.js';
import type { Db } from '../src/db/database.js';
import { intra42Receiver } from '../src/features/ingest/receive.js';
import { refusalLog } from '../src/features/ingest/refusals.js';
import { clientFor, insertPerson } from './helpers/people.js';
import { adminClient, Client, type TestApp } from './helpers/server.js';
import { forEachEngine } from './helpers/suite.js';

const SECRET = 'refusals-create-secret';
const WRONG = 'hunter2-but-a-typo';

function send(get: () => TestApp, headers: Record<string, string>) {
  return get().app.inject({
    method: 'POST',
    url: '/webhooks/42',
    remoteAddress: '203.0.113.7',
    headers: {
      'content-type': 'application/json',
      'x-model': 'scale_team',
      'x-event': 'create',
      'x-secret': SECRET,
      'x-delivery': `d-${Math.random()}`,
      ...headers,
    },
    payload: JSON.stringify({ id: 1 }),
  });
}

async function refusals(get: () => TestApp): Promise<InboundRefusal[]> {
  const admin = await adminClient(get().app);
  const response = await admin.get('/api/v1/admin/inbound/refusals');
  assert.equal(response.status, 200);
  return response.body.refusals;
}

const find = (rows: InboundRefusal[], reason: InboundRefusal['reason'], channel = 'webhook') =>
  rows.find((r) => r.reason === reason && r.channel === channel && r.source === 'intra42');

/** Counts the upserts into inbound_refusals, and can make them fail. */
function watchedWrites(db: Db) {
  const state = { writes: 0, failing: false };
  const plugin: KyselyPlugin = {
    transformQuery(args) {
      const node = args.node;
      if (node.kind === 'InsertQueryNode' && node.into?.table.identifier.name === 'inbound_refusals') {
        if (state.failing) throw new Error('the database refuses on purpose');
        state.writes++;
      }
      return node;
    },
    transformResult: async (args) => args.result,
  };
  return { state, db: db.withPlugin(plugin) as Db };
}

forEachEngine(
  'deliveries refused before they were read',
  (get) => {
    test('a wrong secret and an unknown event sent to the webhook show on the Inbound page with counts; the secret is not kept', async () => {
      assert.deepEqual(await refusals(get), [], 'nothing refused yet: the page shows no panel');
      for (let i = 0; i < 3; i++) assert.equal((await send(get, { 'x-secret': WRONG })).statusCode, 401);
      assert.equal((await send(get, { 'x-secret': '', 'x-event': 'update' })).statusCode, 401);
      for (let i = 0; i < 2; i++) assert.equal((await send(get, { 'x-event': 'explode' })).statusCode, 400);
      await get().ctx.inboundRefusals.flush();

      const rows = await refusals(get);
      const secret = find(rows, 'secret');
      assert.equal(secret?.count, 4);
      assert.equal(secret?.lastStatus, 401);
      assert.equal(secret?.lastFrom, '203.0.113.7');
      assert.match(secret?.lastDetail ?? '', /No X-Secret sent; X-Model "scale_team", X-Event "update"/);
      const event = find(rows, 'event');
      assert.equal(event?.count, 2);
      assert.equal(event?.lastStatus, 400);
      assert.equal(event?.lastDetail, 'X-Event: unknown event "explode".');
      assert.equal(rows.length, 2);
      assert.ok(!JSON.stringify(rows).includes(WRONG), 'a wrong secret is never stored');
      const stored = await get().ctx.database.db.selectFrom('inbound_refusals').selectAll().execute();
      assert.ok(!JSON.stringify(stored).includes(WRONG));
      // A wrong secret says which model.event it claimed; a right one of another event says so.
      await send(get, { 'x-secret': SECRET, 'x-event': 'update' });
      await get().ctx.inboundRefusals.flush();
      assert.match(find(await refusals(get), 'secret')?.lastDetail ?? '', /another event; X-Model "scale_team"/);
      assert.equal(find(await refusals(get), 'secret')?.count, 5);
    });

    test('only administrators see the refusals; anything in the query is refused', async () => {
      const anonymous = await new Client(get().app).get('/api/v1/admin/inbound/refusals');
      assert.equal(anonymous.status, 401);
      const db = get().ctx.database.db;
      const member = await clientFor(get().app, db, await insertPerson(db, { username: 'refusal-member' }));
      assert.equal((await member.get('/api/v1/admin/inbound/refusals')).status, 403);
      const admin = await adminClient(get().app);
      assert.equal((await admin.get('/api/v1/admin/inbound/refusals?reason=secret')).status, 400);
    });

    test('1,000 bad deliveries in a burst: a handful of writes, every one counted, only the fixed keys', async () => {
      const watched = watchedWrites(get().ctx.database.db);
      const log = refusalLog({ db: watched.db, everyMs: 60_000 });
      const receive = intra42Receiver({ db: get().ctx.database.db, config: get().config, refusals: log });
      const before = new Map((await refusals(get)).map((r) => [`${r.channel}/${r.reason}`, r.count]));
      const headers = (i: number): Record<string, string> => {
        const base = { 'x-model': 'scale_team', 'x-event': 'create', 'x-secret': SECRET, 'x-delivery': `b-${i}` };
        // Attacker-chosen values everywhere: none may become a key.
        if (i % 4 === 0) return { ...base, 'x-secret': `guess-${i}`, 'x-model': `m-${i}` };
        if (i % 4 === 1) return { ...base, 'x-model': `model-${i}` };
        if (i % 4 === 2) return { ...base, 'x-event': `event-${i}` };
        return { ...base, 'x-delivery': i % 8 === 3 ? '' : 'x'.repeat(201 + i) };
      };
      // In 40 waves a few milliseconds apart, as requests arrive: any write the timers allow gets its chance.
      const receipts = [];
      for (let wave = 0; wave < 40; wave++) {
        const ids = Array.from({ length: 25 }, (_, i) => wave * 25 + i);
        receipts.push(...(await Promise.all(ids.map((i) => receive(headers(i), '{}', `10.0.0.${i % 250}`)))));
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      assert.ok(receipts.every((r) => r.status === 400 || r.status === 401));
      await log.flush();

      assert.ok(watched.state.writes <= 2 * REFUSAL_REASONS.length, `${watched.state.writes} writes`);
      const rows = await refusals(get);
      const added = rows
        .filter((r) => r.channel === 'webhook')
        .map((r) => r.count - (before.get(`${r.channel}/${r.reason}`) ?? 0));
      assert.equal(
        added.reduce((a, b) => a + b, 0),
        1000,
      );
      for (const reason of REFUSAL_REASONS)
        assert.equal(find(rows, reason)?.count, (before.get(`webhook/${reason}`) ?? 0) + 250);
      const stored = await get()
        .ctx.database.db.selectFrom('inbound_refusals')
        .select(['source', 'channel', 'reason'])
        .execute();
      assert.ok(
        stored.every((r) => r.source === 'intra42' && (REFUSAL_REASONS as readonly string[]).includes(r.reason)),
      );
      assert.ok(stored.length <= REFUSAL_REASONS.length * 2, 'one row per source, channel and reason');
    });

    test('a write that fails changes no answer and loses no count: the next write carries it', async () => {
      const watched = watchedWrites(get().ctx.database.db);
      const errors: unknown[] = [];
      const log = refusalLog({ db: watched.db, everyMs: 60_000, onError: (error) => errors.push(error) });
      const receive = intra42Receiver({
        db: get().ctx.database.db,
        config: get().config,
        refusals: log,
        channel: 'queue',
      });
      watched.state.failing = true;
      const bad = { 'x-model': 'scale_team', 'x-event': 'create', 'x-secret': WRONG, 'x-delivery': 'q-1' };
      for (let i = 0; i < 3; i++) assert.equal((await receive(bad, '{}')).status, 401);
      await log.flush();
      assert.ok(errors.length >= 1, 'the failure is reported');
      assert.equal(find(await refusals(get), 'secret', 'queue'), undefined);

      watched.state.failing = false;
      await log.flush();
      const row = find(await refusals(get), 'secret', 'queue');
      assert.equal(row?.count, 3);
      assert.equal(row?.lastFrom, null, 'a queue message has no client address');
    });
  },
  { 'intra42.webhooks': `scale_team.create:${SECRET},scale_team.update:other-secret-2` },
);
