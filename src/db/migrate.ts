import { type MigrationResultSet, Migrator } from 'kysely';
import type { Db } from './database.js';
import { isBusy } from './errors.js';
import { migrations } from './migrations/index.js';

/** How often a run refused by another process's run is tried again, and how long it waits first. */
const BUSY_ATTEMPTS = 20;
const BUSY_WAIT_MS = 100;

/**
 * Brings the schema up to date: all pending migrations in one transaction (see database.ts).
 * Processes starting together on a new SQLite file (`serve` beside `worker`) race to migrate; SQLite
 * refuses the loser at once rather than queueing it, so it waits, looks again and finds the work done.
 */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  for (let attempt = 1; ; attempt++) {
    const { error, results }: MigrationResultSet = await migrator.migrateToLatest();
    if (error && isBusy(error) && attempt < BUSY_ATTEMPTS) {
      await new Promise((resolve) => setTimeout(resolve, BUSY_WAIT_MS));
      continue;
    }
    if (error) {
      const failed = results?.find((result) => result.status === 'Error');
      throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message ?? error}`);
    }
    return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
  }
}
