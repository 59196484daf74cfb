import { z } from 'zod';

export const selfViewSchema = z.object({
  id: z.string(),
  username: z.string(),
  email: z.string().nullable(),
  name: z.string(),
  title: z.string().nullable(),
  team: z.string().nullable(),
  avatarUrl: z.string().nullable(),
  timezone: z.string(),
  role: z.enum(['admin', 'member']),
  verified: z.boolean(),
  enabled: z.boolean(),
  createdAt: z.string(),
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
  directoryId: z.string().nullable(),
  directoryFields: z.array(z.string()),
});

export const personEnvelope = z.object({ person: selfViewSchema });
export const adminPersonEnvelope = z.object({ person: adminPersonViewSchema });
