import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresDialect,
  type PostgresPool,
  type PostgresPoolClient,
  SqliteAdapter,
  type SqliteDatabase,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import { PREPARED_MARK } from './bulkInsert.js';
import { changeStamp, type WatchedChange } from './changeStamp.js';
import { startCheckpointer } from './checkpointer.js';
import type { DB } from './schema.js';

export type Engine = 'sqlite' | 'postgres';
export type Db = Kysely<DB>;
export type Tx = Transaction<DB>;
/** Use cases accept either the database or an open transaction. */
export type Executor = Db | Tx;

export interface Database {
  db: Db;
  engine: Engine;
  close(): Promise<void>;
  /** SQLite only: see changeStamp.ts. PostgreSQL has no cheap equivalent, so its callers do not cache. */
  changeStamp?(changes: WatchedChange[]): () => string;
}

export function sqlitePath(url: string): string {
  const path = url.slice('sqlite:'.length).replace(/^\/\//, '');
  return path === ':memory:' ? path : resolve(path);
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query anew; compiling SQL costs more than running most of ours. A
 * better-sqlite3 statement can be reused once it has finished (calls are synchronous), so keep the
 * recent ones by SQL text. A statement still iterating (a stream) is never handed out twice.
 */
function withStatementCache(connection: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => connection.close(),
    prepare(sqlText: string) {
      const cached = cache.get(sqlText);
      if (cached && !cached.busy) {
        // Refresh its place so the least recently used statement is the one dropped.
        cache.delete(sqlText);
        cache.set(sqlText, cached);
        return cached;
      }
      const statement = connection.prepare(sqlText);
      if (!cached) {
        cache.set(sqlText, statement);
        if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      }
      return statement;
    },
  };
}

/**
 * SQLite runs DDL inside transactions, but Kysely's adapter says it cannot, so its Migrator would
 * run SQLite migrations without one: a process killed part-way through would leave a half-changed
 * schema that no later start could repair. Saying so makes each run of the migrations, with their
 * rows in the migrations table, one transaction, as on PostgreSQL.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/**
 * Transactions take SQLite's write lock when they begin (BEGIN IMMEDIATE), not at their first
 * write. A deferred transaction that has read cannot wait for the lock when another process (a
 * worker beside the server) committed meanwhile: its snapshot is stale, so SQLite answers BUSY at
 * once instead of using the busy timeout, and an API call failed with 500 under that load. Taken at
 * the start, the lock is waited for (busy_timeout) like any other.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ConveneSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createAdapter(): SqliteAdapter {
    return new TransactionalDdlSqliteAdapter();
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

export interface OpenOptions {
  /**
   * SQLite: checkpoint on a thread of their own (see checkpointer.ts). For the long-running
   * processes (server, worker); a short command does not need a thread for it.
   */
  backgroundCheckpoints?: { onError(message: string): void };
}

export function openDatabase(url: string, options: OpenOptions = {}): Database {
  if (url.startsWith('sqlite:')) {
    const path = sqlitePath(url);
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const connection = new SQLite(path);
    connection.pragma('journal_mode = WAL');
    connection.pragma('foreign_keys = ON');
    // Another process (a CLI command beside the server) may hold the write lock for a moment.
    connection.pragma('busy_timeout = 5000');
    connection.pragma('synchronous = NORMAL');
    // A checkpoint runs inside whichever commit crosses the limit and stalls the event loop while it
    // copies and syncs: smaller, more frequent ones (200 pages, not SQLite's 1000) keep each stall
    // short. With a checkpoint thread the limit is only a safety net, should that thread fall behind.
    const checkpointer =
      options.backgroundCheckpoints && path !== ':memory:'
        ? startCheckpointer(path, options.backgroundCheckpoints.onError)
        : null;
    connection.pragma(`wal_autocheckpoint = ${checkpointer ? 4000 : 200}`);
    const db = new Kysely<DB>({ dialect: new ConveneSqliteDialect({ database: withStatementCache(connection) }) });
    const close = async () => {
      await checkpointer?.stop();
      await db.destroy();
    };
    return { db, engine: 'sqlite', close, changeStamp: (changes) => changeStamp(connection, changes) };
  }
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // A dropped idle connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: preparingNamed(pool) }) });
  return { db, engine: 'postgres', close: () => db.destroy() };
}

/** Statement names handed out so far, by SQL text; a bounded number (each marked call site has one text). */
const preparedNames = new Map<string, string>();
const MAX_PREPARED = 200;

/**
 * The pool as Kysely sees it, with statements marked PREPARED_MARK (SQL text that never changes:
 * the bulk inserts) sent as named prepared statements, parsed and planned once per connection
 * instead of at every batch. Other statements go through unnamed, as before.
 */
function preparingNamed(pool: pg.Pool): PostgresPool {
  const wrapped = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const nameOf = (text: string): string | undefined => {
    if (!text.includes(PREPARED_MARK)) return undefined;
    let name = preparedNames.get(text);
    if (!name && preparedNames.size < MAX_PREPARED) {
      name = `convene_${preparedNames.size + 1}`;
      preparedNames.set(text, name);
    }
    return name;
  };
  return {
    async connect() {
      const client = await pool.connect();
      let wrapper = wrapped.get(client);
      if (!wrapper) {
        wrapper = {
          query: ((text: unknown, values?: unknown[]) => {
            const name = typeof text === 'string' ? nameOf(text) : undefined;
            return name ? client.query({ name, text: text as string, values }) : client.query(text as string, values);
          }) as unknown as PostgresPoolClient['query'],
          release: () => client.release(),
        };
        wrapped.set(client, wrapper);
      }
      return wrapper;
    },
    end: () => pool.end(),
  };
}
