import type { Db } from '../../db/database.js';
import { ensurePerson } from '../people/ensurePerson.js';

export const INTRA42_SOURCE = 'intra42';

/**
 * The person a 42 login names, through the people service: by their intra42 id, then by e-mail,
 * then by username (the login); else created with the e-mail the caller found (the 42 API's, or
 * login@emailDomain) and the login as username, and linked to their intra42 id.
 */
export async function ensureIntra42Person(db: Db, props: { login: string; email: string }): Promise<string> {
  const { person } = await db.transaction().execute((trx) =>
    ensurePerson(trx, {
      source: INTRA42_SOURCE,
      externalId: props.login,
      email: props.email,
      username: props.login,
      name: props.login,
      timezone: 'UTC',
    }),
  );
  return person.id;
}
