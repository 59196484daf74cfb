import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { type RegistrationPolicy, registrationPolicies } from '../../contract/admin.js';
import { recordAudit } from '../../db/audit.js';
import type { Db, Executor } from '../../db/database.js';
import { badRequest } from '../../lib/errors.js';
import { isSealed, seal, secretsKeyId, unseal } from '../../lib/secretBox.js';

export { type RegistrationPolicy, registrationPolicies };

export interface Settings {
  registration: RegistrationPolicy;
  verificationCode: string;
  /** Only members whose e-mail address is verified can join groups and propose (people/participation.ts). */
  onlyVerifiedTakePart: boolean;
}

const settingSchemas = {
  registration: z.enum(registrationPolicies),
  verificationCode: z.string(),
  onlyVerifiedTakePart: z.boolean(),
} satisfies { [K in keyof Settings]: z.ZodType<Settings[K]> };

const defaults = (): Settings => ({
  registration: 'open',
  verificationCode: newVerificationCode(),
  onlyVerifiedTakePart: false,
});

export const MIN_CODE_CHARACTERS = 8;
const MIN_DISTINCT_CHARACTERS = 5;

/**
 * Why a registration code is too easy to guess, or null. Codes are compared ignoring case and
 * dashes are only for reading aloud, so what counts is letters and digits: at least eight of
 * them (about 40 bits when random), not mostly the same few. Wrong guesses are also rate-limited
 * (auth/rateLimit.ts); together that puts guessing out of reach.
 */
export function verificationCodeProblem(code: string): string | null {
  const characters = code.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (characters.length < MIN_CODE_CHARACTERS)
    return `is too easy to guess: use at least ${MIN_CODE_CHARACTERS} letters or digits (a generated code is best)`;
  if (new Set(characters).size < MIN_DISTINCT_CHARACTERS)
    return `is too easy to guess: use at least ${MIN_DISTINCT_CHARACTERS} different letters or digits (a generated code is best)`;
  return null;
}

/**
 * Eight characters from an alphabet without look-alikes, easy to read out to a room: 40 bits (32
 * letters and digits, so `byte % 32` is unbiased). About one draw in 750 repeats itself too much
 * to pass `verificationCodeProblem`; it is drawn again.
 */
export function newVerificationCode(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  for (;;) {
    const code = Array.from(randomBytes(8), (byte) => alphabet[byte % alphabet.length]).join('');
    if (!verificationCodeProblem(code)) return code;
  }
}

export async function getSettings(db: Executor): Promise<Settings> {
  const rows = await db.selectFrom('settings').selectAll().execute();
  const stored = new Map(rows.map((row) => [row.key, row.value]));
  const result = defaults();
  for (const key of Object.keys(settingSchemas) as Array<keyof Settings>) {
    const raw = stored.get(key);
    if (raw === undefined) continue;
    const parsed = settingSchemas[key].safeParse(JSON.parse(raw));
    if (parsed.success) (result as unknown as Record<string, unknown>)[key] = parsed.data;
  }
  return result;
}

async function writeSettings(db: Executor, values: Partial<Settings>): Promise<void> {
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    await db
      .insertInto('settings')
      .values({ key, value: JSON.stringify(value) })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value) }))
      .execute();
  }
}

/**
 * The key that signs links sent out in messages (follow-up answers): made once, shared by every
 * process through the database, never shown by any endpoint. Stored sealed like the channel
 * credentials (lib/secretBox.ts) when CONVENE_SECRETS_KEY is set; a value stored before that is
 * sealed at the next start (`ensureSettings`) or by `convene secrets rotate`.
 */
export async function signingKey(db: Executor): Promise<Buffer> {
  const stored = await storedSigningKey(db);
  if (stored !== undefined) return Buffer.from(unseal(stored, SIGNING_KEY_BINDING), 'base64url');
  const made = seal(randomBytes(32).toString('base64url'), SIGNING_KEY_BINDING);
  await db
    .insertInto('settings')
    .values({ key: 'signingKey', value: JSON.stringify(made) })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return signingKey(db);
}

/** What the sealed signing key is bound to (and named by in a message about a missing key). */
const SIGNING_KEY_BINDING = 'link signing key';

async function storedSigningKey(db: Executor): Promise<string | undefined> {
  const found = await db.selectFrom('settings').select('value').where('key', '=', 'signingKey').executeTakeFirst();
  return found && (JSON.parse(found.value) as string);
}

/**
 * Seals the stored signing key with the current key: a plain one (stored before a key was set) or,
 * with `underPreviousKeys`, one sealed with a previous key (rotation). Conditional on the value it
 * read, so two processes starting at once write it once. True when it wrote.
 */
export async function resealSigningKey(db: Executor, options: { underPreviousKeys: boolean }): Promise<boolean> {
  const keyId = secretsKeyId();
  const stored = await storedSigningKey(db);
  if (!keyId || stored === undefined) return false;
  if (isSealed(stored) && !options.underPreviousKeys) return false;
  const value = JSON.stringify(seal(unseal(stored, SIGNING_KEY_BINDING), SIGNING_KEY_BINDING));
  const result = await db
    .updateTable('settings')
    .set({ value })
    .where('key', '=', 'signingKey')
    .where('value', '=', JSON.stringify(stored))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** First run: fix the random verification code so every process shows the same one. */
export async function ensureSettings(db: Executor): Promise<void> {
  await signingKey(db);
  await resealSigningKey(db, { underPreviousKeys: false });
  const existing = await db
    .selectFrom('settings')
    .select('key')
    .where('key', '=', 'verificationCode')
    .executeTakeFirst();
  if (existing) return;
  await db
    .insertInto('settings')
    .values({ key: 'verificationCode', value: JSON.stringify(newVerificationCode()) })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}

export async function updateSettings(props: {
  db: Db;
  actorId: string;
  changes: Partial<Settings>;
}): Promise<Settings> {
  // A weak code already stored keeps working (the admin page says it is weak); a new one must not be.
  const code = props.changes.verificationCode;
  const problem = code === undefined ? null : verificationCodeProblem(code);
  if (problem) throw badRequest(`verificationCode: ${problem}`, 'verificationCode');
  return props.db.transaction().execute(async (trx) => {
    await writeSettings(trx, props.changes);
    await recordAudit(trx, {
      actorId: props.actorId,
      action: 'settings.update',
      // The code itself is a secret of sorts: record that it changed, not its value.
      data: { keys: Object.keys(props.changes) },
    });
    return getSettings(trx);
  });
}
