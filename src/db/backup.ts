import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { AppError, badRequest } from '../lib/errors.js';
import { type Engine, sqlitePath } from './database.js';
import { migrations } from './migrations/index.js';
import { lockForRestore, lockForRestorePostgres } from './processLock.js';

/**
 * Online, verified copies of the database and their restore.
 *
 * SQLite: `VACUUM INTO` a file beside the target, from a read transaction of its own, so the copy is
 * one consistent moment even while the server writes (WAL lets both go on); then
 * `PRAGMA integrity_check` on the copy, and only a copy that passes gets its final name.
 * PostgreSQL: `pg_dump --format=custom`, checked by reading its table of contents back.
 * Either way the copy's schema version (the migrations it has) is read back, and a restore refuses a
 * copy made by a newer Convene, a file that is not a copy, and a database a running process has open.
 */

export interface BackupResult {
  path: string;
  bytes: number;
  engine: Engine;
  /** The last migration the copy has. */
  schema: string;
}

const knownMigrations = new Set(Object.keys(migrations));
const SQLITE_HEADER = 'SQLite format 3\0';

export const backupExtension = (engine: Engine) => (engine === 'sqlite' ? '.db' : '.dump');

/** convene-20261204T071500Z.db: sorts by time, names the moment in UTC. */
export function backupFileName(engine: Engine, now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/[-:]/g, '');
  return `convene-${stamp}${backupExtension(engine)}`;
}

const engineOf = (url: string): Engine => (url.startsWith('sqlite:') ? 'sqlite' : 'postgres');

export async function backupDatabase(props: { databaseUrl: string; out: string }): Promise<BackupResult> {
  const out = resolve(props.out);
  if (existsSync(out)) throw badRequest(`${out} already exists: choose a new file name (or --to a folder).`, 'out');
  mkdirSync(dirname(out), { recursive: true });
  const partial = join(dirname(out), `.${basename(out)}.partial-${randomBytes(4).toString('hex')}`);
  try {
    const engine = engineOf(props.databaseUrl);
    const schema =
      engine === 'sqlite'
        ? backupSqlite(sqlitePath(props.databaseUrl), partial)
        : await backupPostgres(props.databaseUrl, partial);
    renameSync(partial, out);
    return { path: out, bytes: statSync(out).size, engine, schema };
  } finally {
    rmSync(partial, { force: true });
  }
}

function backupSqlite(path: string, partial: string): string {
  if (path === ':memory:') throw badRequest('An in-memory database cannot be backed up.', 'databaseUrl');
  if (!existsSync(path)) throw badRequest(`There is no database at ${path}.`, 'databaseUrl');
  const source = new SQLite(path, { fileMustExist: true });
  try {
    source.pragma('busy_timeout = 10000');
    source.prepare('VACUUM INTO ?').run(partial);
  } finally {
    source.close();
  }
  return inspectSqlite(partial);
}

/** Checks a SQLite copy whole and returns its last migration; an AppError says what is wrong. */
export function inspectSqlite(file: string): string {
  if (!hasSqliteHeader(file)) throw badRequest(`${file} is not a SQLite database (nor a Convene backup).`, 'file');
  let copy: SQLite.Database;
  try {
    copy = new SQLite(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw badRequest(`${file} cannot be opened as a SQLite database: ${(error as Error).message}`, 'file');
  }
  try {
    let problems: string[];
    try {
      problems = (copy.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check);
    } catch (error) {
      throw badRequest(`${file} is damaged: ${(error as Error).message}`, 'file');
    }
    if (problems.join() !== 'ok')
      throw badRequest(`${file} failed its integrity check: ${problems.slice(0, 3).join('; ')}`, 'file');
    const table = copy
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'kysely_migration'")
      .get();
    if (!table) throw badRequest(`${file} is a SQLite database but not a Convene one (no migrations table).`, 'file');
    const names = (
      copy.prepare('SELECT name FROM kysely_migration ORDER BY name').all() as Array<{ name: string }>
    ).map((row) => row.name);
    return checkSchema(file, names);
  } finally {
    copy.close();
  }
}

function hasSqliteHeader(file: string): boolean {
  try {
    const fd = openSync(file, 'r');
    try {
      const header = Buffer.alloc(16);
      return readSync(fd, header, 0, 16, 0) === 16 && header.toString('latin1') === SQLITE_HEADER;
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw badRequest(`${file} cannot be read: ${(error as Error).message}`, 'file');
  }
}

function checkSchema(file: string, names: string[]): string {
  if (!names.length) throw badRequest(`${file} holds no migrations: it is not a Convene database.`, 'file');
  const unknown = names.filter((name) => !knownMigrations.has(name));
  if (unknown.length)
    throw badRequest(
      `${file} was made by a newer Convene (its schema has ${unknown.join(', ')}): upgrade Convene, then restore.`,
      'file',
    );
  return names[names.length - 1] as string;
}

/** Runs a PostgreSQL client program; a missing program is a clear message, not a stack trace. */
function run(
  program: string,
  args: string[],
  options: { input?: NodeJS.ReadableStream } = {},
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(program, args, { stdio: [options.input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk) => (stdout += chunk));
    child.stderr?.on('data', (chunk) => (stderr += chunk));
    if (options.input && child.stdin) options.input.pipe(child.stdin);
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new AppError(
              'bad_request',
              `${program} is not installed (or not on PATH): PostgreSQL backups use the PostgreSQL client tools (Debian: apt-get install postgresql-client, of the server's major version or newer).`,
            )
          : error,
      ),
    );
    child.on('close', (code) =>
      code === 0
        ? resolvePromise({ stdout, stderr })
        : reject(new AppError('bad_request', `${program} failed (exit ${code}): ${stderr.trim().slice(0, 2000)}`)),
    );
  });
}

async function backupPostgres(url: string, partial: string): Promise<string> {
  await run('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${partial}`, `--dbname=${url}`]);
  return inspectDump(partial);
}

/** Reads a pg_dump archive's table of contents and its migrations table back. */
async function inspectDump(file: string): Promise<string> {
  if (!existsSync(file)) throw badRequest(`${file} does not exist.`, 'file');
  const header = Buffer.alloc(5);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, header, 0, 5, 0);
  } finally {
    closeSync(fd);
  }
  if (header.toString('latin1') !== 'PGDMP')
    throw badRequest(`${file} is not a PostgreSQL custom-format dump (nor a Convene backup).`, 'file');
  await run('pg_restore', ['--list', file]).catch((error: Error) => {
    throw badRequest(`${file} is damaged: ${error.message}`, 'file');
  });
  const { stdout } = await run('pg_restore', ['--data-only', '--table=kysely_migration', '--file=-', file]);
  const copy = /^COPY [^\n]*kysely_migration[^\n]*FROM stdin;\n([\s\S]*?)^\\\.$/m.exec(stdout);
  const names = (copy?.[1] ?? '')
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\t')[0] as string)
    .sort();
  return checkSchema(file, names);
}

/** Backups of this engine in `dir`, oldest first. */
export function listBackups(dir: string, engine: Engine): string[] {
  if (!existsSync(dir)) return [];
  const ext = backupExtension(engine);
  return readdirSync(dir)
    .filter((name) => /^convene-\d{8}T\d{6}Z/.test(name) && name.endsWith(ext))
    .sort()
    .map((name) => join(dir, name));
}

/** Keeps the newest `keep` backups in `dir`; returns the files removed. */
export function pruneBackups(dir: string, engine: Engine, keep: number): string[] {
  const all = listBackups(dir, engine);
  const removed = all.slice(0, Math.max(0, all.length - keep));
  for (const file of removed) rmSync(file, { force: true });
  return removed;
}

/** `convene backup --to DIR --keep N`: a timestamped, verified copy, then the oldest beyond N removed. */
export async function backupToFolder(props: {
  databaseUrl: string;
  dir: string;
  keep?: number;
  now?: Date;
}): Promise<BackupResult & { removed: string[] }> {
  const engine = engineOf(props.databaseUrl);
  const result = await backupDatabase({
    databaseUrl: props.databaseUrl,
    out: join(resolve(props.dir), backupFileName(engine, props.now)),
  });
  const removed = props.keep ? pruneBackups(resolve(props.dir), engine, props.keep) : [];
  return { ...result, removed };
}

/**
 * Replaces the database with a backup's content, whole or not at all. The file is checked first
 * (a database or dump, intact, of a schema this Convene knows), then the database is locked against
 * every server and worker for the time of the copy. The next start migrates an older copy forward.
 */
export async function restoreDatabase(props: { databaseUrl: string; file: string }): Promise<{ schema: string }> {
  const file = resolve(props.file);
  if (!existsSync(file) || !statSync(file).isFile()) throw badRequest(`${file} does not exist.`, 'file');
  if (engineOf(props.databaseUrl) === 'sqlite') {
    const target = sqlitePath(props.databaseUrl);
    if (target === file) throw badRequest('The backup is the database itself.', 'file');
    const schema = inspectSqlite(file);
    const lock = lockForRestore(target);
    try {
      mkdirSync(dirname(target), { recursive: true });
      // SQLite's backup API writes through a connection to the target, so its write-ahead log and
      // readers stay consistent; a plain file copy over a WAL database would not.
      const source = new SQLite(file, { readonly: true, fileMustExist: true });
      try {
        await source.backup(target);
      } finally {
        source.close();
      }
    } finally {
      lock.release();
    }
    return { schema };
  }
  const schema = await inspectDump(file);
  const lock = await lockForRestorePostgres(props.databaseUrl);
  try {
    await restorePostgres(props.databaseUrl, file);
  } finally {
    await lock.release();
  }
  return { schema };
}

/**
 * The dump as SQL (pg_restore) run by psql in one transaction after emptying the schema: a failure
 * anywhere leaves the database as it was.
 */
async function restorePostgres(url: string, file: string): Promise<void> {
  const script = spawn('pg_restore', ['--no-owner', '--no-privileges', '--file=-', file], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { PassThrough } = await import('node:stream');
  const input = new PassThrough();
  input.write('DROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n');
  script.stdout.pipe(input);
  const produced = new Promise<void>((resolvePromise, reject) => {
    script.on('error', reject);
    script.on('close', (code) => (code === 0 ? resolvePromise() : reject(new Error(`pg_restore exit ${code}`))));
  });
  await Promise.all([
    run('psql', ['--no-psqlrc', '--quiet', '--single-transaction', '--set=ON_ERROR_STOP=1', `--dbname=${url}`], {
      input,
    }),
    produced,
  ]);
}
