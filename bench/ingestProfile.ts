/**
 * Where the PostgreSQL server's CPU goes when the 42 receiver ingests creates
 * (`CONVENE_BENCH_POSTGRES_URL=… npx tsx bench/ingestProfile.ts`): the receiver runs on one
 * connection, and each statement's backend CPU is read from /proc/<backend pid>/schedstat
 * (nanoseconds on CPU) before and after it, so it is CPU, not wall time, and other processes on
 * the machine do not count. Statements are grouped by their first words; per create.
 *
 * Not counted: PostgreSQL's background processes (WAL writer, checkpointer), and the backend's
 * work between statements (none in a transaction). CONVENE_BENCH_INGEST_EVENTS (default 1000),
 * CONVENE_BENCH_WAVE (default 32).
 */
import { readFileSync } from 'node:fs';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { DB } from '../src/db/schema.js';
import { intra42Receiver } from '../src/features/ingest/receive.js';
import { freshDatabase, openIngestContext, receiveCreatesInWaves } from './support.js';

const EVENTS = Number(process.env.CONVENE_BENCH_INGEST_EVENTS ?? 1000);
const WAVE = Number(process.env.CONVENE_BENCH_WAVE ?? 32);

if (!process.env.CONVENE_BENCH_POSTGRES_URL) {
  console.log('CONVENE_BENCH_POSTGRES_URL is not set: nothing to profile.');
  process.exit(0);
}

const onCpuNs = (pid: number) => Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);

/** The statement's kind: its verb and table, e.g. `insert into "notifications"`, `select … from "meetings"`. */
function label(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  const verb = t.split(' ')[0]?.toLowerCase() ?? '';
  const table = /(?:into|from|update) ("?[a-z_]+"?)/i.exec(t)?.[1] ?? '';
  return `${verb} ${table}`.trim();
}

const byLabel = new Map<string, { count: number; ns: number }>();
let counting = false;

const database = await freshDatabase('postgres');
const { config, ctx } = await openIngestContext(database.url);
await ctx.database.close();
const pool = new pg.Pool({ connectionString: database.url, max: 1 });
pool.on('connect', (client) => {
  const pid = (client as unknown as { processID: number }).processID;
  const original = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
  (client as unknown as { query: unknown }).query = async (...args: unknown[]) => {
    const first = args[0];
    const text = typeof first === 'string' ? first : ((first as { text?: string }).text ?? '');
    const before = onCpuNs(pid);
    try {
      return await original(...args);
    } finally {
      if (counting) {
        const entry = byLabel.get(label(text)) ?? { count: 0, ns: 0 };
        entry.count++;
        entry.ns += onCpuNs(pid) - before;
        byLabel.set(label(text), entry);
      }
    }
  };
});
const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
try {
  await db.selectFrom('deliveries').select('id').limit(1).execute();
  const receive = intra42Receiver({ db, config, channel: 'webhook' });
  const run = (first: number, events: number) =>
    receiveCreatesInWaves(receive, { prefix: 'p', first, events, wave: WAVE });
  await run(500_000, 4 * WAVE); // warm-up: the JIT, the backend's caches
  counting = true;
  const cpu0 = process.cpuUsage();
  await run(1_000_000, EVENTS);
  const cpu = process.cpuUsage(cpu0);
  counting = false;
  const rows = [...byLabel]
    .sort((a, b) => b[1].ns - a[1].ns)
    .map(([what, { count, ns }]) => ({
      statement: what,
      'per create': Number((count / EVENTS).toFixed(3)),
      'server µs/create': Math.round(ns / 1000 / EVENTS),
      'server µs/statement': Math.round(ns / 1000 / count),
    }));
  const totalNs = [...byLabel.values()].reduce((sum, e) => sum + e.ns, 0);
  console.log(`${EVENTS} creates in waves of ${WAVE}, one connection; server CPU per statement kind:`);
  console.table(rows);
  console.log(
    `server total ${(totalNs / 1e6 / EVENTS).toFixed(3)} ms/create; node ${((cpu.user + cpu.system) / 1000 / EVENTS).toFixed(3)} ms/create (user ${(cpu.user / 1000 / EVENTS).toFixed(3)}, system ${(cpu.system / 1000 / EVENTS).toFixed(3)})`,
  );
} finally {
  await db.destroy();
  await database.drop();
}
