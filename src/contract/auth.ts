/** Signing up, signing in and one's own profile: what the web app sends and what the API answers. Zod only. */
import { z } from 'zod';
import { isValidTimeZone } from '../lib/time.js';
import { registrationPolicies } from './admin.js';

/** log2 of scrypt's N for new password hashes unless `auth.passwordHashCost` says otherwise. */
export const DEFAULT_PASSWORD_HASH_COST = 15;

/** Longer passwords are refused before hashing: scrypt's cost grows with the input. */
export const MAX_PASSWORD_LENGTH = 256;

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email('must be an e-mail address such as ada@example.org'));
export const nameSchema = z.string().trim().min(1, 'is required').max(120, 'must be at most 120 characters');
export const passwordSchema = z.string().max(MAX_PASSWORD_LENGTH, `must be at most ${MAX_PASSWORD_LENGTH} characters`);
export const timezoneSchema = z.string().refine(isValidTimeZone, 'must be an IANA time zone such as Europe/Paris');

export const signupBody = z
  .object({
    email: emailSchema,
    name: nameSchema,
    password: passwordSchema.optional(),
    verificationCode: z.string().trim().max(64).optional(),
    timezone: timezoneSchema.optional(),
  })
  .strict();

export const signinBody = z
  .object({
    email: z.string().trim().min(1, 'is required').max(254, 'must be at most 254 characters'),
    password: z.string().min(1, 'is required').max(MAX_PASSWORD_LENGTH),
  })
  .strict();

export const updateMeBody = z
  .object({
    name: nameSchema.optional(),
    timezone: timezoneSchema.optional(),
    /** Members not from the staff directory set these themselves (empty clears). */
    team: z.string().trim().max(120, 'must be at most 120 characters').optional(),
    title: z.string().trim().max(120, 'must be at most 120 characters').optional(),
    currentPassword: z.string().max(MAX_PASSWORD_LENGTH).optional(),
    newPassword: passwordSchema.optional(),
  })
  .strict();

export type SignupInput = z.infer<typeof signupBody>;
export type UpdateMeInput = z.infer<typeof updateMeBody>;

/** What the sign-up page needs: the registration policy and, for someone a trusted SSO proxy vouches for, a pre-fill. */
export const authOptionsSchema = z.object({
  registration: z.enum(registrationPolicies),
  /** Whether "Forgot password?" can send a link (e-mail is configured). */
  passwordReset: z.boolean(),
  sso: z.object({ username: z.string(), email: z.string().nullable(), name: z.string().nullable() }).nullable(),
});

export type AuthOptions = z.infer<typeof authOptionsSchema>;
