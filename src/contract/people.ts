/** What the API answers about people, for each audience (self, member, admin). Zod only: the web app reads it too. */
import { z } from 'zod';

export const personRoles = ['admin', 'member'] as const;

/** The signed-in person's own view (SelfView). */
export const selfViewSchema = z.object({
  id: z.string(),
  username: z.string(),
  email: z.string().nullable(),
  name: z.string(),
  title: z.string().nullable(),
  team: z.string().nullable(),
  avatarUrl: z.string().nullable(),
  timezone: z.string(),
  role: z.enum(personRoles),
  verified: z.boolean(),
  enabled: z.boolean(),
  createdAt: z.string(),
  /** Whether the person chose or confirmed their timezone (else the web app offers the browser's, once). */
  timezoneConfirmed: z.boolean(),
});

/** What any member may see of another (MemberPersonView): never an e-mail address or login details. */
export const memberPersonViewSchema = z.object({
  id: z.string(),
  username: z.string(),
  name: z.string(),
  title: z.string().nullable(),
  team: z.string().nullable(),
  avatarUrl: z.string().nullable(),
});

export const adminPersonViewSchema = selfViewSchema.extend({
  isManager: z.boolean(),
  lastSigninAt: z.string().nullable(),
  hasPassword: z.boolean(),
  managerUsername: z.string().nullable(),
  /** The person's id in the staff directory; null for people who are not from it. */
  directoryId: z.string().nullable(),
  /** Fields the next directory import overwrites (see the README's rule for directory people). */
  directoryFields: z.array(z.string()),
});

export const personEnvelope = z.object({ person: selfViewSchema });
export const adminPersonEnvelope = z.object({ person: adminPersonViewSchema });

export type Role = (typeof personRoles)[number];
export type SelfView = z.infer<typeof selfViewSchema>;
export type MemberPersonView = z.infer<typeof memberPersonViewSchema>;
export type AdminPersonView = z.infer<typeof adminPersonViewSchema>;
