/** What the process benchmarks share: a fresh database per measurement, the built CLI started as deployed. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openContext } from '../src/app.js';
import { type Config, loadConfig } from '../src/config.js';
import type { Db } from '../src/db/database.js';
import type { Intra42Receiver } from '../src/features/ingest/receive.js';
import type { AppContext } from '../src/http/context.js';
import { newId } from '../src/lib/ids.js';
import { BENCH_SECRET, BENCH_WEBHOOKS, scaleTeamCreate, threeHoursAhead } from './scaleTeams.js';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * An ingesting server's context on `databaseUrl`, opened as `convene serve` opens it (SQLite
 * checkpoints on their own thread, not inside a commit); e-mail goes nowhere.
 */
export async function openIngestContext(databaseUrl: string): Promise<{ config: Config; ctx: AppContext }> {
  const config = loadConfig({
    env: { LOG_LEVEL: 'silent' },
    cwd: '/nonexistent-convene-config-dir',
    overrides: {
      databaseUrl,
      'intra42.webhooks': BENCH_WEBHOOKS,
      'notifications.email.smtpUrl': 'smtp://127.0.0.1:9',
    },
  });
  return { config, ctx: await openContext(config, { longRunning: true }) };
}

/**
 * Scale team creates with distinct ids from `first`, handed to `receive` `wave` at a time (as that many
 * webhook requests in flight would be); each 3 hours ahead, with an evaluator and a team of two.
 */
export async function receiveCreatesInWaves(
  receive: Intra42Receiver,
  options: { prefix: string; first: number; events: number; wave: number },
): Promise<void> {
  const later = threeHoursAhead();
  const headers = (id: number) => ({
    'x-model': 'scale_team',
    'x-event': 'create',
    'x-secret': BENCH_SECRET,
    'x-delivery': `${options.prefix}-${id}`,
  });
  const body = (id: number) => Buffer.from(scaleTeamCreate(id, later));
  const { first, events, wave } = options;
  for (let i = 0; i < events; i += wave) {
    const ids = Array.from({ length: Math.min(wave, events - i) }, (_, k) => first + i + k);
    const receipts = await Promise.all(ids.map((id) => receive(headers(id), body(id))));
    const bad = receipts.find((r) => r.outcome !== 'ok');
    if (bad) throw new Error(`${bad.status} ${bad.message}`);
  }
}

export const perSecond = (events: number, ms: number) => Math.round((events / ms) * 1000);

/** The bare insert loop's one row (an inbound delivery), committed on its own: the baseline of the ingest benches. */
export async function bareInsert(db: Db, i: number): Promise<void> {
  await db
    .insertInto('deliveries')
    .values({
      id: newId(),
      source: 'bench',
      delivery_id: `b-${i}`,
      received_at: new Date().toISOString(),
      outcome: 'ok',
      status_code: 200,
      error: null,
      summary: null,
      meeting_id: null,
      lease_until: null,
      dead_lettered_at: null,
    })
    .execute();
}

/**
 * An empty database: a SQLite file in a temporary directory, or (PostgreSQL, when
 * CONVENE_BENCH_POSTGRES_URL is set) a database of its own on that server. `drop` removes it.
 */
export async function freshDatabase(
  engine: 'sqlite' | 'postgres' = process.env.CONVENE_BENCH_POSTGRES_URL ? 'postgres' : 'sqlite',
): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = process.env.CONVENE_BENCH_POSTGRES_URL;
  if (engine === 'sqlite' || !admin) {
    const dir = mkdtempSync(join(tmpdir(), 'convene-bench-'));
    return {
      url: `sqlite:${join(dir, 'convene.db')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `convene_bench_${newId()
    .replace(/[^a-z0-9]/gi, '')
    .slice(-10)
    .toLowerCase()}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * The built CLI (`bin/convene.js`, as deployed; the bench scripts build it first) running `command`
 * (with its arguments), resolved once its output says `ready`, with what it printed until then.
 * CONVENE_BENCH_PROFILE=DIR writes each process's CPU profile there.
 */
export function startCli(
  command: string | string[],
  env: Record<string, string>,
  ready: string,
): Promise<ChildProcess & { printed: string }> {
  const args = typeof command === 'string' ? [command] : command;
  const child = spawn(
    process.execPath,
    [
      ...(process.env.CONVENE_BENCH_PROFILE
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.CONVENE_BENCH_PROFILE}`]
        : []),
      join(here, '..', 'bin', 'convene.js'),
      ...args,
    ],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let text = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`convene ${args.join(' ')} did not start:\n${text}`)), 60_000);
    const look = (chunk: Buffer) => {
      text += chunk;
      if (text.includes(ready)) {
        clearTimeout(timer);
        resolve(Object.assign(child, { printed: text }));
      }
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`convene ${args.join(' ')} exited with ${code}:\n${text}`));
    });
  });
}
