import type { Executor } from '../../db/database.js';
import { AppError, conflict } from '../../lib/errors.js';
import { normaliseOptionalEmail, normaliseUsername } from './email.js';
import type { PersonRow } from './presenters.js';
import {
  externalIdsOfPeople,
  findPersonByEmail,
  findPersonByExternalId,
  findPersonByUsername,
  personIdsByExternalId,
} from './queries.js';
import {
  createNamedPeople,
  createPerson,
  deletePeople,
  linkExternalId,
  linkExternalIds,
  type PersonDraft,
} from './service.js';

/** Who a source says someone is: its own id for them, and what may identify them here too. */
export interface ExternalIdentity {
  /** `directory`, `slack`, `mattermost`, `intra42`… */
  source: string;
  externalId: string;
  /** Matched after the external id; stored normalised on a new person. */
  email?: string | null;
  /**
   * Their username at the source, when it is also theirs here (a 42 login, a directory username):
   * matched after the e-mail and taken as is by a new person. Leave it out when the source's names
   * mean nothing here (chat handles): a new person then gets one made from the e-mail or name.
   */
  username?: string | null;
}

export type EnsureOutcome = 'found' | 'linked' | 'created';

const ATTEMPTS = 3;

/**
 * The person a source means: found by the source's id for them, else by e-mail, else by username
 * (and then linked to that id), else created and linked. Concurrent calls for one identity make
 * one person: every write skips on a unique conflict, and a call that lost a race looks again and
 * finds the winner's row (on PostgreSQL the losing statement waits for the winner to commit).
 *
 * A match by e-mail or username is refused (409 naming the field) when that person already has a
 * different id at this source — two of the source's people would become one — and a match by
 * username alone never takes over an administrator account.
 */
export async function ensurePerson(
  db: Executor,
  props: ExternalIdentity & Omit<PersonDraft, 'email' | 'username'>,
): Promise<{ person: PersonRow; outcome: EnsureOutcome }> {
  const { source, externalId, email: rawEmail, username: rawUsername, ...draft } = props;
  const email = normaliseOptionalEmail(rawEmail);
  const username = rawUsername ? normaliseUsername(rawUsername) : undefined;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const known = await findPersonByExternalId(db, source, externalId);
    if (known) return { person: known, outcome: 'found' };

    const byEmail = email ? await findPersonByEmail(db, email) : undefined;
    const candidate = byEmail ?? (username ? await findPersonByUsername(db, username) : undefined);
    if (candidate) {
      const field = byEmail ? 'email' : 'username';
      const value = byEmail ? email : username;
      const otherId = (await externalIdsOfPeople(db, source, [candidate.id])).get(candidate.id);
      if (otherId === externalId) return { person: candidate, outcome: 'found' };
      if (otherId !== undefined) {
        throw conflict(
          `${field}: "${value}" already belongs to ${source} person ${otherId}; ` +
            `if that is not them, change that account's ${field === 'email' ? 'e-mail' : 'username'} in People`,
          field,
        );
      }
      if (!byEmail && candidate.role === 'admin') {
        throw conflict(
          `username: "${value}" is an administrator account that ${source} does not know; ` +
            "to link them, give that account the person's e-mail address in People, or give it another username",
          'username',
        );
      }
      if (await linkExternalId(db, { personId: candidate.id, source, externalId })) {
        return { person: candidate, outcome: 'linked' };
      }
      continue; // someone linked this id meanwhile: it is theirs now, look again
    }

    let created: PersonRow;
    try {
      created = await createPerson(db, { ...draft, email, ...(username && { username }) });
    } catch (error) {
      // The e-mail or username was taken meanwhile, most likely by this very identity: look again.
      if (attempt < ATTEMPTS && isConflict(error)) continue;
      throw error;
    }
    if (await linkExternalId(db, { personId: created.id, source, externalId })) {
      return { person: created, outcome: 'created' };
    }
    // Another call created this identity first; ours was never seen outside this transaction.
    await db.deleteFrom('people').where('id', '=', created.id).execute();
  }
  throw conflict(`externalId: ${source} person ${externalId} changed while being added; try again`, 'externalId');
}

const isConflict = (error: unknown): boolean => error instanceof AppError && error.code === 'conflict';

/** Someone a source names by a login that is their username here too (a 42 login). */
export interface NamedIdentity {
  externalId: string;
  username: string;
  email: string | null;
  name: string;
  timezone: string;
}

/**
 * `ensurePerson` for many identities of one source at once, in a few statements whatever their
 * number: the known ones in one look-up, the ones nobody here is (by e-mail or username either) all
 * added and linked together. Anyone else (a match to link, a conflict, a race lost) goes through
 * `ensurePerson` one by one. Returns external id → person id, or the 409 that identity met.
 */
export async function ensurePeople(
  db: Executor,
  source: string,
  identities: readonly NamedIdentity[],
): Promise<Map<string, string | AppError>> {
  const wanted = new Map<string, NamedIdentity>();
  for (const identity of identities) if (!wanted.has(identity.externalId)) wanted.set(identity.externalId, identity);
  const found: Map<string, string | AppError> = await personIdsByExternalId(db, source, [...wanted.keys()]);
  const missing = [...wanted.values()].filter((i) => !found.has(i.externalId));
  if (!missing.length) return found;

  // Added together, each once (the first of two sharing an e-mail or username); one whose e-mail or
  // username someone here has is skipped by the insert itself, and goes through ensurePerson below.
  const seen = new Set<string>();
  const fresh: NamedIdentity[] = [];
  for (const identity of missing) {
    const email = normaliseOptionalEmail(identity.email);
    const keys = [`u:${normaliseUsername(identity.username)}`, ...(email ? [`e:${email}`] : [])];
    if (!keys.some((k) => seen.has(k))) fresh.push(identity);
    for (const k of keys) seen.add(k);
  }

  const created = await createNamedPeople(db, fresh);
  const byUsername = new Map(created.map((p) => [p.username, p.id]));
  const links = fresh.flatMap((i) => {
    const personId = byUsername.get(normaliseUsername(i.username));
    return personId ? [{ personId, externalId: i.externalId }] : [];
  });
  const linked = await linkExternalIds(db, source, links);
  const strays: string[] = [];
  for (const link of links) {
    if (linked.has(link.externalId)) found.set(link.externalId, link.personId);
    else strays.push(link.personId);
  }
  // Linked meanwhile by another writer: the person made here was never seen outside this transaction.
  if (strays.length) await deletePeople(db, strays);
  for (const identity of [...wanted.values()]) {
    if (found.has(identity.externalId)) continue;
    try {
      const { person } = await ensurePerson(db, {
        source,
        externalId: identity.externalId,
        email: identity.email,
        username: identity.username,
        name: identity.name,
        timezone: identity.timezone,
      });
      found.set(identity.externalId, person.id);
    } catch (error) {
      if (!isConflict(error)) throw error;
      found.set(identity.externalId, error as AppError);
    }
  }
  return found;
}
