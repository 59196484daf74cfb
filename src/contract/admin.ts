/** The admin's settings and people pages: what they send and what the API answers. Zod only. */
import { z } from 'zod';
import { adminPersonViewSchema, personRoles } from './people.js';

export const registrationPolicies = ['open', 'code', 'closed'] as const;
export type RegistrationPolicy = (typeof registrationPolicies)[number];

export const personActions = ['promote', 'demote', 'verify', 'disable', 'enable'] as const;
export type PersonAction = (typeof personActions)[number];

export const settingsViewSchema = z.object({
  registration: z.enum(registrationPolicies),
  verificationCode: z.string(),
  /** True for a code set before codes had to be strong: it still works, but should be replaced. */
  verificationCodeWeak: z.boolean(),
  /** Only members with a verified e-mail address can join groups and propose. */
  onlyVerifiedTakePart: z.boolean(),
  /** Whether account e-mails (invitations, reset and confirmation links) can be sent. */
  emailConfigured: z.boolean(),
});

export const updateSettingsBody = z
  .object({
    registration: z.enum(registrationPolicies).optional(),
    verificationCode: z
      .string()
      .trim()
      .min(1, 'is required')
      .max(64, 'must be at most 64 characters')
      .regex(/^[A-Za-z0-9-]+$/, 'may hold only letters, digits and dashes')
      .optional(),
    onlyVerifiedTakePart: z.boolean().optional(),
  })
  .strict();

export const peopleQuery = z
  .object({
    q: z.string().trim().max(100).optional(),
    role: z.enum(personRoles).optional(),
    state: z.enum(['enabled', 'disabled']).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

export const personActionParams = z.object({ id: z.string().min(1).max(64), action: z.enum(personActions) });

export const peoplePageSchema = z.object({ people: z.array(adminPersonViewSchema), total: z.number() });

export type SettingsView = z.infer<typeof settingsViewSchema>;
export type SettingsUpdate = z.input<typeof updateSettingsBody>;
export type PeopleQuery = z.input<typeof peopleQuery>;
export type PeoplePage = z.infer<typeof peoplePageSchema>;
