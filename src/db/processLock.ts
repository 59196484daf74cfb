import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { sqlitePath } from './database.js';

/**
 * Which processes may use one SQLite file together, held with SQLite's own file locks on two small
 * files beside the database. The operating system drops such a lock when its process ends, however
 * it ends, so a crash never leaves a stale lock behind (a PID file would).
 *
 * - `<db>.serve-lock`: taken EXCLUSIVE by `convene serve`. One web server writes to a SQLite file;
 *   a second `serve` is told who holds it and exits (or waits, with `--lock wait`).
 * - `<db>.open-lock`: taken SHARED by every long-running process (`serve`, `worker`) and
 *   EXCLUSIVE by `convene restore`, which so refuses a database that any of them has open.
 *
 * One-off CLI commands take neither: they work beside a running server, as SQLite allows.
 */
export interface HeldLock {
  release(): void;
}

export class LockBusyError extends Error {
  constructor(
    message: string,
    readonly holderPid: number | null,
  ) {
    super(message);
    this.name = 'LockBusyError';
  }
}

const isBusy = (error: unknown) => (error as { code?: string }).code?.startsWith('SQLITE_BUSY') ?? false;

function tryLock(path: string, mode: 'shared' | 'exclusive'): SQLite.Database | null {
  mkdirSync(dirname(path), { recursive: true });
  const connection = new SQLite(path);
  try {
    connection.pragma('busy_timeout = 0');
    connection.pragma('journal_mode = DELETE');
    if (mode === 'exclusive') connection.exec('BEGIN EXCLUSIVE');
    else {
      // A read transaction holds SHARED until it ends; the table makes the read touch the file.
      connection.exec('CREATE TABLE IF NOT EXISTS lock (id INTEGER PRIMARY KEY)');
      connection.exec('BEGIN');
      connection.prepare('SELECT count(*) FROM lock').get();
    }
    return connection;
  } catch (error) {
    connection.close();
    if (isBusy(error)) return null;
    throw error;
  }
}

const holderFile = (lockPath: string) => `${lockPath}.pid`;

function readHolder(lockPath: string): number | null {
  try {
    const pid = Number(readFileSync(holderFile(lockPath), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * Connections holding a lock. Kept here so that a caller that holds a lock for the life of the
 * process need not keep the object: a connection nobody references would be collected as garbage,
 * closed, and its lock silently dropped.
 */
const holding = new Set<SQLite.Database>();

function held(connection: SQLite.Database, lockPath?: string): HeldLock {
  if (lockPath) writeFileSync(holderFile(lockPath), `${process.pid}\n`);
  holding.add(connection);
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      holding.delete(connection);
      if (lockPath && readHolder(lockPath) === process.pid) rmSync(holderFile(lockPath), { force: true });
      try {
        connection.exec('ROLLBACK');
      } catch {}
      connection.close();
    },
  };
}

export const serveLockPath = (databasePath: string) => `${databasePath}.serve-lock`;
export const openLockPath = (databasePath: string) => `${databasePath}.open-lock`;

export type LockMode = 'quit' | 'wait';

/**
 * `convene serve` on SQLite: the one-writer lock, and the shared "open" lock that keeps a restore
 * away. With mode 'wait' it polls until the other server has gone; otherwise a held lock is a
 * LockBusyError naming the holder. Returns null for PostgreSQL, where many servers share a database.
 */
export async function lockForServe(
  databaseUrl: string,
  options: { mode?: LockMode; pollMs?: number; onWaiting?: (message: string) => void } = {},
): Promise<HeldLock | null> {
  if (!databaseUrl.startsWith('sqlite:')) return null;
  const path = sqlitePath(databaseUrl);
  if (path === ':memory:') return null;
  const lockPath = serveLockPath(path);
  let told = false;
  for (;;) {
    const connection = tryLock(lockPath, 'exclusive');
    if (connection) {
      const serve = held(connection, lockPath);
      try {
        const open = await lockOpen(databaseUrl);
        return {
          release() {
            open?.release();
            serve.release();
          },
        };
      } catch (error) {
        serve.release();
        throw error;
      }
    }
    const pid = readHolder(lockPath);
    const message = `Another \`convene serve\`${pid ? ` (pid ${pid})` : ''} is already using ${path}: one web server writes to a SQLite file.`;
    if (options.mode !== 'wait') {
      throw new LockBusyError(
        `${message}\nStop it first, start this one with --lock wait to take over when it stops, or use \`convene worker\` (or \`serve --no-jobs\` on PostgreSQL) for a second process.`,
        pid,
      );
    }
    if (!told) {
      options.onWaiting?.(`${message} Waiting for it to stop…`);
      told = true;
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 250));
  }
}

/** A long-running process (serve, worker) keeps the database "open": restore refuses it meanwhile. */
export async function lockOpen(databaseUrl: string): Promise<HeldLock | null> {
  if (!databaseUrl.startsWith('sqlite:')) return null;
  const path = sqlitePath(databaseUrl);
  if (path === ':memory:') return null;
  // A restore holds it EXCLUSIVE for a moment: wait that out rather than fail.
  for (let attempt = 0; ; attempt++) {
    const connection = tryLock(openLockPath(path), 'shared');
    if (connection) return held(connection);
    if (attempt >= 600)
      throw new LockBusyError(`${path} is being restored; try again when the restore has finished.`, null);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** `convene restore`: only while no server or worker has the database open. */
export function lockForRestore(databasePath: string): HeldLock {
  const connection = tryLock(openLockPath(databasePath), 'exclusive');
  if (!connection) {
    const pid = readHolder(serveLockPath(databasePath));
    throw new LockBusyError(
      `${databasePath} is in use by a running Convene ${pid ? `server (pid ${pid})` : 'server or worker'}: stop every \`convene serve\` and \`convene worker\` on it, then restore.`,
      pid,
    );
  }
  return held(connection);
}

/** The advisory lock key every Convene process on a PostgreSQL database shares ("convene" in ASCII). */
const PG_LOCK_KEY = 0x636f6e76656e65n;
const holdingClients = new Set<pg.Client>();

export interface HeldAsyncLock {
  release(): Promise<void>;
}

/**
 * PostgreSQL: every long-running process holds a shared advisory lock on a connection of its own;
 * `convene restore` needs it exclusively, so it refuses while a server or worker is connected, and a
 * server starting during a restore waits for it to end.
 */
export async function lockOpenPostgres(databaseUrl: string): Promise<HeldAsyncLock> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  client.on('error', () => {});
  await client.query('SELECT pg_advisory_lock_shared($1)', [PG_LOCK_KEY.toString()]);
  holdingClients.add(client);
  return {
    release: () => {
      holdingClients.delete(client);
      return client.end();
    },
  };
}

export async function lockForRestorePostgres(databaseUrl: string): Promise<HeldAsyncLock> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  client.on('error', () => {});
  const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
    PG_LOCK_KEY.toString(),
  ]);
  if (!rows[0]?.locked) {
    await client.end();
    throw new LockBusyError(
      'The database is in use by a running Convene server or worker: stop every `convene serve` and `convene worker` on it, then restore.',
      null,
    );
  }
  return { release: () => client.end() };
}
