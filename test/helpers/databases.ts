import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface TestDatabase {
  engine: 'sqlite' | 'postgres';
  url: string;
  drop(): Promise<void>;
}

export interface EngineUnderTest {
  engine: 'sqlite' | 'postgres';
  /**
   * A fresh, empty database. `migrated: true` says the test would migrate it first anyway (it starts
   * an app, a server or a command on it): on PostgreSQL it is then copied from the run's migrated
   * template when there is one (scripts/test-template.mjs), which saves the migration's seconds.
   */
  create(options?: { migrated?: boolean }): Promise<TestDatabase>;
}

const postgresUrl = process.env.CONVENE_TEST_POSTGRES_URL;

/**
 * The engines every integration test runs on: SQLite always, PostgreSQL when
 * CONVENE_TEST_POSTGRES_URL is set. Under CI a missing URL is an error, not a silent skip.
 */
export function enginesUnderTest(): EngineUnderTest[] {
  if (process.env.CI === 'true' && !postgresUrl) {
    throw new Error('CI=true but CONVENE_TEST_POSTGRES_URL is not set: the PostgreSQL tests must run in CI.');
  }
  const engines: EngineUnderTest[] = [{ engine: 'sqlite', create: createSqlite }];
  if (postgresUrl)
    engines.push({ engine: 'postgres', create: (options) => createPostgres(postgresUrl, options?.migrated ?? false) });
  // The runner runs a long file as one process per engine (scripts/test-files.mjs): this one's.
  const only = process.env.CONVENE_TEST_ENGINE;
  if (!only) return engines;
  const chosen = engines.filter((engine) => engine.engine === only);
  if (chosen.length === 0) throw new Error(`CONVENE_TEST_ENGINE=${only} names no engine under test`);
  return chosen;
}

async function createSqlite(): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'convene-test-'));
  return {
    engine: 'sqlite',
    url: `sqlite:${join(dir, 'convene.db')}`,
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

const template = process.env.CONVENE_TEST_POSTGRES_TEMPLATE;

/** A fresh database per test file, so files never see each other's rows. */
async function createPostgres(adminUrl: string, migrated: boolean): Promise<TestDatabase> {
  const name = `convene_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`PostgreSQL at CONVENE_TEST_POSTGRES_URL is unreachable: ${(error as Error).message}`);
  }
  await admin.query(`CREATE DATABASE ${name}${migrated && template ? ` TEMPLATE ${template}` : ''}`);
  // Commits wait for the disk otherwise (~8 ms each here): a test database outlives no crash of the
  // server, and nothing a test can see changes (transactions and their isolation are the same).
  await admin.query(`ALTER DATABASE ${name} SET synchronous_commit = off`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    engine: 'postgres',
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
