import { randomBytes } from 'node:crypto';
import { recordAudit } from '../../db/audit.js';
import type { Db, Executor } from '../../db/database.js';
import { lockRow } from '../../db/rowLock.js';
import { badRequest, conflict, notFound } from '../../lib/errors.js';
import { nowIso } from '../../lib/time.js';
import type { PersonRow } from '../people/presenters.js';
import { countAdmins, findPersonById } from '../people/queries.js';
import { unlinkExternalIds, updatePerson } from '../people/service.js';
import { scrubMessages } from './scrubMessages.js';

/** What a deleted account is called wherever its history is still shown (meetings, votes, talks). */
export const DELETED_NAME = 'Deleted person';

export interface DeleteAccountInput {
  db: Db;
  personId: string;
  /** Who asks: the person themself or an administrator. */
  actor: Pick<PersonRow, 'id' | 'role'>;
  /** What was typed to confirm: the account's username. */
  confirm: string;
  defaultTimezone: string;
  ip?: string;
}

/**
 * Deletes an account by anonymising it: the row stays (so meetings, votes, unconference interest
 * and talks keep their history and every count stays true), but nothing on it, or in the messages
 * and invitations that named the person, says who they were. Sessions, links and calendar feeds stop
 * working; group memberships end; pending messages to them are not sent. One transaction: a failure
 * half-way changes nothing.
 */
export async function deleteAccount(input: DeleteAccountInput): Promise<{ username: string }> {
  const { db } = input;
  return db.transaction().execute(async (trx) => {
    await lockRow(trx, 'people', input.personId);
    const person = await findPersonById(trx, input.personId);
    if (!person) throw notFound('No such person.');
    if (person.deleted_at) throw conflict('This account is already deleted.');
    if (input.confirm.trim().toLowerCase() !== person.username) {
      throw badRequest(`confirm: type the username "${person.username}" to confirm`, 'confirm');
    }
    if (person.role === 'admin' && person.enabled === 1 && (await countAdmins(trx)) <= 1) {
      throw conflict('This is the last administrator: promote someone else first.');
    }
    const self = input.actor.id === person.id;
    const username = await unusedDeletedUsername(trx);
    const now = nowIso();
    await updatePerson(trx, person.id, {
      name: DELETED_NAME,
      first_name: null,
      last_name: null,
      email: null,
      username,
      title: null,
      team: null,
      manager_id: null,
      is_manager: 0,
      is_manager_stated: 0,
      avatar_url: null,
      timezone: input.defaultTimezone,
      enabled: 0,
      role: 'member',
      verified: 0,
      password_hash: null,
      signup_ip: null,
      last_signin_at: null,
      assistant_id: null,
      timezone_confirmed: 0,
      deleted_at: now,
    });
    await unlinkFromOthers(trx, person.id);
    await unlinkExternalIds(trx, person.id);
    await revokeAccess(trx, person.id, now);
    const membershipsEnded = await endMemberships(trx, person.id, self ? 'self' : 'admin', now);
    await forgetInvitations(trx, person, username);
    const messages = await scrubMessages(trx, { person, replacementName: DELETED_NAME, now });
    await renameInMeetingTitles(trx, person);
    await recordAudit(trx, {
      actorId: input.actor.id,
      action: 'person.delete_account',
      subjectType: 'person',
      subjectId: person.id,
      data: { by: self ? 'self' : 'admin', membershipsEnded, messagesScrubbed: messages.scrubbed },
      ip: input.ip,
    });
    return { username };
  });
}

/** `deleted-` and random letters: says nothing about who it was, and is never reused. */
async function unusedDeletedUsername(db: Executor): Promise<string> {
  for (;;) {
    const candidate = `deleted-${randomBytes(6).toString('hex')}`;
    const taken = await db.selectFrom('people').select('id').where('username', '=', candidate).executeTakeFirst();
    if (!taken) return candidate;
  }
}

/** Nobody keeps them as manager or assistant. */
async function unlinkFromOthers(trx: Executor, personId: string): Promise<void> {
  const managed = await trx.selectFrom('people').select('id').where('manager_id', '=', personId).execute();
  for (const row of managed) await updatePerson(trx, row.id, { manager_id: null });
  const assisted = await trx.selectFrom('people').select('id').where('assistant_id', '=', personId).execute();
  for (const row of assisted) await updatePerson(trx, row.id, { assistant_id: null });
}

/** Every way in ends: sessions, one-time links, calendar feed URLs; and their personal settings and photo. */
async function revokeAccess(trx: Executor, personId: string, now: string): Promise<void> {
  await trx.deleteFrom('auth_sessions').where('person_id', '=', personId).execute();
  await trx.deleteFrom('account_tokens').where('person_id', '=', personId).execute();
  await trx
    .updateTable('calendar_feeds')
    .set({ revoked_at: now })
    .where('person_id', '=', personId)
    .where('revoked_at', 'is', null)
    .execute();
  await trx.deleteFrom('notification_prefs').where('person_id', '=', personId).execute();
  await trx.deleteFrom('person_photos').where('person_id', '=', personId).execute();
}

/** Memberships end as a leave would (past rounds stay); a chat sync or an automatic group cannot bring them back: the account is disabled. */
async function endMemberships(trx: Executor, personId: string, by: 'self' | 'admin', now: string): Promise<number> {
  const result = await trx
    .updateTable('group_members')
    .set({ status: 'left', left_at: now, left_by: by, paused_until: null, skip_round_at: null })
    .where('person_id', '=', personId)
    .where('status', '!=', 'left')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Invitations keep their count and dates; the address they went to is forgotten. */
async function forgetInvitations(trx: Executor, person: PersonRow, username: string): Promise<void> {
  let query = trx
    .updateTable('invitations')
    .set({ email: `${username}@deleted.invalid` })
    .where((eb) =>
      person.email
        ? eb.or([eb('person_id', '=', person.id), eb('email', '=', person.email)])
        : eb('person_id', '=', person.id),
    );
  query = query.where('email', 'not like', '%@deleted.invalid');
  await query.execute();
}

/** A round's meeting is titled with its participants' names ("Coffee: Ada, Bo"): the name goes there too. */
async function renameInMeetingTitles(trx: Executor, person: PersonRow): Promise<void> {
  if (person.name.trim().length < 2) return;
  const meetings = await trx
    .selectFrom('meetings')
    .innerJoin('meeting_participants', 'meeting_participants.meeting_id', 'meetings.id')
    .select(['meetings.id', 'meetings.title'])
    .where('meeting_participants.person_id', '=', person.id)
    .execute();
  for (const meeting of meetings) {
    if (!meeting.title.includes(person.name)) continue;
    await trx
      .updateTable('meetings')
      .set({ title: meeting.title.split(person.name).join(DELETED_NAME) })
      .where('id', '=', meeting.id)
      .execute();
  }
}
