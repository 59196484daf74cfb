import type { Db } from '../../db/database.js';
import { isUniqueViolation } from '../../db/errors.js';
import { newId } from '../../lib/ids.js';
import { freeUsername } from '../people/queries.js';

export const INTRA42_SOURCE = 'intra42';

/**
 * The person a 42 login names: by external id (source intra42), then by e-mail, then by username;
 * else created, with the e-mail the caller found (the 42 API's, or login@emailDomain), and the
 * login remembered as their intra42 id.
 *
 * TODO(people service): this moves to the people service's ensurePerson once it lands; it is the
 * only place ingestion finds or creates people, so the swap is here alone.
 */
export async function ensureIntra42Person(db: Db, props: { login: string; email: string }): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(async (trx) => {
        const byId = await trx
          .selectFrom('external_ids')
          .select('person_id')
          .where('source', '=', INTRA42_SOURCE)
          .where('external_id', '=', props.login)
          .executeTakeFirst();
        if (byId) return byId.person_id;
        const email = props.email.toLowerCase();
        const known =
          (await trx
            .selectFrom('people')
            .select('id')
            .where((eb) => eb(eb.fn('lower', ['email']), '=', email))
            .executeTakeFirst()) ??
          (await trx.selectFrom('people').select('id').where('username', '=', props.login).executeTakeFirst());
        let personId = known?.id;
        if (!personId) {
          personId = newId();
          const now = new Date().toISOString();
          await trx
            .insertInto('people')
            .values({
              id: personId,
              username: await freeUsername(trx, props.login),
              email,
              name: props.login,
              first_name: null,
              last_name: null,
              title: null,
              team: null,
              manager_id: null,
              is_manager: 0,
              avatar_url: null,
              timezone: 'UTC',
              enabled: 1,
              role: 'member',
              verified: 0,
              password_hash: null,
              signup_ip: null,
              created_at: now,
              updated_at: now,
              last_signin_at: null,
            })
            .execute();
        }
        await trx
          .insertInto('external_ids')
          .values({ person_id: personId, source: INTRA42_SOURCE, external_id: props.login })
          .execute();
        return personId;
      });
    } catch (error) {
      // Another delivery made the same person meanwhile: the next look finds them.
      if (attempt < 3 && isUniqueViolation(error)) continue;
      throw error;
    }
  }
}
