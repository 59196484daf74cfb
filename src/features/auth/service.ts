import { randomBytes } from 'node:crypto';
import { recordAudit } from '../../db/audit.js';
import type { Db } from '../../db/database.js';
import { isUniqueViolation } from '../../db/errors.js';
import { AppError, badRequest, conflict, forbidden, unauthorized } from '../../lib/errors.js';
import { constantTimeEqual } from '../../lib/ids.js';
import { nowIso } from '../../lib/time.js';
import { DIRECTORY_SOURCE } from '../directory/source.js';
import type { PersonRow } from '../people/presenters.js';
import {
  anyAdmin,
  externalIdsOfPeople,
  findPersonByEmail,
  findPersonById,
  findPersonByLogin,
} from '../people/queries.js';
import { createPerson, updatePerson } from '../people/service.js';
import { getSettings } from '../settings/service.js';
import { decoyPasswordHash, hashPassword, passwordProblem, verifyPassword } from './password.js';
import { type SigninLimiter, signinAccountKey, type VerificationCodeLimiter } from './rateLimit.js';
import type { SignupInput, UpdateMeInput } from './schemas.js';
import { deleteSessionsOf } from './sessions.js';

const GENERIC_SIGNIN_FAILURE = 'That e-mail or password is not right.';
const emailTaken = () => conflict('email: An account with this e-mail already exists. Sign in instead.', 'email');

/**
 * Creates a member account. `ssoUsername` is set when a trusted proxy vouched for the person: the
 * username then comes from the proxy and no password is needed.
 */
export async function signUp(props: {
  db: Db;
  input: SignupInput;
  ip?: string;
  ssoUsername?: string;
  defaultTimezone: string;
  /** Bounds guesses at the registration code (the HTTP route always passes one). */
  codeLimiter?: VerificationCodeLimiter;
}): Promise<PersonRow> {
  const { db, input } = props;
  const settings = await getSettings(db);
  if (!props.ssoUsername) {
    if (settings.registration === 'closed') {
      throw forbidden('Registration is closed. Ask an administrator to invite you.');
    }
    if (settings.registration === 'code') {
      const given = input.verificationCode?.trim().toUpperCase() ?? '';
      if (!given) throw badRequest('verificationCode: is required to register here.', 'verificationCode');
      const current = settings.verificationCode.toUpperCase();
      const ip = props.ip ?? 'unknown';
      await props.codeLimiter?.admit(ip, current);
      if (!constantTimeEqual(given, current)) {
        await props.codeLimiter?.failed(ip, current);
        throw badRequest('verificationCode: is not the current code. Ask an organiser for it.', 'verificationCode');
      }
    }
    if (!input.password) throw badRequest('password: is required', 'password');
  }
  if (input.password !== undefined) {
    const problem = passwordProblem(input.password, [input.email, input.name]);
    if (problem) throw badRequest(`password: ${problem}`, 'password');
  }
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  try {
    return await db.transaction().execute(async (trx) => {
      if (await findPersonByEmail(trx, input.email)) throw emailTaken();
      const person = await createPerson(trx, {
        username: props.ssoUsername,
        email: input.email,
        name: input.name,
        timezone: input.timezone ?? props.defaultTimezone,
        // A code or a trusted proxy vouches for the person; open registration does not.
        verified: props.ssoUsername || settings.registration === 'code' ? 1 : 0,
        password_hash: passwordHash,
        signup_ip: props.ip ?? null,
        last_signin_at: nowIso(),
      }).catch((error: unknown) => {
        throw error instanceof AppError && error.field === 'email' ? emailTaken() : error;
      });
      await recordAudit(trx, {
        actorId: person.id,
        action: 'person.signup',
        subjectType: 'person',
        subjectId: person.id,
      });
      return person;
    });
  } catch (error) {
    // Two concurrent sign-ups with one address: the unique index decides, the loser gets a 409.
    if (isUniqueViolation(error)) throw emailTaken();
    throw error;
  }
}

export async function signIn(props: {
  db: Db;
  login: string;
  password: string;
  ip: string;
  limiter: SigninLimiter;
}): Promise<PersonRow> {
  const { db, limiter } = props;
  await limiter.admitAddress(props.ip);
  const person = await findPersonByLogin(db, props.login);
  const account = signinAccountKey(person, props.login);
  await limiter.admitAccount(account);
  const ok = await verifyPassword(props.password, person?.password_hash ?? (await decoyPasswordHash()));
  if (!person || !person.password_hash || !ok) {
    await limiter.failed(account);
    throw unauthorized(GENERIC_SIGNIN_FAILURE);
  }
  // Said only to someone who knows the password, so it reveals nothing to anyone guessing.
  if (person.enabled !== 1) {
    await limiter.failed(account);
    throw forbidden('This account is disabled. Ask an administrator to enable it again.');
  }
  await limiter.succeeded(account);
  await updatePerson(db, person.id, { last_signin_at: nowIso() });
  return person;
}

export async function updateProfile(props: {
  db: Db;
  personId: string;
  sessionId?: string;
  input: UpdateMeInput;
}): Promise<PersonRow> {
  const { db, input } = props;
  const person = await findPersonById(db, props.personId);
  if (!person) throw unauthorized();
  let passwordHash: string | undefined;
  if (input.newPassword !== undefined) {
    if (person.password_hash) {
      if (!input.currentPassword)
        throw badRequest('currentPassword: is required to change the password', 'currentPassword');
      if (!(await verifyPassword(input.currentPassword, person.password_hash))) {
        throw badRequest('currentPassword: is not right', 'currentPassword');
      }
    }
    const problem = passwordProblem(input.newPassword, [person.email, person.name, person.username]);
    if (problem) throw badRequest(`newPassword: ${problem}`, 'newPassword');
    passwordHash = await hashPassword(input.newPassword);
  }
  if (input.team !== undefined || input.title !== undefined) {
    const fromDirectory = (await externalIdsOfPeople(db, DIRECTORY_SOURCE, [person.id])).has(person.id);
    const field = input.team !== undefined ? 'team' : 'title';
    if (fromDirectory) {
      throw badRequest(`${field}: comes from the staff directory; ask whoever keeps the directory to change it`, field);
    }
  }
  return db.transaction().execute(async (trx) => {
    await updatePerson(trx, person.id, {
      ...(input.name !== undefined && { name: input.name }),
      ...(input.timezone !== undefined && { timezone: input.timezone, timezone_confirmed: 1 }),
      ...(input.team !== undefined && { team: input.team || null }),
      ...(input.title !== undefined && { title: input.title || null }),
      ...(passwordHash !== undefined && { password_hash: passwordHash }),
    });
    if (passwordHash !== undefined) {
      // A changed password ends every other session: whoever knew the old one is out.
      await deleteSessionsOf(trx, person.id, props.sessionId);
    }
    await recordAudit(trx, {
      actorId: person.id,
      action: 'person.update_profile',
      subjectType: 'person',
      subjectId: person.id,
      data: {
        fields: Object.keys(input).filter((key) => key !== 'currentPassword' && key !== 'newPassword'),
        passwordChanged: passwordHash !== undefined,
      },
    });
    const updated = await findPersonById(trx, person.id);
    if (!updated) throw new AppError('not_found', 'Your account no longer exists.');
    return updated;
  });
}

export const randomPassword = (): string => randomBytes(15).toString('base64url');

/**
 * First run: creates the `admin` account when no administrator exists. Returns the password when
 * it was generated, so the caller can show it once.
 */
export async function ensureAdmin(props: {
  db: Db;
  password?: string;
  defaultTimezone: string;
}): Promise<{ created: boolean; generatedPassword?: string }> {
  const { db } = props;
  if (await anyAdmin(db)) return { created: false };
  const password = props.password ?? randomPassword();
  const hash = await hashPassword(password);
  try {
    await db.transaction().execute(async (trx) => {
      const admin = await createPerson(trx, {
        username: 'admin',
        email: null,
        name: 'Administrator',
        timezone: props.defaultTimezone,
        role: 'admin',
        verified: 1,
        password_hash: hash,
      });
      await recordAudit(trx, { actorId: null, action: 'admin.created', subjectType: 'person', subjectId: admin.id });
    });
  } catch (error) {
    // Another process created it at the same moment (two instances starting together).
    if (error instanceof AppError && error.code === 'conflict') return { created: false };
    throw error;
  }
  return { created: true, generatedPassword: props.password ? undefined : password };
}

/** `convene admin reset-password`: a new random password, and every session of that account ends. */
export async function resetPassword(props: { db: Db; username: string }): Promise<string> {
  const { db } = props;
  const person = await findPersonByLogin(db, props.username);
  if (!person) throw badRequest(`username: no account named "${props.username}"`, 'username');
  const password = randomPassword();
  const hash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    await updatePerson(trx, person.id, { password_hash: hash });
    await deleteSessionsOf(trx, person.id);
    await recordAudit(trx, {
      actorId: null,
      action: 'person.password_reset',
      subjectType: 'person',
      subjectId: person.id,
    });
  });
  return password;
}
