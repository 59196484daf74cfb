/**
 * Many members straight into the people table, in batches: the benches need hundreds or thousands
 * of people before they measure anything, and creating each through the sign-up use case would take
 * longer than the measurement. Only the database handle is passed in, so a bench that runs the
 * server from dist/ can use it too.
 */
import type { Executor } from '../src/db/database.js';

export interface BenchPerson {
  id: string;
  username: string;
  name: string;
  email: string | null;
}

const BATCH = 100;

export async function insertBenchPeople(db: Executor, people: BenchPerson[]): Promise<void> {
  const now = new Date().toISOString();
  const rows = people.map((person) => ({
    ...person,
    first_name: null,
    last_name: null,
    title: null,
    team: null,
    manager_id: null,
    is_manager: 0 as const,
    avatar_url: null,
    timezone: 'UTC',
    enabled: 1 as const,
    role: 'member' as const,
    verified: 1 as const,
    password_hash: null,
    signup_ip: null,
    created_at: now,
    updated_at: now,
    last_signin_at: null,
  }));
  for (let i = 0; i < rows.length; i += BATCH)
    await db
      .insertInto('people')
      .values(rows.slice(i, i + BATCH))
      .execute();
}
