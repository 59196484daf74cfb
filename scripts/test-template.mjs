// A migrated PostgreSQL database made once per test run, which the test files copy
// (`CREATE DATABASE … TEMPLATE`) instead of migrating each of their databases: migrating costs about
// 3 s of wall time a database, a copy a fraction of it, and a run makes about a hundred of them.
// test/helpers/databases.ts uses it when CONVENE_TEST_POSTGRES_TEMPLATE names it, and only where a
// test asks for a migrated database (the migration tests still start from an empty one).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';

async function withAdmin(adminUrl, work) {
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/**
 * Creates a database and brings it up to date with `convene migrate` from the build (the command
 * users run), then returns its name; or undefined, with the reason on stderr, when that fails (the
 * tests then migrate their own databases, as without a template).
 */
export async function makePostgresTemplate(root, adminUrl) {
  const name = `convene_template_${randomBytes(5).toString('hex')}`;
  try {
    await withAdmin(adminUrl, (admin) => admin.query(`CREATE DATABASE ${name}`));
  } catch (error) {
    process.stderr.write(`# no PostgreSQL template (${error.message}): each test database migrates itself\n`);
    return undefined;
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const migrate = spawnSync(process.execPath, [join(root, 'bin', 'convene.js'), 'migrate'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url.toString(), LOG_LEVEL: 'warn' },
    encoding: 'utf8',
  });
  if (migrate.status !== 0) {
    process.stderr.write(`# migrating the PostgreSQL template failed:\n${migrate.stdout}${migrate.stderr}`);
    await dropPostgresTemplate(adminUrl, name);
    return undefined;
  }
  return name;
}

export async function dropPostgresTemplate(adminUrl, name) {
  if (!name) return;
  await withAdmin(adminUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).catch(
    () => undefined,
  );
}
