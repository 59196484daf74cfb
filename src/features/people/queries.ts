import { whereKeyIn } from '../../db/bulkInsert.js';
import type { Executor } from '../../db/database.js';
import { normaliseEmail, normaliseUsername } from './email.js';
import type { PersonRow } from './presenters.js';

/** SQLite limits how many parameters one statement may bind: lookups by many keys go in chunks. */
export const CHUNK = 500;

export function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export const findPersonById = (db: Executor, id: string): Promise<PersonRow | undefined> =>
  db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirst();

export const findPersonByEmail = (db: Executor, email: string): Promise<PersonRow | undefined> =>
  db.selectFrom('people').selectAll().where('email', '=', normaliseEmail(email)).executeTakeFirst();

export const findPersonByUsername = (db: Executor, username: string): Promise<PersonRow | undefined> =>
  db.selectFrom('people').selectAll().where('username', '=', normaliseUsername(username)).executeTakeFirst();

/** Sign-in accepts an e-mail address or a username (the first admin has no e-mail). */
export const findPersonByLogin = (db: Executor, login: string): Promise<PersonRow | undefined> =>
  login.includes('@') ? findPersonByEmail(db, login) : findPersonByUsername(db, login);

/** The person known to `source` (the directory, Slack, the 42 intranet…) by `externalId`. */
export const findPersonByExternalId = (
  db: Executor,
  source: string,
  externalId: string,
): Promise<PersonRow | undefined> =>
  db
    .selectFrom('external_ids')
    .innerJoin('people', 'people.id', 'external_ids.person_id')
    .selectAll('people')
    .where('external_ids.source', '=', source)
    .where('external_ids.external_id', '=', externalId)
    .executeTakeFirst();

/**
 * Which of these e-mails and usernames someone here has already, as `e:<email>` and `u:<username>`
 * (normalised here): one statement for both, reading only the two columns.
 */
export async function takenEmailsAndUsernames(
  db: Executor,
  emails: readonly string[],
  usernames: readonly string[],
): Promise<Set<string>> {
  const byEmail = chunks([...new Set(emails.map(normaliseEmail))]);
  const byUsername = chunks([...new Set(usernames.map(normaliseUsername))]);
  const taken = new Set<string>();
  for (let i = 0; i < Math.max(byEmail.length, byUsername.length); i++) {
    const e = byEmail[i] ?? [];
    const u = byUsername[i] ?? [];
    const by = (column: 'email' | 'username', keys: string[]) =>
      whereKeyIn(db, db.selectFrom('people').select(['email', 'username']), column, keys);
    const rows = await (e.length && u.length
      ? by('email', e).unionAll(by('username', u))
      : e.length
        ? by('email', e)
        : by('username', u)
    ).execute();
    for (const row of rows) {
      if (row.email) taken.add(`e:${row.email}`);
      if (row.username) taken.add(`u:${row.username}`);
    }
  }
  return taken;
}

/** Several people at once by id, username or e-mail (given in any case: they are normalised here). */
export async function findPeopleBy(
  db: Executor,
  column: 'id' | 'username' | 'email',
  values: readonly string[],
): Promise<PersonRow[]> {
  const normalise = column === 'email' ? normaliseEmail : column === 'username' ? normaliseUsername : String;
  const people: PersonRow[] = [];
  for (const chunk of chunks([...new Set(values.map(normalise))])) {
    people.push(...(await whereKeyIn(db, db.selectFrom('people').selectAll(), column, chunk).execute()));
  }
  return people;
}

/** external id → person id, for the given ids of one source. */
export async function personIdsByExternalId(
  db: Executor,
  source: string,
  externalIds: readonly string[],
): Promise<Map<string, string>> {
  const links = new Map<string, string>();
  for (const chunk of chunks(externalIds)) {
    const rows = await whereKeyIn(
      db,
      db.selectFrom('external_ids').select(['external_id', 'person_id']).where('source', '=', source),
      'external_id',
      chunk,
    ).execute();
    for (const row of rows) links.set(row.external_id, row.person_id);
  }
  return links;
}

/** person id → their id in `source`, for the given people. */
export async function externalIdsOfPeople(
  db: Executor,
  source: string,
  personIds: readonly string[],
): Promise<Map<string, string>> {
  const links = new Map<string, string>();
  for (const chunk of chunks(personIds)) {
    const rows = await db
      .selectFrom('external_ids')
      .select(['external_id', 'person_id'])
      .where('source', '=', source)
      .where('person_id', 'in', chunk)
      .execute();
    for (const row of rows) links.set(row.person_id, row.external_id);
  }
  return links;
}

/** Every enabled person `source` knows, with their id there. */
export function enabledPeopleOfSource(
  db: Executor,
  source: string,
): Promise<Array<{ person_id: string; external_id: string; role: string }>> {
  return db
    .selectFrom('external_ids')
    .innerJoin('people', 'people.id', 'external_ids.person_id')
    .select(['external_ids.person_id', 'external_ids.external_id', 'people.role'])
    .where('external_ids.source', '=', source)
    .where('people.enabled', '=', 1)
    .execute();
}

export async function countAdmins(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('people')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('role', '=', 'admin')
    .where('enabled', '=', 1)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Whether any administrator account exists, enabled or not (the first start creates one). */
export async function anyAdmin(db: Executor): Promise<boolean> {
  return !!(await db.selectFrom('people').select('id').where('role', '=', 'admin').executeTakeFirst());
}
