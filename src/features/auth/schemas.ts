import { z } from 'zod';
import { isValidTimeZone } from '../../lib/time.js';
import { normaliseEmail } from '../people/email.js';
import { MAX_PASSWORD_LENGTH } from './password.js';

export const emailSchema = z
  .string()
  .overwrite(normaliseEmail)
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
    currentPassword: z.string().max(MAX_PASSWORD_LENGTH).optional(),
    newPassword: passwordSchema.optional(),
  })
  .strict();

export type SignupInput = z.infer<typeof signupBody>;
export type UpdateMeInput = z.infer<typeof updateMeBody>;
