import type { Selectable } from 'kysely';
import type { Config } from '../../config.js';
import type {
  AcceptInvitationInput,
  InvitationState,
  InvitationsQuery,
  InvitationView,
  InviteInput,
  InviteResult,
} from '../../contract/accounts.js';
import { recordAudit } from '../../db/audit.js';
import type { Db, Executor } from '../../db/database.js';
import { isUniqueViolation } from '../../db/errors.js';
import { likeText } from '../../db/like.js';
import type { InvitationsTable } from '../../db/schema.js';
import { type AppError, badRequest, conflict, notFound } from '../../lib/errors.js';
import { hashToken, newId } from '../../lib/ids.js';
import { addSeconds, nowIso, toIso } from '../../lib/time.js';
import { hashPassword, passwordProblem } from '../auth/password.js';
import { accountMailConfigured, sendAccountMail } from '../notifications/accountMail.js';
import type { PersonRow } from '../people/presenters.js';
import { findPeopleBy, findPersonByEmail, findPersonById } from '../people/queries.js';
import { createPerson } from '../people/service.js';
import { parseEmailList } from './emailList.js';
import { INVITATION_DAYS, linkUrl, newLinkToken } from './links.js';

type InvitationRow = Selectable<InvitationsTable>;

export function invitationState(row: InvitationRow, now = nowIso()): InvitationState {
  if (row.revoked_at) return 'revoked';
  if (row.accepted_at) return 'accepted';
  return row.expires_at <= now ? 'expired' : 'pending';
}

export function presentInvitation(row: InvitationRow, inviters: Map<string, string>, now = nowIso()): InvitationView {
  return {
    id: row.id,
    email: row.email,
    state: invitationState(row, now),
    invitedBy: row.invited_by ? (inviters.get(row.invited_by) ?? null) : null,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastSentAt: row.last_sent_at,
    sendCount: Number(row.send_count),
    acceptedAt: row.accepted_at,
    revokedAt: row.revoked_at,
  };
}

async function inviterNames(db: Executor, rows: InvitationRow[]): Promise<Map<string, string>> {
  const ids = rows.flatMap((row) => (row.invited_by ? [row.invited_by] : []));
  return new Map((await findPeopleBy(db, 'id', ids)).map((p) => [p.id, p.name]));
}

async function present(db: Executor, rows: InvitationRow[]): Promise<InvitationView[]> {
  const inviters = await inviterNames(db, rows);
  const now = nowIso();
  return rows.map((row) => presentInvitation(row, inviters, now));
}

/** Sends the invitation mail and records that it went; the error's words when it did not. */
async function mailInvitation(props: {
  db: Db;
  config: Config;
  invitation: InvitationRow;
  token: string;
  inviterName: string;
}): Promise<string | null> {
  const { db, config, invitation } = props;
  try {
    await sendAccountMail(db, config, {
      to: { name: '', email: invitation.email },
      subject: 'You are invited to Convene',
      lines: [
        `${props.inviterName} invited you to Convene, where your organisation meets: mixers, talks and meetings.`,
        'Choose your name and a password to join. Your e-mail address is already confirmed.',
      ],
      action: { label: 'Accept the invitation', url: linkUrl(config, 'invite', props.token) },
      after: [`The link works once, until ${invitation.expires_at.slice(0, 16).replace('T', ' ')} UTC.`],
    });
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  await db
    .updateTable('invitations')
    .set((eb) => ({ last_sent_at: nowIso(), send_count: eb('send_count', '+', 1) }))
    .where('id', '=', invitation.id)
    .execute();
  return null;
}

/**
 * An administrator invites one address or a pasted list. Addresses that already have an account
 * are skipped (said why); a pending invitation to an address gets a new link (the old one stops
 * working). All invitations are written in one transaction, then mailed; when e-mail is not
 * configured, the links are returned for the admin to pass on.
 */
export async function invitePeople(props: {
  db: Db;
  config: Config;
  actorId: string;
  ip?: string;
  input: InviteInput;
}): Promise<InviteResult> {
  const { db, config } = props;
  const emails = parseEmailList(props.input.emails);
  const days = props.input.expiresInDays ?? INVITATION_DAYS;
  const now = new Date();
  const expiresAt = toIso(addSeconds(now, days * 86_400));
  const tokens = new Map<string, string>();
  const { invited, skipped } = await db.transaction().execute(async (trx) => {
    const existing = new Set((await findPeopleBy(trx, 'email', emails)).map((p) => p.email));
    const invited: InvitationRow[] = [];
    const skipped: InviteResult['skipped'] = [];
    for (const email of emails) {
      if (existing.has(email)) {
        skipped.push({ email, reason: 'already has an account' });
        continue;
      }
      const { token, hash } = newLinkToken();
      const pending = await trx
        .selectFrom('invitations')
        .selectAll()
        .where('email', '=', email)
        .where('accepted_at', 'is', null)
        .where('revoked_at', 'is', null)
        .orderBy('created_at', 'desc')
        .executeTakeFirst();
      let row: InvitationRow;
      if (pending) {
        await trx
          .updateTable('invitations')
          .set({ token_hash: hash, expires_at: expiresAt, invited_by: props.actorId })
          .where('id', '=', pending.id)
          .execute();
        row = { ...pending, token_hash: hash, expires_at: expiresAt, invited_by: props.actorId };
      } else {
        row = {
          id: newId(),
          email,
          token_hash: hash,
          invited_by: props.actorId,
          created_at: toIso(now),
          expires_at: expiresAt,
          last_sent_at: null,
          send_count: 0,
          accepted_at: null,
          person_id: null,
          revoked_at: null,
        };
        await trx.insertInto('invitations').values(row).execute();
      }
      tokens.set(row.id, token);
      invited.push(row);
      await recordAudit(trx, {
        actorId: props.actorId,
        action: pending ? 'invitation.renew' : 'invitation.create',
        subjectType: 'invitation',
        subjectId: row.id,
        data: { email, expiresAt },
        ip: props.ip,
      });
    }
    return { invited, skipped };
  });
  const delivery = await deliver(db, config, props.actorId, invited, tokens);
  const rows = invited.length
    ? await db
        .selectFrom('invitations')
        .selectAll()
        .where(
          'id',
          'in',
          invited.map((row) => row.id),
        )
        .orderBy('email')
        .execute()
    : [];
  return { invited: await present(db, rows), skipped, ...delivery };
}

async function deliver(
  db: Db,
  config: Config,
  actorId: string,
  rows: InvitationRow[],
  tokens: Map<string, string>,
): Promise<{ emailed: boolean; mailError: string | null; links: Array<{ email: string; url: string }> }> {
  const links = rows.map((row) => ({ email: row.email, url: linkUrl(config, 'invite', tokens.get(row.id) ?? '') }));
  if (!rows.length) return { emailed: false, mailError: null, links: [] };
  if (!(await accountMailConfigured(db, config))) {
    return { emailed: false, mailError: 'E-mail is not configured: pass these links on yourself.', links };
  }
  const inviter = await findPersonById(db, actorId);
  const failed: Array<{ email: string; url: string; error: string }> = [];
  // A few at a time: one SMTP connection per message, and a list may hold hundreds.
  const queue = rows.map((row, index) => ({ row, link: links[index] as { email: string; url: string } }));
  await Promise.all(
    Array.from({ length: Math.min(4, queue.length) }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const error = await mailInvitation({
          db,
          config,
          invitation: next.row,
          token: tokens.get(next.row.id) ?? '',
          inviterName: inviter?.name ?? 'An administrator',
        });
        if (error) failed.push({ ...next.link, error });
      }
    }),
  );
  if (!failed.length) return { emailed: true, mailError: null, links: [] };
  return {
    emailed: failed.length < rows.length,
    mailError: `${failed.length} of ${rows.length} invitations could not be e-mailed (${failed[0]?.error}); pass these links on yourself or resend.`,
    links: failed.map(({ email, url }) => ({ email, url })),
  };
}

export async function listInvitations(db: Db, query: InvitationsQuery): Promise<InvitationView[]> {
  let select = db.selectFrom('invitations').selectAll();
  const now = nowIso();
  if (query.q) select = select.where(likeText('email', query.q.toLowerCase(), 'anywhere'));
  switch (query.state) {
    case 'revoked':
      select = select.where('revoked_at', 'is not', null);
      break;
    case 'accepted':
      select = select.where('accepted_at', 'is not', null).where('revoked_at', 'is', null);
      break;
    case 'expired':
      select = select.where('accepted_at', 'is', null).where('revoked_at', 'is', null).where('expires_at', '<=', now);
      break;
    case 'pending':
      select = select.where('accepted_at', 'is', null).where('revoked_at', 'is', null).where('expires_at', '>', now);
      break;
  }
  const rows = await select.orderBy('created_at', 'desc').orderBy('id').limit(1000).execute();
  return present(db, rows);
}

async function invitationOrThrow(db: Executor, id: string): Promise<InvitationRow> {
  const row = await db.selectFrom('invitations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('No such invitation.');
  return row;
}

/** A new link for a pending or expired invitation (the old link stops working), mailed again. */
export async function resendInvitation(props: {
  db: Db;
  config: Config;
  actorId: string;
  ip?: string;
  id: string;
  expiresInDays?: number;
}): Promise<{ invitation: InvitationView; emailed: boolean; mailError: string | null; link: string | null }> {
  const { db, config } = props;
  const { token, hash } = newLinkToken();
  const expiresAt = toIso(addSeconds(new Date(), (props.expiresInDays ?? INVITATION_DAYS) * 86_400));
  const row = await db.transaction().execute(async (trx) => {
    const row = await invitationOrThrow(trx, props.id);
    const state = invitationState(row);
    if (state === 'accepted') throw conflict('This invitation was accepted: the person has an account.');
    if (state === 'revoked') throw conflict('This invitation was revoked: invite the address again instead.');
    await trx
      .updateTable('invitations')
      .set({ token_hash: hash, expires_at: expiresAt })
      .where('id', '=', row.id)
      .execute();
    await recordAudit(trx, {
      actorId: props.actorId,
      action: 'invitation.resend',
      subjectType: 'invitation',
      subjectId: row.id,
      data: { email: row.email, expiresAt },
      ip: props.ip,
    });
    return { ...row, token_hash: hash, expires_at: expiresAt };
  });
  const delivery = await deliver(db, config, props.actorId, [row], new Map([[row.id, token]]));
  const [view] = await present(db, [await invitationOrThrow(db, row.id)]);
  return {
    invitation: view as InvitationView,
    emailed: delivery.emailed,
    mailError: delivery.mailError,
    link: delivery.links[0]?.url ?? null,
  };
}

export async function revokeInvitation(props: { db: Db; actorId: string; ip?: string; id: string }) {
  const { db } = props;
  const row = await db.transaction().execute(async (trx) => {
    const row = await invitationOrThrow(trx, props.id);
    if (row.accepted_at) throw conflict('This invitation was accepted already: disable the person instead.');
    if (!row.revoked_at) {
      await trx.updateTable('invitations').set({ revoked_at: nowIso() }).where('id', '=', row.id).execute();
      await recordAudit(trx, {
        actorId: props.actorId,
        action: 'invitation.revoke',
        subjectType: 'invitation',
        subjectId: row.id,
        data: { email: row.email },
        ip: props.ip,
      });
    }
    return invitationOrThrow(trx, row.id);
  });
  const [view] = await present(db, [row]);
  return view as InvitationView;
}

/** Why a token cannot be used, as the page says it. Unknown and tampered tokens look alike. */
function refuse(row: InvitationRow | undefined): AppError {
  if (!row)
    return notFound('This invitation link is not valid. Check that you copied the whole link, or ask for a new one.');
  const state = invitationState(row);
  if (state === 'accepted') return conflict('token: This invitation was already used. Sign in instead.', 'token');
  if (state === 'revoked') return badRequest('token: This invitation was withdrawn. Ask an administrator.', 'token');
  return badRequest('token: This invitation has expired. Ask an administrator to send a new one.', 'token');
}

const byToken = (db: Executor, token: string) =>
  db.selectFrom('invitations').selectAll().where('token_hash', '=', hashToken(token)).executeTakeFirst();

/** What the invitation page shows before the person signs up: the invited address. */
export async function lookupInvitation(db: Db, token: string): Promise<{ email: string; expiresAt: string }> {
  const row = await byToken(db, token);
  if (!row || invitationState(row) !== 'pending') throw refuse(row);
  return { email: row.email, expiresAt: row.expires_at };
}

/**
 * The invited person signs up: their address is verified by the link. The invitation is claimed
 * with one conditional update, so of concurrent accepts exactly one makes an account; the others
 * are told it was used. Works whatever the registration policy (closed included).
 */
export async function acceptInvitation(props: {
  db: Db;
  input: AcceptInvitationInput;
  ip?: string;
  defaultTimezone: string;
}): Promise<PersonRow> {
  const { db, input } = props;
  const found = await byToken(db, input.token);
  if (!found || invitationState(found) !== 'pending') throw refuse(found);
  const problem = passwordProblem(input.password, [found.email, input.name]);
  if (problem) throw badRequest(`password: ${problem}`, 'password');
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction().execute(async (trx) => {
      const now = nowIso();
      const claimed = await trx
        .updateTable('invitations')
        .set({ accepted_at: now })
        .where('id', '=', found.id)
        .where('token_hash', '=', found.token_hash)
        .where('accepted_at', 'is', null)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) throw refuse(await byToken(trx, input.token));
      if (await findPersonByEmail(trx, found.email)) {
        throw conflict('email: An account with this e-mail already exists. Sign in instead.', 'email');
      }
      const person = await createPerson(trx, {
        email: found.email,
        name: input.name,
        timezone: input.timezone ?? props.defaultTimezone,
        timezone_confirmed: input.timezone ? 1 : 0,
        verified: 1,
        password_hash: passwordHash,
        signup_ip: props.ip ?? null,
        last_signin_at: now,
      });
      await trx.updateTable('invitations').set({ person_id: person.id }).where('id', '=', found.id).execute();
      await recordAudit(trx, {
        actorId: person.id,
        action: 'invitation.accept',
        subjectType: 'person',
        subjectId: person.id,
        data: { invitationId: found.id },
        ip: props.ip,
      });
      return person;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('token: This invitation was already used. Sign in instead.', 'token');
    throw error;
  }
}
