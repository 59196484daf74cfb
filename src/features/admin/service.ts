import type { PersonAction } from '../../contract/admin.js';
import { recordAudit } from '../../db/audit.js';
import type { Db, Executor } from '../../db/database.js';
import { isUniqueViolation } from '../../db/errors.js';
import { likeText } from '../../db/like.js';
import { badRequest, conflict, notFound } from '../../lib/errors.js';
import { deleteSessionsOf } from '../auth/sessions.js';
import { DIRECTORY_FIELDS, DIRECTORY_SOURCE } from '../directory/source.js';
import type { AdminPersonDetails, PersonRow } from '../people/presenters.js';
import {
  countAdmins,
  externalIdsOfPeople,
  findPeopleBy,
  findPersonById,
  findPersonByLogin,
} from '../people/queries.js';
import { type PersonFields, updatePerson } from '../people/service.js';
import type { EditPersonInput } from './schemas.js';

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
    const q = query.q.toLowerCase();
    base = base.where((eb) =>
      eb.or([
        likeText(eb.fn('lower', ['name']), q, 'anywhere'),
        likeText('email', q, 'anywhere'),
        likeText('username', q, 'anywhere'),
      ]),
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
    // Enabling or promoting an anonymised row would hand someone an account nobody owns.
    if (person.deleted_at) throw conflict('This account was deleted: it cannot be changed.');
    const removesAdmin =
      person.role === 'admin' && person.enabled === 1 && (props.action === 'demote' || props.action === 'disable');
    if (props.action === 'disable' && person.id === props.actorId) {
      throw badRequest('You cannot disable your own account.');
    }
    if (removesAdmin && (await countAdmins(trx)) <= 1) {
      throw conflict('This is the last administrator: promote someone else first.');
    }
    await updatePerson(trx, person.id, changes[props.action]);
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

/** What the admin console shows beside a person: their directory id and their manager's username. */
export async function adminDetailsOf(db: Executor, people: PersonRow[]): Promise<Map<string, AdminPersonDetails>> {
  const directoryIds = await externalIdsOfPeople(
    db,
    DIRECTORY_SOURCE,
    people.map((p) => p.id),
  );
  const managers = new Map(
    (
      await findPeopleBy(
        db,
        'id',
        people.flatMap((p) => (p.manager_id ? [p.manager_id] : [])),
      )
    ).map((m) => [m.id, m.username]),
  );
  return new Map(
    people.map((p) => [
      p.id,
      {
        directoryId: directoryIds.get(p.id) ?? null,
        managerUsername: p.manager_id ? (managers.get(p.manager_id) ?? null) : null,
        directoryFields: DIRECTORY_FIELDS,
      },
    ]),
  );
}

const emptyToNull = (value: string | null | undefined) => (value === undefined ? undefined : value || null);

/**
 * An administrator edits a person: only the fields given, and of those only what differs is
 * written and audited. The last enabled administrator cannot be demoted or disabled, nobody
 * disables themself, and a disabled person is signed out at once.
 */
export async function editPerson(props: {
  db: Db;
  actorId: string;
  personId: string;
  input: EditPersonInput;
}): Promise<PersonRow> {
  const { input } = props;
  try {
    return await props.db.transaction().execute(async (trx) => {
      const person = await findPersonById(trx, props.personId);
      if (!person) throw notFound('No such person.');
      const wanted: Partial<PersonFields> = {
        name: input.name,
        email: emptyToNull(input.email),
        username: input.username,
        team: emptyToNull(input.team),
        title: emptyToNull(input.title),
        timezone: input.timezone,
        avatar_url: emptyToNull(input.avatarUrl),
        role: input.role,
        enabled: input.enabled === undefined ? undefined : input.enabled ? 1 : 0,
      };
      if (input.managerUsername !== undefined) {
        const login = input.managerUsername?.trim();
        const manager = login ? await findPersonByLogin(trx, login) : undefined;
        if (login && !manager) {
          throw badRequest(`managerUsername: nobody has the username "${login}"`, 'managerUsername');
        }
        if (manager?.id === person.id) {
          throw badRequest('managerUsername: a person cannot be their own manager', 'managerUsername');
        }
        wanted.manager_id = manager?.id ?? null;
      }
      const changes = Object.fromEntries(
        Object.entries(wanted).filter(
          ([key, value]) => value !== undefined && person[key as keyof PersonRow] !== value,
        ),
      ) as Partial<PersonFields>;
      if (!Object.keys(changes).length) return person;

      if (changes.enabled === 0 && person.id === props.actorId) {
        throw badRequest('enabled: you cannot disable your own account', 'enabled');
      }
      const removesAdmin =
        person.role === 'admin' && person.enabled === 1 && (changes.role === 'member' || changes.enabled === 0);
      if (removesAdmin && (await countAdmins(trx)) <= 1) {
        throw conflict('role: this is the last administrator: promote someone else first', 'role');
      }
      await updatePerson(trx, person.id, changes);
      if (changes.enabled === 0) await deleteSessionsOf(trx, person.id);
      const directoryId = (await adminDetailsOf(trx, [person])).get(person.id)?.directoryId ?? null;
      await recordAudit(trx, {
        actorId: props.actorId,
        action: 'person.edit',
        subjectType: 'person',
        subjectId: person.id,
        data: { fields: Object.keys(changes), ...(directoryId && { directoryId }) },
      });
      const updated = await findPersonById(trx, person.id);
      if (!updated) throw notFound('No such person.');
      return updated;
    });
  } catch (error) {
    // Someone took the address or username between our check and our write.
    if (isUniqueViolation(error)) throw conflict('That e-mail address or username was just taken; try again.');
    throw error;
  }
}
