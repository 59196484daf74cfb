import type { Config } from '../../config.js';
import { recordAudit } from '../../db/audit.js';
import type { Db } from '../../db/database.js';
import { conflict } from '../../lib/errors.js';
import type { AccountLinkLimiter } from '../auth/rateLimit.js';
import { accountMailConfigured, sendAccountMail } from '../notifications/accountMail.js';
import type { PersonRow } from '../people/presenters.js';
import { findPersonById } from '../people/queries.js';
import { updatePerson } from '../people/service.js';
import { claimAccountToken, issueAccountToken } from './accountTokens.js';
import { linkUrl, VERIFICATION_SECONDS } from './links.js';

/**
 * Mails a person a link that confirms their address (open registration, when e-mail is configured).
 * Returns false when there is nothing to do: no e-mail configured, no address, already verified.
 */
export async function sendVerificationLink(props: {
  db: Db;
  config: Config;
  personId: string;
  ip?: string;
  limiter?: AccountLinkLimiter;
}): Promise<boolean> {
  const { db, config } = props;
  const person = await findPersonById(db, props.personId);
  if (!person?.email || person.verified === 1 || person.deleted_at) return false;
  if (!(await accountMailConfigured(db, config))) return false;
  if (props.limiter) await props.limiter.consume(props.ip ?? 'unknown', person.email);
  const email = person.email;
  const token = await db.transaction().execute(async (trx) => {
    const token = await issueAccountToken(trx, {
      purpose: 'email_verification',
      personId: person.id,
      email,
      seconds: VERIFICATION_SECONDS,
    });
    await recordAudit(trx, {
      actorId: person.id,
      action: 'person.verification_sent',
      subjectType: 'person',
      subjectId: person.id,
      ip: props.ip,
    });
    return token;
  });
  await sendAccountMail(db, config, {
    to: { name: person.name, email },
    subject: 'Confirm your e-mail address for Convene',
    lines: [`Welcome to Convene, ${person.name}.`, `Confirm that ${email} is your address to take part fully.`],
    action: { label: 'Confirm my address', url: linkUrl(config, 'verify-email', token) },
    after: ['The link works once, for three days.'],
  });
  return true;
}

/** Confirms the address a verification link was sent to, if it is still the person's address. */
export async function verifyEmailWithLink(props: { db: Db; token: string; ip?: string }): Promise<PersonRow> {
  return props.db.transaction().execute(async (trx) => {
    const claim = await claimAccountToken(trx, 'email_verification', props.token);
    const person = await findPersonById(trx, claim.personId);
    if (!person || person.deleted_at) throw conflict('token: This account no longer exists.', 'token');
    if (claim.email !== person.email) {
      throw conflict(
        'token: Your address changed since this link was sent. Ask for a new one on your profile.',
        'token',
      );
    }
    await updatePerson(trx, person.id, { verified: 1 });
    await recordAudit(trx, {
      actorId: person.id,
      action: 'person.email_verified',
      subjectType: 'person',
      subjectId: person.id,
      ip: props.ip,
    });
    return (await findPersonById(trx, person.id)) as PersonRow;
  });
}
