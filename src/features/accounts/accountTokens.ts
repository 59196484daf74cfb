import type { Executor } from '../../db/database.js';
import type { AccountTokenPurpose } from '../../db/schema.js';
import { badRequest, conflict, notFound } from '../../lib/errors.js';
import { hashToken } from '../../lib/ids.js';
import { addSeconds, nowIso, toIso } from '../../lib/time.js';
import { newLinkToken } from './links.js';

/** Stores a new one-time link for this person; earlier unused links of the same purpose stop working. */
export async function issueAccountToken(
  db: Executor,
  props: { purpose: AccountTokenPurpose; personId: string; email: string | null; seconds: number },
): Promise<string> {
  const { token, hash } = newLinkToken();
  const now = new Date();
  await db
    .updateTable('account_tokens')
    .set({ used_at: toIso(now) })
    .where('person_id', '=', props.personId)
    .where('purpose', '=', props.purpose)
    .where('used_at', 'is', null)
    .execute();
  await db
    .insertInto('account_tokens')
    .values({
      token_hash: hash,
      purpose: props.purpose,
      person_id: props.personId,
      email: props.email,
      created_at: toIso(now),
      expires_at: toIso(addSeconds(now, props.seconds)),
      used_at: null,
    })
    .execute();
  return token;
}

const WORDS: Record<AccountTokenPurpose, { what: string; again: string }> = {
  password_reset: { what: 'password reset link', again: 'Ask for a new one on the sign-in page.' },
  email_verification: { what: 'confirmation link', again: 'Ask for a new one on your profile page.' },
};

/**
 * Uses a one-time link: one conditional update claims it, so of two concurrent uses exactly one
 * succeeds. Unknown, tampered and other-purpose tokens are refused alike; used and expired ones
 * say so. Returns the person and the address the link was issued for.
 */
export async function claimAccountToken(
  db: Executor,
  purpose: AccountTokenPurpose,
  token: string,
): Promise<{ personId: string; email: string | null }> {
  const hash = hashToken(token);
  const now = nowIso();
  const claimed = await db
    .updateTable('account_tokens')
    .set({ used_at: now })
    .where('token_hash', '=', hash)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  const row = await db
    .selectFrom('account_tokens')
    .selectAll()
    .where('token_hash', '=', hash)
    .where('purpose', '=', purpose)
    .executeTakeFirst();
  const words = WORDS[purpose];
  if (!row) throw notFound(`This ${words.what} is not valid. Check that you copied the whole link. ${words.again}`);
  if (Number(claimed.numUpdatedRows) !== 1) {
    // Claims only take unexpired links, so a used one was used in time, even by a use in this same
    // millisecond (two people racing for one link: the loser hears "already used", not "expired").
    if (row.used_at) throw conflict(`token: This ${words.what} was already used. ${words.again}`, 'token');
    throw badRequest(`token: This ${words.what} has expired. ${words.again}`, 'token');
  }
  return { personId: row.person_id, email: row.email };
}

/** Whether a link is still usable, without using it (the page checks before asking for a password). */
export async function checkAccountToken(db: Executor, purpose: AccountTokenPurpose, token: string): Promise<void> {
  const row = await db
    .selectFrom('account_tokens')
    .selectAll()
    .where('token_hash', '=', hashToken(token))
    .where('purpose', '=', purpose)
    .executeTakeFirst();
  const words = WORDS[purpose];
  if (!row) throw notFound(`This ${words.what} is not valid. Check that you copied the whole link. ${words.again}`);
  if (row.used_at) throw conflict(`token: This ${words.what} was already used. ${words.again}`, 'token');
  if (row.expires_at <= nowIso()) throw badRequest(`token: This ${words.what} has expired. ${words.again}`, 'token');
}
