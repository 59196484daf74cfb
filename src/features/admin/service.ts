import type { PersonAction } from '../../contract/admin.js';
import { recordAudit } from '../../db/audit.js';
import type { Db } from '../../db/database.js';
import { badRequest, conflict, notFound } from '../../lib/errors.js';
import { nowIso } from '../../lib/time.js';
import { deleteSessionsOf } from '../auth/sessions.js';
import type { PersonRow } from '../people/presenters.js';
import { countAdmins, findPersonById } from '../people/queries.js';

export { type PersonAction, personActions } from '../../contract/admin.js';

export interface PeopleQuery {
  q?: string;
  role?: 'admin' | 'member';
  state?: 'enabled' | 'disabled';
  limit: number;
  offset: number;
}

export async function listPeople(db: Db, query: PeopleQuery): Promise<{ people: PersonRow[]; total: number }> {
  let base = db.selectFrom('people');
  if (query.q) {
    const like = `%${query.q.toLowerCase().replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    base = base.where((eb) =>
      eb.or([eb(eb.fn('lower', ['name']), 'like', like), eb('email', 'like', like), eb('username', 'like', like)]),
    );
  }
  if (query.role) base = base.where('role', '=', query.role);
  if (query.state) base = base.where('enabled', '=', query.state === 'enabled' ? 1 : 0);
  const [people, count] = await Promise.all([
    base.selectAll().orderBy('name').orderBy('id').limit(query.limit).offset(query.offset).execute(),
    base.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { people, total: Number(count.n) };
}

const changes: Record<PersonAction, Partial<Pick<PersonRow, 'role' | 'verified' | 'enabled'>>> = {
  promote: { role: 'admin' },
  demote: { role: 'member' },
  verify: { verified: 1 },
  disable: { enabled: 0 },
  enable: { enabled: 1 },
};

/** Promote, demote, verify, disable or enable a person; the last administrator cannot be removed. */
export async function changePerson(props: {
  db: Db;
  actorId: string;
  personId: string;
  action: PersonAction;
}): Promise<PersonRow> {
  return props.db.transaction().execute(async (trx) => {
    const person = await findPersonById(trx, props.personId);
    if (!person) throw notFound('No such person.');
    const removesAdmin =
      person.role === 'admin' && person.enabled === 1 && (props.action === 'demote' || props.action === 'disable');
    if (props.action === 'disable' && person.id === props.actorId) {
      throw badRequest('You cannot disable your own account.');
    }
    if (removesAdmin && (await countAdmins(trx)) <= 1) {
      throw conflict('This is the last administrator: promote someone else first.');
    }
    await trx
      .updateTable('people')
      .set({ ...changes[props.action], updated_at: nowIso() })
      .where('id', '=', person.id)
      .execute();
    // A disabled person is signed out at once, not when their session would have expired.
    if (props.action === 'disable') await deleteSessionsOf(trx, person.id);
    await recordAudit(trx, {
      actorId: props.actorId,
      action: `person.${props.action}`,
      subjectType: 'person',
      subjectId: person.id,
    });
    const updated = await findPersonById(trx, person.id);
    if (!updated) throw notFound('No such person.');
    return updated;
  });
}
