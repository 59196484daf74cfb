/** Invitations, forgotten passwords and e-mail verification: what the web app sends and what the API answers. Zod only. */
import { z } from 'zod';
import { emailSchema, nameSchema, passwordSchema, timezoneSchema } from './auth.js';

export { emailSchema };

/** The most addresses one invitation request may hold (a pasted list or CSV). */
export const MAX_INVITATIONS = 500;
/** A link's secret: 256 random bits, base64url. Anything else is refused before any lookup. */
export const tokenSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{20,100}$/, 'is not a valid link: copy the whole link from the e-mail');

export const invitationStates = ['pending', 'accepted', 'expired', 'revoked'] as const;
export type InvitationState = (typeof invitationStates)[number];

export const inviteBody = z
  .object({
    /** One address, or a pasted list / CSV (one or more addresses per line; a header line is skipped). */
    emails: z.string().min(1, 'is required').max(100_000, 'must be at most 100,000 characters'),
    /** How long the links work, in days (default 7). */
    expiresInDays: z.number().int().min(1, 'must be at least 1').max(30, 'must be at most 30').optional(),
  })
  .strict();

export const invitationViewSchema = z.object({
  id: z.string(),
  email: z.string(),
  state: z.enum(invitationStates),
  invitedBy: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string(),
  lastSentAt: z.string().nullable(),
  sendCount: z.number(),
  acceptedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

export const inviteResultSchema = z.object({
  invited: z.array(invitationViewSchema),
  /** Addresses not invited, and why (already have an account). */
  skipped: z.array(z.object({ email: z.string(), reason: z.string() })),
  /** Whether the links went out by e-mail; when not, `links` holds them for the admin to pass on. */
  emailed: z.boolean(),
  mailError: z.string().nullable(),
  links: z.array(z.object({ email: z.string(), url: z.string() })),
});

export const invitationsQuery = z
  .object({
    state: z.enum(invitationStates).optional(),
    q: z.string().trim().max(100).optional(),
  })
  .strict();

export const invitationsPageSchema = z.object({ invitations: z.array(invitationViewSchema) });
export const invitationParams = z.object({ id: z.string().min(1).max(64) });
export const invitationEnvelope = z.object({
  invitation: invitationViewSchema,
  emailed: z.boolean(),
  mailError: z.string().nullable(),
  /** The new link, when it could not be e-mailed. */
  link: z.string().nullable(),
});

export const tokenBody = z.object({ token: tokenSchema }).strict();
export const invitationLookupSchema = z.object({ email: z.string(), expiresAt: z.string() });

export const acceptInvitationBody = z
  .object({
    token: tokenSchema,
    name: nameSchema,
    password: passwordSchema,
    timezone: timezoneSchema.optional(),
  })
  .strict();

export const forgotPasswordBody = z
  .object({ email: z.string().trim().min(1, 'is required').max(254, 'must be at most 254 characters') })
  .strict();

export const resetPasswordBody = z.object({ token: tokenSchema, password: passwordSchema }).strict();

export const messageSchema = z.object({ message: z.string() });

export type InviteInput = z.infer<typeof inviteBody>;
export type InvitationView = z.infer<typeof invitationViewSchema>;
export type InviteResult = z.infer<typeof inviteResultSchema>;
export type InvitationsQuery = z.input<typeof invitationsQuery>;
export type AcceptInvitationInput = z.infer<typeof acceptInvitationBody>;
