import { recordAudit } from '../../db/audit.js';
import { withRows } from '../../db/bulkInsert.js';
import type { Db, Executor } from '../../db/database.js';
import { badRequest, conflict } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { nowIso } from '../../lib/time.js';
import { normaliseOptionalEmail, normaliseUsername } from './email.js';
import type { PersonRow } from './presenters.js';
import { chunks, findPersonByEmail, findPersonByLogin, findPersonByUsername } from './queries.js';
import { freeUsername, usernameFromEmail, usernameFromName } from './usernames.js';

/*
 * The only code that writes `people` and `external_ids`. Every function takes the caller's
 * executor, so a use case elsewhere (sign-up, the directory import, chat sync) keeps its one
 * transaction; they never open one of their own.
 */

/** The columns a use case may set; ids and timestamps are the service's. */
export type PersonFields = Omit<PersonRow, 'id' | 'created_at' | 'updated_at' | 'assistant_id'>;

export type PersonDraft = Pick<PersonFields, 'name' | 'timezone'> &
  Partial<Omit<PersonFields, 'name' | 'timezone' | 'username'>> & {
    /**
     * Taken as given (a directory username, a trusted proxy's). Without it one is made from the
     * e-mail address, else from the name, and the first free variant is used (`ada`, `ada2`…).
     */
    username?: string;
  };

const MAX_USERNAME_ATTEMPTS = 5;
const PERSON_INTEGERS = ['is_manager', 'is_manager_stated', 'enabled', 'verified', 'timezone_confirmed'];

/** A new person's row: what the draft gives, the defaults for the rest. */
function personRow(draft: PersonDraft, username: string, email: string | null, now: string): PersonRow {
  return {
    id: newId(),
    username,
    email,
    name: draft.name,
    first_name: draft.first_name ?? null,
    last_name: draft.last_name ?? null,
    title: draft.title ?? null,
    team: draft.team ?? null,
    manager_id: draft.manager_id ?? null,
    is_manager: draft.is_manager ?? 0,
    is_manager_stated: draft.is_manager_stated ?? 0,
    avatar_url: draft.avatar_url ?? null,
    timezone: draft.timezone,
    enabled: draft.enabled ?? 1,
    role: draft.role ?? 'member',
    verified: draft.verified ?? 0,
    password_hash: draft.password_hash ?? null,
    signup_ip: draft.signup_ip ?? null,
    created_at: now,
    updated_at: now,
    last_signin_at: draft.last_signin_at ?? null,
    assistant_id: null,
    timezone_confirmed: draft.timezone_confirmed ?? 0,
    deleted_at: null,
  };
}

/**
 * Adds a person. A taken e-mail address or given username is a 409 naming that field; a username
 * the service makes up is never taken (a concurrent writer's choice sends it to the next variant).
 *
 * The insert skips on any unique conflict instead of failing, so the caller's transaction stays
 * usable on PostgreSQL, and a concurrent insert of the same key is waited for, not raced.
 */
export async function createPerson(db: Executor, draft: PersonDraft): Promise<PersonRow> {
  const email = normaliseOptionalEmail(draft.email);
  const givenUsername = draft.username === undefined ? undefined : normaliseUsername(draft.username);
  if (givenUsername === '') throw badRequest('username: is required', 'username');
  const base =
    givenUsername ??
    (email ? usernameFromEmail(email) : usernameFromName(draft.first_name ?? draft.name, draft.last_name));
  for (let attempt = 1; attempt <= MAX_USERNAME_ATTEMPTS; attempt++) {
    const now = nowIso();
    const person = personRow(draft, givenUsername ?? (await freeUsername(db, base)), email, now);
    const { assistant_id: _, ...values } = person;
    const inserted = await db
      .insertInto('people')
      .values(values)
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) return person;
    if (email && (await findPersonByEmail(db, email))) {
      throw conflict(`email: "${email}" is already used by another person`, 'email');
    }
    if (givenUsername !== undefined) {
      throw conflict(`username: "${givenUsername}" is already used by another person`, 'username');
    }
  }
  throw conflict('username: every username tried was taken meanwhile; try again', 'username');
}

/**
 * Adds several people whose usernames are given (a source's logins), in one statement. Returns the
 * people added; one whose e-mail or username was taken (by anyone, meanwhile too) is left out, for
 * the caller to settle one by one (`ensurePerson` says why).
 */
export async function createNamedPeople(
  db: Executor,
  drafts: ReadonlyArray<PersonDraft & { username: string }>,
): Promise<PersonRow[]> {
  const now = nowIso();
  const people = drafts.map((draft) =>
    personRow(draft, normaliseUsername(draft.username), normaliseOptionalEmail(draft.email), now),
  );
  if (people.some((p) => !p.username)) throw badRequest('username: is required', 'username');
  const added = new Set<string>();
  for (const chunk of chunks(people, 100)) {
    const rows = await withRows(
      db,
      db.insertInto('people'),
      chunk.map(({ assistant_id: _, ...values }) => values),
      PERSON_INTEGERS,
    )
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .execute();
    for (const row of rows) added.add(row.id);
  }
  return people.filter((p) => added.has(p.id));
}

/**
 * `linkExternalId` for several people of one source at once. Returns the external ids now linked
 * to the person asked for; one already another person's is left out (nothing written for it).
 */
export async function linkExternalIds(
  db: Executor,
  source: string,
  links: ReadonlyArray<{ personId: string; externalId: string }>,
): Promise<Set<string>> {
  const linked = new Set<string>();
  for (const chunk of chunks(links, 100)) {
    const rows = await withRows(
      db,
      db.insertInto('external_ids'),
      chunk.map((l) => ({ person_id: l.personId, source, external_id: l.externalId })),
    )
      .onConflict((oc) => oc.doNothing())
      .returning('external_id')
      .execute();
    for (const row of rows) linked.add(row.external_id);
  }
  return linked;
}

/**
 * Changes a person's fields (only those given). A new e-mail address or username is normalised
 * and must not be another person's (409 naming the field). Returns whether a row changed.
 */
export async function updatePerson(
  db: Executor,
  personId: string,
  changes: Partial<PersonFields & Pick<PersonRow, 'assistant_id'>>,
): Promise<boolean> {
  const set = { ...changes };
  if (set.email !== undefined) {
    set.email = normaliseOptionalEmail(set.email);
    const other = set.email ? await findPersonByEmail(db, set.email) : undefined;
    if (other && other.id !== personId) {
      throw conflict(`email: "${set.email}" is already used by another person (${other.username})`, 'email');
    }
  }
  if (set.username !== undefined) {
    set.username = normaliseUsername(set.username);
    if (!set.username) throw badRequest('username: is required', 'username');
    const other = await findPersonByUsername(db, set.username);
    if (other && other.id !== personId) {
      throw conflict(`username: "${set.username}" is already used by another person`, 'username');
    }
  }
  const result = await db
    .updateTable('people')
    .set({ ...set, updated_at: nowIso() })
    .where('id', '=', personId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Disables these people in bulk (the directory's prune). Their sessions are the caller's to end. */
export async function disablePeople(db: Executor, personIds: readonly string[]): Promise<void> {
  const now = nowIso();
  for (const chunk of chunks(personIds)) {
    await db.updateTable('people').set({ enabled: 0, updated_at: now }).where('id', 'in', chunk).execute();
  }
}

/**
 * Says that `source` knows this person as `externalId`. Returns false when that id is already
 * another person's (nothing is written); true when it is this person's, now or already.
 */
export async function linkExternalId(
  db: Executor,
  props: { personId: string; source: string; externalId: string },
): Promise<boolean> {
  const inserted = await db
    .insertInto('external_ids')
    .values({ person_id: props.personId, source: props.source, external_id: props.externalId })
    .onConflict((oc) => oc.doNothing())
    .returning('person_id')
    .executeTakeFirst();
  if (inserted) return true;
  const owner = await db
    .selectFrom('external_ids')
    .select('person_id')
    .where('source', '=', props.source)
    .where('external_id', '=', props.externalId)
    .executeTakeFirst();
  return owner?.person_id === props.personId;
}

/** Names (or, with null, removes) the assistant who may manage this person's mixers. */
export async function setAssistant(props: {
  db: Db;
  personId: string;
  assistantUsername: string | null;
}): Promise<{ id: string; name: string; username: string } | null> {
  return props.db.transaction().execute(async (trx) => {
    let assistant: { id: string; name: string; username: string } | null = null;
    if (props.assistantUsername) {
      const found = await findPersonByLogin(trx, props.assistantUsername);
      if (!found || found.enabled !== 1) throw badRequest('username: nobody with that username or e-mail', 'username');
      if (found.id === props.personId) throw badRequest('username: you cannot be your own assistant', 'username');
      assistant = { id: found.id, name: found.name, username: found.username };
    }
    await updatePerson(trx, props.personId, { assistant_id: assistant?.id ?? null });
    await recordAudit(trx, {
      actorId: props.personId,
      action: 'person.set_assistant',
      subjectType: 'person',
      subjectId: props.personId,
      data: { assistantId: assistant?.id ?? null },
    });
    return assistant;
  });
}

/**
 * Deletes these people and, through the foreign keys, everything that is only theirs (ratings,
 * sessions, memberships). For people no one knows outside Convene, such as an unconference's
 * test-mode people; directory people are disabled instead (`disablePeople`).
 */
export async function deletePeople(db: Executor, personIds: readonly string[]): Promise<number> {
  let deleted = 0;
  for (const chunk of chunks(personIds)) {
    const result = await db
      .deleteFrom('people')
      .where('id', 'in', chunk)
      .where('role', '!=', 'admin')
      .executeTakeFirst();
    deleted += Number(result.numDeletedRows);
  }
  return deleted;
}

/** Forgets every identity this person has elsewhere (directory id, chat ids): an account deletion. */
export async function unlinkExternalIds(db: Executor, personId: string): Promise<number> {
  const result = await db.deleteFrom('external_ids').where('person_id', '=', personId).executeTakeFirst();
  return Number(result.numDeletedRows);
}
