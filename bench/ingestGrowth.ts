/**
 * Whether ingestion keeps its pace as the tables grow (`npx tsx bench/ingestGrowth.ts`; PostgreSQL
 * too with CONVENE_BENCH_POSTGRES_URL): the 42 receiver in this process, scale team creates in
 * waves of 100, six rounds of 3,000 after 500 not counted, on one fresh database (18,500
 * meetings, 55,500 people and 111,000 queued messages at the end). Each round prints its
 * creates/s, this process's CPU per create, and on PostgreSQL the CPU per create of every `postgres` process (backends, WAL writer,
 * autovacuum: /proc/<pid>/stat); the last row is the last round's figures as ratios to the first's.
 *
 * Why: with random row ids every insert went to a random page of each index keyed by id, and
 * once those outgrew the page cache a batch wrote back thousands of scattered pages; and on
 * PostgreSQL look-ups by many keys were planned from statistics taken while the tables were
 * small, and read them whole. Both grew with the database, not with the batch.
 */
import { intra42Receiver } from '../src/features/ingest/receive.js';
import { postgresCpuMs } from './cpu.js';
import { freshDatabase, openIngestContext, perSecond, receiveCreatesInWaves } from './support.js';

const ROUNDS = 6;
const PER_ROUND = 3000;
const WAVE = 100;

async function measure(engine: 'sqlite' | 'postgres') {
  const database = await freshDatabase(engine);
  const { config, ctx } = await openIngestContext(database.url);
  const rows: Array<Record<string, string | number>> = [];
  try {
    const receive = intra42Receiver({ db: ctx.database.db, config, channel: 'webhook' });
    // Not counted: the JIT's first compilations would make the first round look slower.
    await receiveCreatesInWaves(receive, { prefix: 'warm', first: 500_000, events: 500, wave: WAVE });
    for (let round = 0; round < ROUNDS; round++) {
      const pg0 = postgresCpuMs();
      const cpu0 = process.cpuUsage();
      const started = performance.now();
      await receiveCreatesInWaves(receive, {
        prefix: `g${round}`,
        first: 1_000_000 + round * 100_000,
        events: PER_ROUND,
        wave: WAVE,
      });
      const ms = performance.now() - started;
      const cpu = process.cpuUsage(cpu0);
      rows.push({
        engine,
        'creates before': round * PER_ROUND,
        'creates/s': perSecond(PER_ROUND, ms),
        'node ms/create': Number(((cpu.user + cpu.system) / 1000 / PER_ROUND).toFixed(3)),
        ...(engine === 'postgres' && {
          'postgres ms/create': Number(((postgresCpuMs() - pg0) / PER_ROUND).toFixed(3)),
        }),
      });
    }
  } finally {
    await ctx.database.close();
    await database.drop();
  }
  const first = rows[0] as Record<string, number>;
  const last = rows.at(-1) as Record<string, number>;
  const ratio: Record<string, string | number> = { engine, 'creates before': 'last ÷ first' };
  for (const key of ['creates/s', 'node ms/create', 'postgres ms/create']) {
    if (key in first) ratio[key] = Number(((last[key] as number) / (first[key] as number)).toFixed(2));
  }
  return [...rows, ratio];
}

const results = await measure('sqlite');
if (process.env.CONVENE_BENCH_POSTGRES_URL) results.push(...(await measure('postgres')));
else console.log('CONVENE_BENCH_POSTGRES_URL is not set: PostgreSQL not measured.');
console.log(`${ROUNDS} rounds of ${PER_ROUND} creates in waves of ${WAVE}, one database per engine:`);
console.table(results);
