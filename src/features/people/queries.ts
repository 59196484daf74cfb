import type { Executor } from '../../db/database.js';
import type { PersonRow } from './presenters.js';

export const findPersonById = (db: Executor, id: string): Promise<PersonRow | undefined> =>
  db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirst();

export const findPersonByEmail = (db: Executor, email: string): Promise<PersonRow | undefined> =>
  db.selectFrom('people').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();

export const findPersonByUsername = (db: Executor, username: string): Promise<PersonRow | undefined> =>
  db.selectFrom('people').selectAll().where('username', '=', username.trim().toLowerCase()).executeTakeFirst();

/** Sign-in accepts an e-mail address or a username (the first admin has no e-mail). */
export const findPersonByLogin = (db: Executor, login: string): Promise<PersonRow | undefined> =>
  login.includes('@') ? findPersonByEmail(db, login) : findPersonByUsername(db, login);

export async function countAdmins(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('people')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('role', '=', 'admin')
    .where('enabled', '=', 1)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A readable username derived from an e-mail address, made unique with a number when taken. */
export async function freeUsername(db: Executor, wanted: string): Promise<string> {
  const base =
    wanted
      .toLowerCase()
      .replace(/@.*$/, '')
      .replace(/[^a-z0-9._-]+/g, '')
      .slice(0, 40) || 'user';
  const taken = new Set(
    (await db.selectFrom('people').select('username').where('username', 'like', `${base}%`).execute()).map(
      (row) => row.username,
    ),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}${n}`)) return `${base}${n}`;
}
