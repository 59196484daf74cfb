/**
 * What one ingested event costs, counted rather than timed (`npx tsx bench/ingestSteps.ts`), for a
 * shared machine where wall time says little: the 42 receiver (the webhook's and the queue's) fed
 * scale_team creates with distinct ids in waves that overlap like concurrent requests, on SQLite
 * and (with CONVENE_BENCH_POSTGRES_URL) PostgreSQL. Per event: SQL statements sent (each a round
 * trip on PostgreSQL), transactions, this process's CPU, and on PostgreSQL the server backends' CPU
 * (read from /proc). The same figures for a bare insert loop (one row, one commit) give the ratio.
 *
 * CONVENE_BENCH_INGEST_EVENTS (default 1000), CONVENE_BENCH_WAVE (default 32: the webhook bench's
 * concurrency).
 */
import { type KyselyPlugin, sql } from 'kysely';
import type { Db } from '../src/db/database.js';
import { intra42Receiver } from '../src/features/ingest/receive.js';
import { processCpuMs } from './cpu.js';
import { bareInsert, freshDatabase, openIngestContext, receiveCreatesInWaves } from './support.js';

const EVENTS = Number(process.env.CONVENE_BENCH_INGEST_EVENTS ?? 1000);
const WAVE = Number(process.env.CONVENE_BENCH_WAVE ?? 32);

/** Counts what reaches the database: statements, and how many of them open a transaction. */
function counter() {
  const seen = { statements: 0 };
  const plugin: KyselyPlugin = {
    transformQuery(args) {
      seen.statements++;
      return args.node;
    },
    async transformResult(args) {
      return args.result;
    },
  };
  return { seen, plugin };
}

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** CPU ms the PostgreSQL backends serving this database have used so far (Linux /proc). */
async function backendCpuMs(db: Db, engine: string): Promise<number> {
  if (engine !== 'postgres') return 0;
  const { rows } = await sql<{
    pid: number;
  }>`select pid from pg_stat_activity where datname = current_database()`.execute(db);
  return rows.reduce((total, { pid }) => total + processCpuMs(pid), 0);
}

async function measure(engine: 'sqlite' | 'postgres') {
  const database = await freshDatabase(engine);
  const { config, ctx } = await openIngestContext(database.url);
  const { seen, plugin } = counter();
  const db = ctx.database.db.withPlugin(plugin);
  try {
    // Warm up the pool's connections (and the JIT) before counting.
    await db.selectFrom('deliveries').select('id').limit(1).execute();

    let cpu0 = cpuMs();
    let server0 = await backendCpuMs(ctx.database.db, engine);
    let s0 = seen.statements;
    for (let i = 0; i < EVENTS; i++) {
      await bareInsert(db, i);
    }
    const bare = {
      cpu: (cpuMs() - cpu0) / EVENTS,
      server: ((await backendCpuMs(ctx.database.db, engine)) - server0) / EVENTS,
      statements: (seen.statements - s0) / EVENTS,
    };

    const receive = intra42Receiver({ db, config, channel: 'webhook' });
    cpu0 = cpuMs();
    server0 = await backendCpuMs(ctx.database.db, engine);
    s0 = seen.statements;
    const wall0 = performance.now();
    await receiveCreatesInWaves(receive, { prefix: 's', first: 1_000_000, events: EVENTS, wave: WAVE });
    const wall = performance.now() - wall0;
    const ingest = {
      cpu: (cpuMs() - cpu0) / EVENTS,
      server: ((await backendCpuMs(ctx.database.db, engine)) - server0) / EVENTS,
      statements: (seen.statements - s0) / EVENTS,
    };
    const queued = await ctx.database.db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const round = (n: number) => Number(n.toFixed(3));
    return {
      engine,
      wave: WAVE,
      'statements/event': round(ingest.statements),
      'cpu ms/event': round(ingest.cpu),
      'server cpu ms/event': round(ingest.server),
      'bare cpu ms/row': round(bare.cpu),
      'bare server ms/row': round(bare.server),
      'cpu ratio': round((bare.cpu + bare.server) / (ingest.cpu + ingest.server)),
      'wall events/s': Math.round((EVENTS / wall) * 1000),
      'messages/event': round(Number(queued.n) / EVENTS),
    };
  } finally {
    await ctx.database.close();
    await database.drop();
  }
}

const rows = [await measure('sqlite')];
if (process.env.CONVENE_BENCH_POSTGRES_URL) rows.push(await measure('postgres'));
console.log(
  `${EVENTS} creates in waves of ${WAVE}; cpu ratio = (bare insert's node + server CPU per row) ÷ (ingest's per event).`,
);
console.table(rows);
