import type { FastifyInstance } from 'fastify';
import type { Executor } from '../../src/db/database.js';
import { createSession } from '../../src/features/auth/sessions.js';
import { newId } from '../../src/lib/ids.js';
import { Client } from './server.js';

export interface PersonSeed {
  username: string;
  name?: string;
  team?: string | null;
  title?: string | null;
  isManager?: boolean;
  managerId?: string | null;
  enabled?: boolean;
  email?: string | null;
}

/** A directory-style person straight into the table: fast, for tests that need many people. */
export async function insertPerson(db: Executor, seed: PersonSeed): Promise<string> {
  const id = newId();
  const now = new Date().toISOString();
  await db
    .insertInto('people')
    .values({
      id,
      username: seed.username,
      email: seed.email === undefined ? `${seed.username}@example.org` : seed.email,
      name: seed.name ?? seed.username.replace(/^./, (c) => c.toUpperCase()),
      first_name: null,
      last_name: null,
      title: seed.title ?? null,
      team: seed.team ?? null,
      manager_id: seed.managerId ?? null,
      is_manager: seed.isManager ? 1 : 0,
      avatar_url: null,
      timezone: 'UTC',
      enabled: seed.enabled === false ? 0 : 1,
      role: 'member',
      verified: 1,
      password_hash: null,
      signup_ip: null,
      created_at: now,
      updated_at: now,
      last_signin_at: null,
    })
    .execute();
  return id;
}

/** A signed-in client for a person, without going through the password form. */
export async function clientFor(app: FastifyInstance, db: Executor, personId: string): Promise<Client> {
  const { token } = await createSession(db, { personId, days: 1 });
  const client = new Client(app);
  client.cookies.set('convene_session', token);
  return client.prime();
}
