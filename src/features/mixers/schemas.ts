import { z } from 'zod';
import { eligibilitySchema } from './eligibility.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-01-31');

/** Every group setting, with no defaults: an update must change only what it names. */
const groupSettings = {
  name: z.string().trim().min(1, 'is required').max(80, 'must be at most 80 characters'),
  description: z.string().trim().max(2000, 'must be at most 2000 characters'),
  cron: z.string().trim().min(1, 'is required').max(100),
  timezone: z.string().trim().min(1).max(64),
  everyWeeks: z.coerce.number().int().min(1, 'must be 1 or more').max(52, 'must be at most 52'),
  anchorDate: isoDate.nullable(),
  size: z.union([z.literal(2), z.literal(3)], 'must be 2 or 3'),
  oddPolicy: z.enum(['trio', 'sit_out']),
  eligibility: eligibilitySchema,
  membership: z.enum(['open', 'admin', 'auto']),
  introTemplate: z.string().max(5000, 'must be at most 5000 characters').nullable(),
};

export const createGroupBody = z
  .object({
    ...groupSettings,
    description: groupSettings.description.default(''),
    timezone: groupSettings.timezone.default('UTC'),
    everyWeeks: groupSettings.everyWeeks.default(1),
    anchorDate: groupSettings.anchorDate.default(null),
    size: groupSettings.size.default(2),
    oddPolicy: groupSettings.oddPolicy.default('trio'),
    eligibility: groupSettings.eligibility.default({ kind: 'everyone' }),
    membership: groupSettings.membership.default('open'),
    introTemplate: groupSettings.introTemplate.default(null),
  })
  .strict();
export const updateGroupBody = z.object(groupSettings).partial().extend({ archived: z.boolean().optional() }).strict();
export type CreateGroupInput = z.infer<typeof createGroupBody>;
export type UpdateGroupInput = z.infer<typeof updateGroupBody>;

export const onBehalfOf = z.object({ personId: z.string().min(1).max(64).optional() }).strict();
export const pauseBody = z.object({ until: isoDate, personId: z.string().min(1).max(64).optional() }).strict();
export const runRoundBody = z
  .object({
    dryRun: z.boolean().default(false),
    /** The seed of a dry run, so the saved round is the one that was previewed. */
    seed: z.string().trim().min(1).max(64).optional(),
  })
  .strict();

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
  eligibilityRule: eligibilitySchema,
  introTemplate: z.string().nullable(),
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
