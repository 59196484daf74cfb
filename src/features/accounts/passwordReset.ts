import type { Config } from '../../config.js';
import { recordAudit } from '../../db/audit.js';
import type { Db } from '../../db/database.js';
import { badRequest, conflict, notFound } from '../../lib/errors.js';
import { hashToken } from '../../lib/ids.js';
import { hashPassword, passwordProblem } from '../auth/password.js';
import type { AccountLinkLimiter } from '../auth/rateLimit.js';
import { deleteSessionsOf } from '../auth/sessions.js';
import { accountMailConfigured, sendAccountMail } from '../notifications/accountMail.js';
import type { PersonRow } from '../people/presenters.js';
import { findPersonByEmail, findPersonById } from '../people/queries.js';
import { updatePerson } from '../people/service.js';
import { checkAccountToken, claimAccountToken, issueAccountToken } from './accountTokens.js';
import { linkUrl, RESET_SECONDS } from './links.js';

export const RESET_ANSWER =
  'If an account uses that address, a link to choose a new password is on its way. It works once, for one hour.';

const canReset = (person: PersonRow | undefined): person is PersonRow & { email: string } =>
  !!person?.email && person.enabled === 1 && !person.deleted_at;

async function issueAndMail(props: {
  db: Db;
  config: Config;
  person: PersonRow & { email: string };
  actorId: string | null;
  ip?: string;
}): Promise<() => Promise<void>> {
  const { db, config, person } = props;
  const token = await db.transaction().execute(async (trx) => {
    const token = await issueAccountToken(trx, {
      purpose: 'password_reset',
      personId: person.id,
      email: person.email,
      seconds: RESET_SECONDS,
    });
    await recordAudit(trx, {
      actorId: props.actorId,
      action: props.actorId && props.actorId !== person.id ? 'person.reset_link_sent' : 'person.reset_requested',
      subjectType: 'person',
      subjectId: person.id,
      ip: props.ip,
    });
    return token;
  });
  return () =>
    sendAccountMail(db, config, {
      to: { name: person.name, email: person.email },
      subject: 'Choose a new Convene password',
      lines: [
        props.actorId && props.actorId !== person.id
          ? `An administrator sent you a link to choose a new password for your Convene account (${person.username}).`
          : `Someone — hopefully you — asked to choose a new password for your Convene account (${person.username}).`,
        'Choosing a new password signs your account out everywhere.',
      ],
      action: { label: 'Choose a new password', url: linkUrl(config, 'reset-password', token) },
      after: ['The link works once, for one hour. If you did not ask for it, ignore this message: nothing changes.'],
    });
}

/**
 * "Forgot password": the same answer whether or not the address has an account, counted per typed
 * address and per client. The mail is sent after the answer, so its duration says nothing either.
 * Returns the pending delivery (tests wait for it; the route does not).
 */
export async function requestPasswordReset(props: {
  db: Db;
  config: Config;
  email: string;
  ip: string;
  limiter: AccountLinkLimiter;
}): Promise<{ message: string; delivery: Promise<void> }> {
  const { db, config } = props;
  if (!(await accountMailConfigured(db, config))) {
    throw conflict('Password reset by e-mail is not available here: ask an administrator to reset your password.');
  }
  await props.limiter.consume(props.ip, props.email);
  const person = props.email.includes('@') ? await findPersonByEmail(db, props.email) : undefined;
  if (!canReset(person)) return { message: RESET_ANSWER, delivery: Promise.resolve() };
  const send = await issueAndMail({ db, config, person, actorId: null, ip: props.ip });
  const delivery = send().catch(() => {
    // Nothing to tell the requester (the answer is the same either way); they may ask again.
  });
  return { message: RESET_ANSWER, delivery };
}

/** An administrator sends a person a reset link from the People page; a failure to mail is said. */
export async function sendResetLink(props: {
  db: Db;
  config: Config;
  actorId: string;
  personId: string;
  ip?: string;
}): Promise<{ message: string }> {
  const { db, config } = props;
  const person = await findPersonById(db, props.personId);
  if (!person || person.deleted_at) throw notFound('No such person.');
  if (!person.email) throw badRequest('email: this person has no e-mail address; set one first', 'email');
  if (person.enabled !== 1) throw conflict('This account is disabled: enable it first.');
  if (!(await accountMailConfigured(db, config))) {
    throw conflict('E-mail is not configured (Admin → Channels → E-mail): no link can be sent.');
  }
  const send = await issueAndMail({
    db,
    config,
    person: person as PersonRow & { email: string },
    actorId: props.actorId,
    ip: props.ip,
  });
  try {
    await send();
  } catch (error) {
    throw conflict(`The link could not be e-mailed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { message: `A link to choose a new password was sent to ${person.email}. It works once, for one hour.` };
}

/** Whether a reset link still works, before the page asks for a new password. */
export const checkResetLink = (db: Db, token: string) => checkAccountToken(db, 'password_reset', token);

/**
 * Sets a new password from a reset link: the link is used up, every session of the account ends,
 * and the address it was sent to counts as confirmed. Of two concurrent uses exactly one wins.
 */
export async function resetPasswordWithLink(props: {
  db: Db;
  token: string;
  password: string;
  ip?: string;
}): Promise<PersonRow> {
  const { db } = props;
  await checkAccountToken(db, 'password_reset', props.token);
  const row = await db
    .selectFrom('account_tokens')
    .innerJoin('people', 'people.id', 'account_tokens.person_id')
    .select(['people.email', 'people.name', 'people.username'])
    .where('account_tokens.token_hash', '=', hashToken(props.token))
    .executeTakeFirst();
  const problem = passwordProblem(props.password, [row?.email, row?.name, row?.username]);
  if (problem) throw badRequest(`password: ${problem}`, 'password');
  const hash = await hashPassword(props.password);
  return db.transaction().execute(async (trx) => {
    const claim = await claimAccountToken(trx, 'password_reset', props.token);
    const person = await findPersonById(trx, claim.personId);
    if (!person || person.deleted_at || person.enabled !== 1) {
      throw conflict('token: This account is disabled. Ask an administrator.', 'token');
    }
    await updatePerson(trx, person.id, {
      password_hash: hash,
      ...(claim.email && claim.email === person.email && { verified: 1 }),
    });
    await deleteSessionsOf(trx, person.id);
    await recordAudit(trx, {
      actorId: person.id,
      action: 'person.password_reset_by_link',
      subjectType: 'person',
      subjectId: person.id,
      ip: props.ip,
    });
    return (await findPersonById(trx, person.id)) as PersonRow;
  });
}
