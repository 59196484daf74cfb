import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import { DEFAULT_PASSWORD_HASH_COST, MAX_PASSWORD_LENGTH } from '../../contract/auth.js';

/**
 * log2 of scrypt's N for new hashes (`auth.passwordHashCost`). 15 costs ~50-200 ms of CPU per hash
 * depending on the hardware: slow for a guesser, quick enough for a sign-in. Every hash records its
 * own N, r and p, so hashes made at an earlier cost still verify after it changes.
 */
const params = { r: 8, p: 1, keyLength: 32, maxmem: 64 * 1024 * 1024 };
let cost = DEFAULT_PASSWORD_HASH_COST;

/** Sets the cost of the hashes made from now on (the process's config, at start-up). */
export function configurePasswordHashing(passwordHashCost: number): void {
  if (passwordHashCost === cost) return;
  cost = passwordHashCost;
  // The decoy must cost what a real verification costs, or timing would tell the two apart.
  decoyHash = undefined;
}

export const MIN_PASSWORD_LENGTH = 8;
export { DEFAULT_PASSWORD_HASH_COST, MAX_PASSWORD_LENGTH };

/**
 * The 10,000 commonest leaked passwords, ranked; a password among them is refused. Read from the word
 * lists at the first new password rather than at start-up: loading them takes about a third of a
 * second of CPU, which every process that serves the app (and every test process) paid otherwise.
 */
let commonPasswords: Set<string> | undefined;
function isCommonPassword(lower: string): boolean {
  if (!commonPasswords) {
    const { dictionary } = createRequire(import.meta.url)(
      '@zxcvbn-ts/language-common',
    ) as typeof import('@zxcvbn-ts/language-common');
    commonPasswords = new Set((dictionary.passwords as string[]).slice(0, 10_000));
  }
  return commonPasswords.has(lower);
}

function scrypt(password: string, salt: Buffer, N: number, r: number, p: number, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(password.normalize('NFKC'), salt, length, { N, r, p, maxmem: params.maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const N = 2 ** cost;
  const key = await scrypt(password, salt, N, params.r, params.p, params.keyLength);
  return ['scrypt', N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await scrypt(
    password,
    Buffer.from(salt, 'base64url'),
    Number(n),
    Number(r),
    Number(p),
    expected.length,
  );
  return timingSafeEqual(actual, expected);
}

// Verifying against this when the account does not exist keeps both answers equally slow.
let decoyHash: Promise<string> | undefined;
export const decoyPasswordHash = (): Promise<string> => {
  decoyHash ??= hashPassword(randomBytes(12).toString('base64url'));
  return decoyHash;
};

/** Returns why a new password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, personal: Array<string | null | undefined> = []): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password.length > MAX_PASSWORD_LENGTH) return `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
  const lower = password.toLowerCase();
  if (isCommonPassword(lower)) return 'This password is one of the most common ones; choose another.';
  const words = personal.flatMap((text) =>
    (text ?? '')
      .toLowerCase()
      .replace(/@.*$/, '')
      .split(/[^\p{L}\p{N}]+/u),
  );
  if (words.some((word) => word.length >= 4 && lower.includes(word))) {
    return 'The password must not contain your name or e-mail.';
  }
  return null;
}
