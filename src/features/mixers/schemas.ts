import { z } from 'zod';
import { eligibilitySchema } from './eligibility.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-01-31');

export const groupFields = z.object({
  name: z.string().trim().min(1, 'is required').max(80, 'must be at most 80 characters'),
  description: z.string().trim().max(2000, 'must be at most 2000 characters').default(''),
  cron: z.string().trim().min(1, 'is required').max(100),
  timezone: z.string().trim().min(1).max(64).default('UTC'),
  everyWeeks: z.coerce.number().int().min(1, 'must be 1 or more').max(52, 'must be at most 52').default(1),
  anchorDate: isoDate.nullable().default(null),
  size: z.union([z.literal(2), z.literal(3)], 'must be 2 or 3').default(2),
  oddPolicy: z.enum(['trio', 'sit_out']).default('trio'),
  eligibility: eligibilitySchema.default({ kind: 'everyone' }),
  membership: z.enum(['open', 'admin', 'auto']).default('open'),
  introTemplate: z.string().max(5000, 'must be at most 5000 characters').nullable().default(null),
});

export const createGroupBody = groupFields.strict();
export const updateGroupBody = groupFields.partial().extend({ archived: z.boolean().optional() }).strict();
export type CreateGroupInput = z.infer<typeof createGroupBody>;
export type UpdateGroupInput = z.infer<typeof updateGroupBody>;

export const onBehalfOf = z.object({ personId: z.string().min(1).max(64).optional() }).strict();
export const pauseBody = z.object({ until: isoDate, personId: z.string().min(1).max(64).optional() }).strict();
export const runRoundBody = z.object({ dryRun: z.boolean().default(false) }).strict();

const memberView = z.object({
  id: z.string(),
  username: z.string(),
  name: z.string(),
  title: z.string().nullable(),
  team: z.string().nullable(),
  avatarUrl: z.string().nullable(),
});

export const groupViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  size: z.union([z.literal(2), z.literal(3)]),
  oddPolicy: z.enum(['trio', 'sit_out']),
  membership: z.enum(['open', 'admin', 'auto']),
  eligibility: z.string(),
  cron: z.string(),
  timezone: z.string(),
  everyWeeks: z.number(),
  anchorDate: z.string().nullable(),
  archived: z.boolean(),
  memberCount: z.number(),
  nextRoundAt: z.string().nullable(),
  eligible: z.boolean(),
  status: z.enum(['active', 'paused', 'left']).nullable(),
  pausedUntil: z.string().nullable(),
  skippingNext: z.boolean(),
});

export const groupEnvelope = z.object({ group: groupViewSchema });
export const groupsEnvelope = z.object({ groups: z.array(groupViewSchema) });
export const matchesEnvelope = z.object({
  matches: z.array(
    z.object({
      meetingId: z.string(),
      groupId: z.string(),
      groupName: z.string(),
      scheduledFor: z.string(),
      status: z.string(),
      current: z.boolean(),
      partners: z.array(memberView),
    }),
  ),
});
/** Admin-only answers whose shape is documented in docs/API.md rather than enforced here. */
export const looseEnvelope = z.looseObject({});
