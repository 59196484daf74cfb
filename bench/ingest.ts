/**
 * Ingestion benchmark (`npm run bench:ingest`): 42 scale_team creates with distinct ids, each
 * committed with its messages queued, on SQLite and (with CONVENE_BENCH_POSTGRES_URL) PostgreSQL:
 *
 * - baseline: a bare loop inserting one row per event into `deliveries`, each its own commit;
 * - webhook: `POST /webhooks/42` through the real server (in-process inject, N senders each
 *   sending its next request when answered): no sockets, and the sender's CPU is in the server's
 *   own process;
 * - webhook over HTTP: the same requests from another process (bench/webhookClient.ts) over N
 *   keep-alive connections to `convene serve --no-jobs` (the built CLI, as deployed) listening on
 *   127.0.0.1: requests arrive one by one as the kernel delivers them, and the sender takes CPU
 *   from the same machine (shown as its share). The inject rows run the server in this process,
 *   from the TypeScript sources under tsx, whose loader costs the server a few per cent of CPU;
 * - N is 32 and 128 (CONVENE_BENCH_SENDERS, e.g. `32,64,128`): at 32 the server is idle while it
 *   waits on the database's answers; at 128 it has a batch to prepare while another is stored;
 * - queue ×1 / ×2: messages published to RabbitMQ (CONVENE_BENCH_AMQP_URL, default the local one)
 *   and consumed by one or two `convene consume` processes, timed from the first publish to the
 *   last delivery committed (the publisher's own rate is shown beside it). The consumers use
 *   intra42.amqp.prefetch as configured (CONVENE_INTRA42_AMQP_PREFETCH; default 1,000).
 *
 * Figures are events/s and ratios to the baseline of the same run (the machine may be shared).
 * The target is 1,000 events/s for the webhook and one queue consumer: each webhook row is
 * held against it, and the README says which met it. Writes
 * bench/results/ingest.json.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import amqp from 'amqplib';
import type { Db } from '../src/db/database.js';
import { newId } from '../src/lib/ids.js';
import { buildServer } from '../src/server.js';
import { postgresCpuMs, processCpuMs } from './cpu.js';
import { BENCH_SECRET, BENCH_WEBHOOKS, scaleTeamCreate, threeHoursAhead } from './scaleTeams.js';
import { bareInsert, freshDatabase, openIngestContext, perSecond, startCli } from './support.js';

const EVENTS = Number(process.env.CONVENE_BENCH_INGEST_EVENTS ?? 2000);
/**
 * How many requests the webhook's senders keep open at once. 32 leaves the server waiting on its
 * round trips (each wave of answers comes back before the next is sent); 128 keeps it busy, which
 * is what its capacity is measured at.
 */
const SENDERS = (process.env.CONVENE_BENCH_SENDERS ?? '32,128').split(',').map(Number);
const TARGET_PER_SECOND = 1000;
/**
 * Events sent to a freshly started `convene serve` before the timed ones, as many as those: a
 * server that has been running is warm (its JIT, its pool, PostgreSQL's caches). With 500 the
 * server took 1.46 ms of CPU per event at 32 senders on PostgreSQL, with 2,000 0.96 ms.
 */
const WARM_UP = EVENTS;
const AMQP_URL = process.env.CONVENE_BENCH_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const here = dirname(fileURLToPath(import.meta.url));
const later = threeHoursAhead();
const body = (id: number) => scaleTeamCreate(id, later);

async function baseline(db: Db): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < EVENTS; i++) {
    await bareInsert(db, i);
  }
  return perSecond(EVENTS, performance.now() - started);
}

async function webhook(
  app: Awaited<ReturnType<typeof buildServer>>,
  firstId: number,
  senders: number,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= EVENTS) return;
      const response = await app.inject({
        method: 'POST',
        url: '/webhooks/42',
        headers: {
          'content-type': 'application/json',
          'x-model': 'scale_team',
          'x-event': 'create',
          'x-secret': BENCH_SECRET,
          'x-delivery': `w-${firstId + i}`,
        },
        payload: body(firstId + i),
      });
      if (response.statusCode !== 200) throw new Error(`webhook answered ${response.statusCode}: ${response.body}`);
    }
  };
  await Promise.all(Array.from({ length: senders }, worker));
  return perSecond(EVENTS, performance.now() - started);
}

/**
 * The webhook bench over real HTTP, as deployed: `convene serve --no-jobs` (the built CLI) on the
 * database, warmed up with WARM_UP untimed events, and a sender process of its own
 * (bench/webhookClient.ts). Besides events/s, the CPU each event took from this machine — the
 * server's process, PostgreSQL's (all its processes), the sender's — and the rate those would
 * allow with every core busy: what the machine can give, whatever the code does with the waits.
 */
async function webhookOverHttp(
  databaseUrl: string,
  firstId: number,
  senders: number,
): Promise<{ eventsPerSecond: number; extra: Record<string, number> }> {
  const server = await startCli(
    ['serve', '--no-jobs', '--host', '127.0.0.1', '--port', '0'],
    { LOG_LEVEL: 'warn', DATABASE_URL: databaseUrl, CONVENE_INTRA42_WEBHOOKS: BENCH_WEBHOOKS },
    'is ready at',
  );
  try {
    const port = /is ready at http:\/\/localhost:(\d+)/.exec(server.printed)?.[1];
    if (!port) throw new Error(`convene serve printed no address:\n${server.printed}`);
    const send = async (events: number, first: number) => {
      // process.execArgv carries tsx's loader, so the sender runs as TypeScript like this script.
      const { stdout } = await promisify(execFile)(process.execPath, [
        ...process.execArgv,
        join(here, 'webhookClient.ts'),
        `http://127.0.0.1:${port}`,
        String(events),
        String(senders),
        String(first),
      ]);
      return JSON.parse(stdout.trim().split('\n').at(-1) as string) as { eventsPerSecond: number; cpuShare: number };
    };
    await send(WARM_UP, firstId + EVENTS);
    const server0 = processCpuMs(server.pid as number);
    const database0 = postgresCpuMs();
    const timed = await send(EVENTS, firstId);
    const perEvent = (ms: number) => Number((ms / EVENTS).toFixed(3));
    const serverMs = perEvent(processCpuMs(server.pid as number) - server0);
    const databaseMs = perEvent(postgresCpuMs() - database0);
    const senderMs = Number(((timed.cpuShare * 1000) / timed.eventsPerSecond).toFixed(3));
    return {
      eventsPerSecond: timed.eventsPerSecond,
      extra: {
        senderCpuShare: timed.cpuShare,
        serverCpuMs: serverMs,
        databaseCpuMs: databaseMs,
        senderCpuMs: senderMs,
        ceilingPerSecond: Math.round((availableParallelism() * 1000) / (serverMs + databaseMs + senderMs)),
      },
    };
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
  }
}

const consumeProcess = (env: Record<string, string>) =>
  startCli('consume', { LOG_LEVEL: 'warn', ...env }, 'is consuming');

const published: number[] = [];

async function queue(db: Db, databaseUrl: string, consumers: number, firstId: number): Promise<number> {
  const tag = newId()
    .replace(/[^a-z0-9]/gi, '')
    .slice(-8);
  const names = { queue: `convene-bench-${tag}`, dlx: `convene-bench-${tag}.dlx`, dlq: `convene-bench-${tag}.dead` };
  const connection = await amqp.connect(AMQP_URL);
  const channel = await connection.createConfirmChannel();
  await channel.assertQueue(names.queue, { durable: true });
  const env = {
    DATABASE_URL: databaseUrl,
    CONVENE_INTRA42_WEBHOOKS: BENCH_WEBHOOKS,
    CONVENE_INTRA42_AMQP_URL: AMQP_URL,
    CONVENE_INTRA42_AMQP_QUEUE: names.queue,
    CONVENE_INTRA42_AMQP_DEAD_LETTER_EXCHANGE: names.dlx,
    CONVENE_INTRA42_AMQP_DEAD_LETTER_QUEUE: names.dlq,
    CONVENE_SMTP_URL: 'smtp://127.0.0.1:9',
  };
  const children = await Promise.all(Array.from({ length: consumers }, () => consumeProcess(env)));
  try {
    const started = performance.now();
    for (let i = 0; i < EVENTS; i++) {
      channel.sendToQueue(names.queue, Buffer.from(body(firstId + i)), {
        persistent: true,
        headers: {
          'X-Model': 'scale_team',
          'X-Event': 'create',
          'X-Secret': BENCH_SECRET,
          'X-Delivery': `q-${firstId + i}`,
        },
      });
    }
    await channel.waitForConfirms();
    // Whether the publisher could be what limits the figure: its own rate, confirms included.
    published.push(perSecond(EVENTS, performance.now() - started));
    for (;;) {
      const row = await db
        .selectFrom('deliveries')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('channel', '=', 'queue')
        .where('outcome', '=', 'ok')
        .where('delivery_id', 'like', `q-%`)
        .executeTakeFirstOrThrow();
      if (Number(row.n) >= EVENTS) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return perSecond(EVENTS, performance.now() - started);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((child) => new Promise((resolve) => child.once('exit', resolve))));
    await channel.deleteQueue(names.queue).catch(() => undefined);
    await channel.deleteQueue(names.dlq).catch(() => undefined);
    await channel.deleteExchange(names.dlx).catch(() => undefined);
    await connection.close();
  }
}

async function measure(engine: 'sqlite' | 'postgres', consumerCounts: number[]) {
  const results: Array<Record<string, string | number>> = [];
  for (const consumers of consumerCounts) {
    // A fresh database per measurement, so each starts from the same size.
    const database = await freshDatabase(engine);
    const { ctx } = await openIngestContext(database.url);
    const app = await buildServer(ctx, { logger: false });
    await app.ready();
    try {
      const bare = await baseline(ctx.database.db);
      const row = (what: string, eventsPerSecond: number, extra: Record<string, number> = {}) =>
        results.push({
          engine,
          what,
          eventsPerSecond,
          baselinePerSecond: bare,
          ratio: Number((eventsPerSecond / bare).toFixed(3)),
          ...extra,
        });
      if (consumers === 1) {
        // Distinct scale team ids for every run on this database.
        for (const [n, senders] of SENDERS.entries()) {
          row(`webhook, ${senders} senders`, await webhook(app, 1_000_000 + n * 100_000, senders));
          const overHttp = await webhookOverHttp(database.url, 3_000_000 + n * 100_000, senders);
          row(`webhook over HTTP, ${senders} senders`, overHttp.eventsPerSecond, overHttp.extra);
        }
      }
      const queued = await queue(ctx.database.db, database.url, consumers, 2_000_000);
      row(`queue, ${consumers} consumer${consumers > 1 ? 's' : ''}`, queued, {
        publishedPerSecond: published.at(-1) as number,
      });
    } finally {
      await app.close();
      await ctx.database.close();
      await database.drop();
    }
  }
  return results;
}

const results = [...(await measure('sqlite', [1]))];
if (process.env.CONVENE_BENCH_POSTGRES_URL) results.push(...(await measure('postgres', [1, 2])));
else console.log('CONVENE_BENCH_POSTGRES_URL is not set: PostgreSQL not measured.');
console.log(`${EVENTS} events each; ratio = events/s ÷ a bare insert loop's rows/s on the same database, same run.`);
console.log(
  `Queue: prefetch ${process.env.CONVENE_INTRA42_AMQP_PREFETCH ?? 'the default'} (CONVENE_INTRA42_AMQP_PREFETCH); publishedPerSecond = the publisher's own rate, confirms included.`,
);
console.log(
  "webhook over HTTP: senderCpuShare = the sending process's CPU ÷ wall time (cores it took from this machine); " +
    'server/database/senderCpuMs = CPU ms per event of convene serve, of PostgreSQL (all its processes) and of the sender; ' +
    `ceilingPerSecond = the rate those allow with all ${availableParallelism()} cores busy.`,
);
console.table(results);
for (const r of results) {
  if (String(r.what).startsWith('webhook') || r.what === 'queue, 1 consumer') {
    const met = Number(r.eventsPerSecond) >= TARGET_PER_SECOND;
    console.log(
      `${r.engine} ${r.what}: ${r.eventsPerSecond}/s — ${met ? 'meets' : 'BELOW'} the target of ${TARGET_PER_SECOND}/s`,
    );
  }
}
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(
  join(here, 'results', 'ingest.json'),
  `${JSON.stringify({ at: new Date().toISOString(), node: process.version, events: EVENTS, results }, null, 2)}\n`,
);
