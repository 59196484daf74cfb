/** What the process benchmarks share: a fresh database per measurement, the built CLI started as deployed. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Db } from '../src/db/database.js';
import { newId } from '../src/lib/ids.js';

const here = dirname(fileURLToPath(import.meta.url));

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
    .slice(0, 10)
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
 * The built CLI (`bin/convene.js`, as deployed; the bench scripts build it first) running `command`,
 * resolved once its output says `ready`. CONVENE_BENCH_PROFILE=DIR writes each process's CPU profile there.
 */
export function startCli(command: string, env: Record<string, string>, ready: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      ...(process.env.CONVENE_BENCH_PROFILE
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.CONVENE_BENCH_PROFILE}`]
        : []),
      join(here, '..', 'bin', 'convene.js'),
      command,
    ],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let text = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`convene ${command} did not start:\n${text}`)), 60_000);
    const look = (chunk: Buffer) => {
      text += chunk;
      if (text.includes(ready)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`convene ${command} exited with ${code}:\n${text}`));
    });
  });
}
