import type { Executor } from '../../db/database.js';
import { AppError, conflict } from '../../lib/errors.js';
import { normaliseOptionalEmail, normaliseUsername } from './email.js';
import type { PersonRow } from './presenters.js';
import { externalIdsOfPeople, findPersonByEmail, findPersonByExternalId, findPersonByUsername } from './queries.js';
import { createPerson, linkExternalId, type PersonDraft } from './service.js';

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
        throw conflict(`${field}: "${value}" already belongs to ${source} person ${otherId}`, field);
      }
      if (!byEmail && candidate.role === 'admin') {
        throw conflict(
          `username: "${value}" is an administrator account that ${source} does not know; ` +
            "give the administrator's e-mail address to link them",
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
