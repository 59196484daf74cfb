// test-runner: one process per engine
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyBaseLogger } from 'fastify';
import { type KyselyPlugin, sql } from 'kysely';
import { pino } from 'pino';
import type { Config } from '../src/config.js';
import type { Db } from '../src/db/database.js';
import { listDeliveries } from '../src/features/ingest/deliveries.js';
import { intra42QueueConsumer, REASON_HEADER } from '../src/features/ingest/queueConsumer.js';
import { listRefusals } from '../src/features/ingest/refusals.js';
import { enginesUnderTest, type TestDatabase } from './helpers/databases.js';
import { startForFile } from './helpers/outbox.js';
import { type ConveneProcess, startConvene } from './helpers/process.js';
import { type QueueNames, rabbitUnderTest } from './helpers/rabbit.js';
import { deepestHeaders, nestedEntry, publishRaw, textEntry } from './helpers/rawAmqp.js';
import { startTestApp, type TestApp } from './helpers/server.js';
import { TestSmtp } from './helpers/smtp.js';

const rabbit = await rabbitUnderTest();
after(() => rabbit?.close());
// Introductions are queued for the e-mail channel; nothing here drains the outbox.
const smtp = await startForFile(new TestSmtp());

const SECRETS = { create: 'q-create-secret', update: 'q-update-secret', destroy: 'q-destroy-secret' };
const WEBHOOKS = `scale_team.create:${SECRETS.create},scale_team.update:${SECRETS.update},scale_team.destroy:${SECRETS.destroy}`;
const LEASE_SECONDS = 2;
const silent = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
const fast = { firstMs: 100, maxMs: 1_000 };

const CREATED_AT = new Date(Date.now() - 3_600_000).toISOString();
const UPDATED_AT = new Date(Date.now() - 1_800_000).toISOString();
const startsIn = (hours: number) =>
  new Date(Math.floor(Date.now() / 60_000) * 60_000 + hours * 3_600_000).toISOString();
const CREATE_TIME = startsIn(3);
const UPDATE_TIME = startsIn(5);

type Event = keyof typeof SECRETS;
interface Outgoing {
  body: string;
  headers: Record<string, unknown>;
}

/** A message as the intranet publishes it: the webhook's headers as AMQP headers. */
function message(event: Event, body: unknown, delivery: string, headers: Record<string, unknown> = {}): Outgoing {
  return {
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: {
      'X-Model': 'scale_team',
      'X-Event': event,
      'X-Secret': SECRETS[event],
      'X-Delivery': delivery,
      ...headers,
    },
  };
}

const scaleTeam = (id: number, over: Record<string, unknown> = {}) => ({
  id,
  begin_at: CREATE_TIME,
  updated_at: CREATED_AT,
  user: { login: `eval${id}` },
  team: { id: id * 10, name: 'libft', users: [{ login: `stud${id}a` }, { login: `stud${id}b` }] },
  ...over,
});

/** A seeded shuffle, so a failing order can be replayed. */
function shuffle<T>(items: T[], seed: number): T[] {
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 180_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    // Not much more often: each look queries the database (and the broker) the consumer is busy with.
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const withQueues = (config: Config, names: QueueNames, prefetch = 32): Config => ({
  ...config,
  intra42: {
    ...config.intra42,
    amqp: { ...config.intra42.amqp, url: rabbit?.url, prefetch, ...names },
  },
});

/** The meetings of scale teams [from, to], with their participants' logins. */
async function meetingsIn(db: Db, from: number, to: number) {
  const rows = await db
    .selectFrom('meetings')
    .select(['id', 'external_id', 'starts_at', 'status'])
    .where('source', '=', 'intra42')
    .execute();
  const mine = rows.filter((m) => Number(m.external_id) >= from && Number(m.external_id) <= to);
  const people = await db
    .selectFrom('meeting_participants')
    .innerJoin('external_ids', 'external_ids.person_id', 'meeting_participants.person_id')
    .select(['meeting_participants.meeting_id', 'external_ids.external_id as login'])
    .where('external_ids.source', '=', 'intra42')
    .execute();
  const logins = new Map<string, string[]>();
  for (const p of people) logins.set(p.meeting_id, [...(logins.get(p.meeting_id) ?? []), p.login]);
  return mine.map((m) => ({ ...m, logins: (logins.get(m.id) ?? []).sort() }));
}

/** How many scale teams in [from, to] have a meeting: what the waits look at, without the participants. */
async function meetingCount(db: Db, from: number, to: number): Promise<number> {
  const rows = await db.selectFrom('meetings').select('external_id').where('source', '=', 'intra42').execute();
  return rows.filter((m) => Number(m.external_id) >= from && Number(m.external_id) <= to).length;
}

/** Nobody got the same introduction twice, and every meeting got its introductions. */
async function assertIntroducedOnce(db: Db, meetingIds: string[]): Promise<void> {
  const rows = await db
    .selectFrom('notifications')
    .select(['meeting_id', 'person_id', 'channel'])
    .where('kind', '=', 'intro')
    // One replaced by a later change before it went (skipped) was never sent.
    .where('status', '!=', 'skipped')
    .execute();
  const wanted = new Set(meetingIds);
  const seen = new Map<string, number>();
  const perMeeting = new Map<string, number>();
  for (const r of rows) {
    if (!r.meeting_id || !wanted.has(r.meeting_id)) continue;
    const key = `${r.meeting_id}/${r.person_id}/${r.channel}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
    perMeeting.set(r.meeting_id, (perMeeting.get(r.meeting_id) ?? 0) + 1);
  }
  const twice = [...seen].filter(([, n]) => n > 1);
  assert.deepEqual(twice, [], 'an introduction was queued twice');
  assert.equal(perMeeting.size, meetingIds.length, 'every meeting has its introductions');
}

const header = (value: unknown) => (Buffer.isBuffer(value) ? value.toString() : String(value));

for (const engine of enginesUnderTest()) {
  describe(`the 42 RabbitMQ consumer [${engine.engine}]`, {
    skip: rabbit ? false : 'CONVENE_TEST_AMQP_URL is not set',
  }, () => {
    let database: TestDatabase;
    let app: TestApp | undefined;
    const stops: Array<() => Promise<unknown>> = [];
    before(async () => {
      database = await engine.create({ migrated: true });
      app = await startTestApp(database, {
        'intra42.webhooks': WEBHOOKS,
        'intra42.leaseSeconds': LEASE_SECONDS,
        'notifications.email.smtpUrl': smtp.url,
      });
    });
    after(async () => {
      for (const stop of stops.reverse()) await stop().catch(() => undefined);
      await app?.close();
      await database?.drop();
    });
    const db = () => (app as TestApp).ctx.database.db;

    function consumer(names: QueueNames, extra: Partial<Parameters<typeof intra42QueueConsumer>[0]> = {}) {
      const service = intra42QueueConsumer({
        db: db(),
        config: withQueues((app as TestApp).config, names),
        log: silent,
        reconnect: fast,
        retry: fast,
        ...extra,
      });
      stops.push(() => service.stop());
      return service;
    }

    test('1,000 messages with duplicates and malformed ones: every valid meeting once, every refused message dead-lettered once, with its reason', async () => {
      if (!rabbit) return;
      const names = await rabbit.freshQueues();
      const out: Outgoing[] = [];
      for (let id = 1; id <= 700; id++) out.push(message('create', scaleTeam(id), `c-${id}`));
      // 150 copies of deliveries already sent (the intranet's redeliveries).
      for (let i = 0; i < 150; i++)
        out.push(message('create', scaleTeam(((i * 7) % 700) + 1), `c-${((i * 7) % 700) + 1}`));
      // 50 updates moving the first 50 evaluations two hours later (newer updated_at).
      for (let id = 1; id <= 50; id++) {
        out.push(message('update', scaleTeam(id, { begin_at: UPDATE_TIME, updated_at: UPDATED_AT }), `u-${id}`));
      }
      const refused: Outgoing[] = [];
      for (let i = 0; i < 20; i++) refused.push(message('create', `{"id": ${900 + i}, "begin_at": `, `bad-json-${i}`));
      for (let i = 0; i < 20; i++)
        refused.push(message('create', scaleTeam(920 + i, { begin_at: 'tomorrow' }), `bad-time-${i}`));
      for (let i = 0; i < 10; i++)
        refused.push(message('create', scaleTeam(940 + i, { user: null }), `automatic-${i}`));
      for (let i = 0; i < 10; i++)
        refused.push(message('create', scaleTeam(950 + i), `bad-secret-${i}`, { 'X-Secret': 'nope' }));
      out.push(...refused);
      // 40 copies of refused deliveries: already dead-lettered, not again.
      for (let i = 0; i < 40; i++) out.push(refused[i] as Outgoing);
      assert.equal(out.length, 1000);
      await rabbit.publish(names.queue, shuffle(out, 42));

      const service = consumer(names);
      await service.start(() => undefined);
      await waitFor('the queue to be consumed', async () => {
        const done = (await meetingCount(db(), 1, 700)) === 700;
        return done && (await rabbit.ready(names.deadLetterQueue)) >= 60 && (await rabbit.ready(names.queue)) === 0;
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      await service.stop();

      const meetings = await meetingsIn(db(), 1, 999);
      assert.equal(meetings.length, 700, 'exactly the valid scale teams have a meeting');
      for (const m of meetings) {
        const id = Number(m.external_id);
        assert.deepEqual(m.logins, [`eval${id}`, `stud${id}a`, `stud${id}b`]);
        assert.equal(m.starts_at, id <= 50 ? UPDATE_TIME : CREATE_TIME, `scale team ${id} has the newest time`);
      }
      await assertIntroducedOnce(
        db(),
        meetings.map((m) => m.id),
      );
      assert.equal(await rabbit.ready(names.queue), 0, 'nothing left in the queue, nothing unacknowledged');

      const dead = await rabbit.drain(names.deadLetterQueue);
      assert.equal(dead.length, 60, 'each refused delivery is in the dead-letter queue once');
      const deliveries = dead.map((d) => header(d.properties.headers?.['X-Delivery']));
      assert.equal(new Set(deliveries).size, 60);
      const reasons = dead.map((d) => header(d.properties.headers?.[REASON_HEADER]));
      assert.equal(reasons.filter((r) => r.includes('not valid JSON')).length, 20);
      assert.equal(reasons.filter((r) => r.startsWith('begin_at')).length, 20, reasons.join('\n'));
      assert.equal(reasons.filter((r) => r.startsWith('user.login')).length, 10);
      assert.equal(reasons.filter((r) => r.startsWith('X-Secret')).length, 10);
      for (const d of dead) assert.equal(d.properties.headers?.['X-Secret'], undefined, 'the secret is not passed on');
      const timeField = dead.find((d) => header(d.properties.headers?.['X-Delivery']) === 'bad-time-3');
      assert.equal(header(timeField?.properties.headers?.['x-convene-field']), 'begin_at');

      const rows = await db().selectFrom('deliveries').selectAll().where('channel', '=', 'queue').execute();
      // An update processed before its create leaves the late create 'ignored' (older updated_at).
      assert.equal(rows.filter((r) => r.outcome === 'ok' || r.outcome === 'ignored').length, 750);
      const rejected = rows.filter((r) => r.outcome === 'rejected');
      assert.equal(rejected.length, 50);
      assert.ok(rejected.every((r) => r.dead_lettered_at));
      assert.equal(rows.filter((r) => r.outcome === 'processing' || r.outcome === 'failed').length, 0);
      // The admin's Inbound page tells queue messages from webhooks.
      const page = await listDeliveries(db(), { page: 1 });
      assert.ok(
        page.deliveries.length > 0 && page.deliveries.every((d) => d.channel === 'queue' && d.source === 'intra42'),
      );
      // The messages with a wrong secret are no deliveries: they are counted as refusals, from the queue.
      const refusals = await listRefusals(db());
      assert.equal(refusals.length, 1);
      assert.equal(refusals[0]?.channel, 'queue');
      assert.equal(refusals[0]?.reason, 'secret');
      assert.equal(refusals[0]?.count, 10);
      assert.equal(refusals[0]?.lastFrom, null);
    });

    test('the broker closes the connection between dead-lettering a message and committing: it is dead-lettered once, after the reconnect', async () => {
      if (!rabbit) return;
      const names = await rabbit.freshQueues();
      const name = `convene-test-drop-${engine.engine}-${Date.now()}`;
      let dropped = 0;
      const service = consumer(names, {
        name,
        beforeCommit: async (kinds) => {
          if (dropped === 0 && kinds.includes('dead-letter')) {
            dropped = await rabbit.closeConnectionsNamed(name);
          }
        },
      });
      await service.start(() => undefined);
      await rabbit.publish(names.queue, [
        message('create', scaleTeam(10_001), 'drop-ok-1'),
        message('create', scaleTeam(10_002, { begin_at: 'soon' }), 'drop-bad-1'),
        message('create', scaleTeam(10_003), 'drop-ok-2'),
      ]);
      await waitFor('the reconnect and the dead-lettering', async () => {
        const row = await db()
          .selectFrom('deliveries')
          .select(['outcome', 'dead_lettered_at'])
          .where('delivery_id', '=', 'drop-bad-1')
          .executeTakeFirst();
        // Recorded refused with its batch; dead-lettered (and noted so) only after the reconnect.
        return (
          dropped === 1 &&
          row?.outcome === 'rejected' &&
          Boolean(row.dead_lettered_at) &&
          (await meetingCount(db(), 10_001, 10_003)) === 2
        );
      });
      assert.equal(dropped, 1, 'the broker closed the consumer connection mid-commit');
      await new Promise((resolve) => setTimeout(resolve, 500));
      await service.stop();
      const dead = await rabbit.drain(names.deadLetterQueue);
      assert.equal(dead.length, 1, 'the refused message is in the dead-letter queue exactly once');
      assert.match(header(dead[0]?.properties.headers?.[REASON_HEADER]), /^begin_at/);
      assert.equal(await rabbit.ready(names.queue), 0);
    });

    test('the broker closes the connection twice while 240 messages flow: it reconnects, nothing lost, no double dead-letter', async () => {
      if (!rabbit) return;
      const names = await rabbit.freshQueues();
      const name = `convene-test-drops-${engine.engine}-${Date.now()}`;
      const out: Outgoing[] = [];
      for (let id = 11_001; id <= 11_200; id++) {
        out.push(message('create', scaleTeam(id), `flow-${id}`));
        if (id % 5 === 0) out.push(message('create', scaleTeam(id + 1000, { begin_at: 'never' }), `flow-bad-${id}`));
      }
      await rabbit.publish(names.queue, out);
      // One at a time, so the stream is still flowing when the broker closes the connection.
      const service = intra42QueueConsumer({
        db: db(),
        config: withQueues((app as TestApp).config, names, 1),
        log: silent,
        name,
        reconnect: fast,
        retry: fast,
      });
      stops.push(() => service.stop());
      await service.start(() => undefined);
      let closed = 0;
      for (const after of [40, 120]) {
        await waitFor(`${after} meetings`, async () => (await meetingCount(db(), 11_001, 11_200)) >= after);
        closed += await rabbit.closeConnectionsNamed(name);
      }
      assert.equal(closed, 2);
      await waitFor('every message', async () => {
        const meetings = await meetingCount(db(), 11_001, 11_200);
        return (
          meetings === 200 &&
          (await rabbit.ready(names.deadLetterQueue)) >= 40 &&
          (await rabbit.ready(names.queue)) === 0
        );
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      await service.stop();
      assert.equal(await rabbit.ready(names.deadLetterQueue), 40, 'each refused message dead-lettered once');
      const meetings = await meetingsIn(db(), 11_001, 11_200);
      assert.equal(meetings.length, 200);
      await assertIntroducedOnce(
        db(),
        meetings.map((m) => m.id),
      );
    });

    test('convene consume killed with SIGKILL mid-stream and started again: nothing lost, nothing twice', async () => {
      if (!rabbit) return;
      const names = await rabbit.freshQueues();
      const out: Outgoing[] = [];
      for (let id = 20_001; id <= 20_600; id++) {
        out.push(message('create', scaleTeam(id), `kill-${id}`));
        if (id % 30 === 0) out.push(message('create', `not json ${id}`, `kill-bad-${id}`));
      }
      await rabbit.publish(names.queue, out);
      const env = {
        DATABASE_URL: database.url,
        CONVENE_INTRA42_WEBHOOKS: WEBHOOKS,
        CONVENE_INTRA42_AMQP_URL: rabbit.url,
        CONVENE_INTRA42_AMQP_QUEUE: names.queue,
        CONVENE_INTRA42_AMQP_DEAD_LETTER_EXCHANGE: names.deadLetterExchange,
        CONVENE_INTRA42_AMQP_DEAD_LETTER_QUEUE: names.deadLetterQueue,
        CONVENE_INTRA42_AMQP_PREFETCH: '16',
        CONVENE_INTRA42_LEASE_SECONDS: String(LEASE_SECONDS),
        CONVENE_SMTP_URL: smtp.url,
      };
      const consume = () => startConvene(['consume'], env, /is consuming/);
      const first: ConveneProcess = await consume();
      stops.push(async () => first.child.kill('SIGKILL'));
      await waitFor(
        'the first process to be mid-stream',
        async () => (await meetingCount(db(), 20_001, 20_600)) >= 100,
      );
      first.child.kill('SIGKILL');
      await first.exited;
      const handled = (await meetingsIn(db(), 20_001, 20_600)).length;
      assert.ok(handled < 600, `killed mid-stream (${handled} of 600 done)`);

      const second = await consume();
      stops.push(async () => second.child.kill('SIGKILL'));
      await waitFor('the second process to finish', async () => {
        const meetings = await meetingCount(db(), 20_001, 20_600);
        return (
          meetings === 600 &&
          (await rabbit.ready(names.deadLetterQueue)) >= 20 &&
          (await rabbit.ready(names.queue)) === 0
        );
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      second.child.kill('SIGTERM');
      assert.equal(await second.exited, 0, `stopped cleanly on SIGTERM:\n${second.output()}`);

      assert.equal(await rabbit.ready(names.queue), 0, 'no message lost or left unacknowledged');
      assert.equal(await rabbit.ready(names.deadLetterQueue), 20, 'each refused message dead-lettered once');
      const meetings = await meetingsIn(db(), 20_001, 20_600);
      assert.equal(meetings.length, 600);
      for (const m of meetings) assert.equal(m.logins.length, 3);
      await assertIntroducedOnce(
        db(),
        meetings.map((m) => m.id),
      );
      const stuck = await db()
        .selectFrom('deliveries')
        .select('delivery_id')
        .where('delivery_id', 'like', 'kill-%')
        .where('outcome', 'in', ['processing', 'failed'])
        .execute();
      assert.deepEqual(stuck, []);
    });

    test('one message of a batch fails in the database: the others of its transaction are stored, it is retried alone', async () => {
      if (!rabbit) return;
      const names = await rabbit.freshQueues();
      // A real failure inside the batch's transaction (on PostgreSQL it aborts the statement's transaction).
      const failing = '40002';
      if (engine.engine === 'sqlite') {
        await sql`create trigger refuse_40002 before insert on meetings when new.external_id = ${sql.lit(failing)}
          begin select raise(abort, 'refused on purpose'); end`.execute(db());
      } else {
        await sql`create function refuse_40002() returns trigger language plpgsql as $$
          begin if new.external_id = ${sql.lit(failing)} then raise exception 'refused on purpose'; end if; return new; end $$`.execute(
          db(),
        );
        await sql`create trigger refuse_40002 before insert on meetings for each row execute function refuse_40002()`.execute(
          db(),
        );
      }
      const dropTrigger = async () => {
        await sql`drop trigger if exists refuse_40002${sql.raw(engine.engine === 'sqlite' ? '' : ' on meetings')}`.execute(
          db(),
        );
        if (engine.engine !== 'sqlite') await sql`drop function if exists refuse_40002()`.execute(db());
      };
      stops.push(dropTrigger);
      // Published before the consumer starts: they arrive together, one batch.
      await rabbit.publish(
        names.queue,
        [40_001, 40_002, 40_003, 40_004, 40_005].map((id) => message('create', scaleTeam(id), `batch-${id}`)),
      );
      const service = consumer(names);
      await service.start(() => undefined);
      await waitFor('the batch', async () => {
        const row = await db()
          .selectFrom('deliveries')
          .select('outcome')
          .where('delivery_id', '=', 'batch-40002')
          .executeTakeFirst();
        return row?.outcome === 'failed' && (await meetingCount(db(), 40_001, 40_005)) === 4;
      });
      const stored = await meetingsIn(db(), 40_001, 40_005);
      assert.deepEqual(stored.map((m) => m.external_id).sort(), ['40001', '40003', '40004', '40005']);
      for (const m of stored) assert.equal(m.logins.length, 3, 'each with its people');
      assert.equal(await rabbit.ready(names.deadLetterQueue), 0, 'a failure is not a refusal');
      await dropTrigger();
      await waitFor('the failed one, retried', async () => (await meetingCount(db(), 40_001, 40_005)) === 5);
      await service.stop();
      const meetings = await meetingsIn(db(), 40_001, 40_005);
      await assertIntroducedOnce(
        db(),
        meetings.map((m) => m.id),
      );
      assert.equal(await rabbit.ready(names.queue), 0);
    });

    test('a message over 256 kB is dead-lettered unread, saying why; the messages after it go through', async () => {
      if (!rabbit) return;
      const names = await rabbit.freshQueues();
      const service = consumer(names);
      await service.start(() => undefined);
      // Valid JSON and a valid scale_team but for its size: refused for the size alone.
      const padded = scaleTeam(31_001, { notes: 'x'.repeat(300 * 1024) });
      await rabbit.publish(names.queue, [
        message('create', padded, 'huge-1'),
        message('create', scaleTeam(31_002), 'after-huge'),
      ]);
      await waitFor('the message after the large one', async () => (await meetingCount(db(), 31_002, 31_002)) === 1);
      await waitFor('the large one dead-lettered', async () => (await rabbit.ready(names.deadLetterQueue)) === 1);
      await service.stop();
      assert.equal((await meetingsIn(db(), 31_001, 31_001)).length, 0, 'no meeting from the large message');
      const [dead] = await rabbit.drain(names.deadLetterQueue);
      assert.equal(header(dead?.properties.headers?.['X-Delivery']), 'huge-1');
      assert.match(
        header(dead?.properties.headers?.[REASON_HEADER]),
        /^The body is 30\d kB; at most 256 kB is read\.$/,
      );
      assert.equal(dead?.properties.headers?.['x-convene-status'], 413);
      assert.ok((dead?.content.length ?? 0) > 300 * 1024, 'the message itself is kept whole in the dead-letter queue');
      const row = await db()
        .selectFrom('deliveries')
        .selectAll()
        .where('delivery_id', '=', 'huge-1')
        .executeTakeFirstOrThrow();
      assert.equal(row.outcome, 'rejected');
      assert.equal(row.status_code, 413);
      assert.ok(row.dead_lettered_at);
    });

    test('a refused message whose headers cannot be sent again (a table of an unknown type) is dead-lettered without them; the queue keeps draining', async () => {
      if (!rabbit) return;
      const names = await rabbit.freshQueues();
      const service = consumer(names);
      await service.start(() => undefined);
      // Encoded as a table holding {"!": "bogus", value: 1}: read back, amqplib cannot write it again.
      const odd = { 'x-note': { '!': 'object', value: { '!': 'bogus', value: 1 } }, 'x-plain': 'kept' };
      await rabbit.publish(names.queue, [
        message('create', scaleTeam(32_001), 'odd-headers', { ...odd, 'X-Secret': 'wrong' }),
        ...[32_002, 32_003, 32_004].map((id) => message('create', scaleTeam(id), `after-odd-${id}`)),
      ]);
      await waitFor('the messages after it', async () => (await meetingCount(db(), 32_002, 32_004)) === 3);
      await waitFor('the odd one dead-lettered', async () => (await rabbit.ready(names.deadLetterQueue)) === 1);
      await service.stop();
      const [dead] = await rabbit.drain(names.deadLetterQueue);
      const headers = dead?.properties.headers ?? {};
      assert.equal(header(headers['X-Delivery']), 'odd-headers');
      assert.equal(header(headers['x-plain']), 'kept');
      assert.equal(headers['x-note'], undefined);
      assert.equal(header(headers['x-convene-dropped-headers']), 'x-note');
      assert.equal(headers['x-convene-status'], 401);
      assert.equal(await rabbit.ready(names.queue), 0);
    });

    test("messages whose headers nest as deep as the broker's frame_max allows (tables and arrays) are dead-lettered with their reason; the queue keeps draining", async () => {
      if (!rabbit) return;
      const names = await rabbit.freshQueues();
      const secretRefusals = async () => (await listRefusals(db())).find((r) => r.reason === 'secret')?.count ?? 0;
      const refusedBefore = await secretRefusals();
      const service = consumer(names);
      await service.start(() => undefined);
      // amqplib cannot publish these (its encoding buffer is 64 kB): a bare AMQP publisher does,
      // filling the content header frame to the broker's frame_max with one header, 'x-deep'.
      const plain = (delivery: string, secret: string) =>
        Buffer.concat([
          textEntry('X-Model', 'scale_team'),
          textEntry('X-Event', 'create'),
          textEntry('X-Secret', secret),
          textEntry('X-Delivery', delivery),
        ]);
      const body = (id: number) => Buffer.from(JSON.stringify(scaleTeam(id)));
      await rabbit.publish(names.queue, [message('create', scaleTeam(33_001), 'before-deep')]);
      const tables = await publishRaw(
        rabbit.url,
        names.queue,
        (frameMax) => deepestHeaders(frameMax, plain('deep-tables', SECRETS.create), 'x-deep', 'table'),
        body(33_002),
      );
      const arrays = await publishRaw(
        rabbit.url,
        names.queue,
        (frameMax) => deepestHeaders(frameMax, plain('deep-arrays', 'wrong'), 'x-deep', 'array'),
        body(33_003),
      );
      // The worst the broker delivers: content header frames filled to within a level of frame_max.
      assert.ok(tables.frameMax - tables.headerFrameBytes < 6, `${tables.headerFrameBytes} of ${tables.frameMax}`);
      assert.ok(arrays.frameMax - arrays.headerFrameBytes < 5, `${arrays.headerFrameBytes} of ${arrays.frameMax}`);
      await rabbit.publish(
        names.queue,
        [33_004, 33_005, 33_006].map((id) => message('create', scaleTeam(id), `after-deep-${id}`)),
      );
      await waitFor(
        'the messages after the deep ones',
        async () => (await meetingCount(db(), 33_004, 33_006)) === 3,
        60_000,
      );
      await waitFor(
        'both deep ones dead-lettered',
        async () => (await rabbit.ready(names.deadLetterQueue)) === 2,
        60_000,
      );
      await service.stop();
      assert.equal(await meetingCount(db(), 33_001, 33_001), 1);
      assert.equal(await meetingCount(db(), 33_002, 33_003), 0, 'no meeting from a message with unread headers');
      assert.equal(await rabbit.ready(names.queue), 0);

      const dead = await rabbit.drain(names.deadLetterQueue);
      const byDelivery = new Map(dead.map((d) => [header(d.properties.headers?.['X-Delivery']), d]));
      // Authentic headers besides the deep one: a delivery refused like one with a bad body, recorded once.
      const deepTables = byDelivery.get('deep-tables');
      assert.equal(
        header(deepTables?.properties.headers?.[REASON_HEADER]),
        'x-deep: a header nested more than 100 tables or arrays deep is not read.',
      );
      assert.equal(deepTables?.properties.headers?.['x-convene-status'], 400);
      assert.equal(header(deepTables?.properties.headers?.['x-convene-field']), 'x-deep');
      assert.equal(header(deepTables?.properties.headers?.['x-convene-unread-headers']), 'x-deep');
      assert.equal(deepTables?.properties.headers?.['x-deep'], undefined);
      assert.equal(deepTables?.properties.headers?.['X-Secret'], undefined);
      assert.deepEqual(deepTables?.content, body(33_002), 'the message itself is kept');
      const row = await db()
        .selectFrom('deliveries')
        .selectAll()
        .where('delivery_id', '=', 'deep-tables')
        .executeTakeFirstOrThrow();
      assert.equal(row.outcome, 'rejected');
      assert.equal(row.status_code, 400);
      assert.equal(row.channel, 'queue');
      assert.match(row.error ?? '', /^x-deep: a header nested more than 100/);
      assert.equal(row.subject, '33002', 'found on the Inbound page by the scale team its body names');
      assert.ok(row.dead_lettered_at);
      // A wrong secret besides: refused by its headers, counted, not recorded as a delivery.
      const deepArrays = byDelivery.get('deep-arrays');
      assert.equal(deepArrays?.properties.headers?.['x-convene-status'], 401);
      assert.equal(header(deepArrays?.properties.headers?.['x-convene-unread-headers']), 'x-deep');
      assert.equal(
        await db().selectFrom('deliveries').select('id').where('delivery_id', '=', 'deep-arrays').executeTakeFirst(),
        undefined,
      );
      assert.equal(await secretRefusals(), Number(refusedBefore) + 1);
    });

    test('the broker closes the connection while a message with too-deep headers is being dead-lettered: it is dead-lettered once, after the reconnect', async () => {
      if (!rabbit) return;
      const names = await rabbit.freshQueues();
      const name = `convene-test-deep-drop-${engine.engine}-${Date.now()}`;
      let dropped = 0;
      const service = consumer(names, {
        name,
        beforeCommit: async (kinds) => {
          if (dropped === 0 && kinds.includes('dead-letter')) dropped = await rabbit.closeConnectionsNamed(name);
        },
      });
      await service.start(() => undefined);
      const headers = Buffer.concat([
        textEntry('X-Model', 'scale_team'),
        textEntry('X-Event', 'create'),
        textEntry('X-Secret', SECRETS.create),
        textEntry('X-Delivery', 'deep-drop'),
        nestedEntry('x-deep', 8_000, 'table'),
      ]);
      await publishRaw(rabbit.url, names.queue, headers, Buffer.from(JSON.stringify(scaleTeam(34_001))));
      await rabbit.publish(names.queue, [message('create', scaleTeam(34_002), 'after-deep-drop')]);
      await waitFor(
        'the reconnect and the dead-lettering',
        async () => {
          const row = await db()
            .selectFrom('deliveries')
            .select(['outcome', 'dead_lettered_at'])
            .where('delivery_id', '=', 'deep-drop')
            .executeTakeFirst();
          return (
            dropped === 1 &&
            row?.outcome === 'rejected' &&
            Boolean(row.dead_lettered_at) &&
            (await meetingCount(db(), 34_002, 34_002)) === 1
          );
        },
        60_000,
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      await service.stop();
      const dead = await rabbit.drain(names.deadLetterQueue);
      assert.equal(dead.length, 1, 'dead-lettered exactly once');
      assert.match(header(dead[0]?.properties.headers?.[REASON_HEADER]), /^x-deep: a header nested more than 100/);
      assert.equal(await rabbit.ready(names.queue), 0);
    });

    test('the database down: messages are requeued with backoff, not dead-lettered, and go through once it is back', async () => {
      if (!rabbit) return;
      const names = await rabbit.freshQueues();
      let down = true;
      const outage: KyselyPlugin = {
        transformQuery(args) {
          if (down) throw new Error('connect ECONNREFUSED (database down, on purpose)');
          return args.node;
        },
        transformResult: async (args) => args.result,
      };
      const service = consumer(names, { db: db().withPlugin(outage) as Db });
      await service.start(() => undefined);
      await rabbit.publish(names.queue, [
        message('create', scaleTeam(30_001), 'down-1'),
        message('create', scaleTeam(30_002), 'down-2'),
        message('create', scaleTeam(30_003, { begin_at: 'later' }), 'down-bad'),
      ]);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      assert.equal(await rabbit.ready(names.deadLetterQueue), 0, 'nothing dead-lettered while the database is down');
      assert.equal((await meetingsIn(db(), 30_001, 30_003)).length, 0);
      down = false;
      await waitFor('the messages after the outage', async () => (await meetingCount(db(), 30_001, 30_003)) === 2);
      await waitFor('the refused one', async () => (await rabbit.ready(names.deadLetterQueue)) === 1);
      await service.stop();
      assert.equal(await rabbit.ready(names.queue), 0);
    });
  });
}
