import { z } from 'zod';
import { TEMPLATE_MAX_LENGTH, templateProblem } from '../notifications/templates.js';
import { memberPersonViewSchema } from '../people/schemas.js';
import { eligibilitySchema } from './eligibility.js';

/** A message template: checked when saved, so a typo never reaches anyone's inbox as blank text. */
const messageTemplate = z
  .string()
  .max(TEMPLATE_MAX_LENGTH, `must be at most ${TEMPLATE_MAX_LENGTH} characters`)
  .superRefine((text, ctx) => {
    const problem = templateProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .nullable();

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
  introTemplate: messageTemplate,
  reminderTemplate: messageTemplate,
  followUpTemplate: messageTemplate,
  reminderMinutes: z.coerce.number().int().min(0, 'must be 0 or more').max(1440, 'must be at most 1440 (a day)'),
  followUpDays: z.coerce.number().int().min(1, 'must be 1 or more').max(60, 'must be at most 60').nullable(),
  chatChannel: z
    .string()
    .trim()
    .regex(/^(slack|mattermost):[A-Za-z0-9_-]{1,80}$/, 'must look like slack:C0123ABC or mattermost:<channel id>')
    .nullable(),
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
    reminderTemplate: groupSettings.reminderTemplate.default(null),
    followUpTemplate: groupSettings.followUpTemplate.default(null),
    reminderMinutes: groupSettings.reminderMinutes.default(15),
    followUpDays: groupSettings.followUpDays.default(null),
    chatChannel: groupSettings.chatChannel.default(null),
  })
  .strict();
export const updateGroupBody = z.object(groupSettings).partial().extend({ archived: z.boolean().optional() }).strict();
type MessageSettings = 'reminderTemplate' | 'followUpTemplate' | 'reminderMinutes' | 'followUpDays' | 'chatChannel';
/** Callers that predate message settings (demo, imports) may leave them out: the defaults apply. */
export type CreateGroupInput = Omit<z.infer<typeof createGroupBody>, MessageSettings> &
  Partial<Pick<z.infer<typeof createGroupBody>, MessageSettings>>;
export type UpdateGroupInput = z.infer<typeof updateGroupBody>;

export const onBehalfOf = z.object({ personId: z.string().min(1).max(64).optional() }).strict();
export const pauseBody = z.object({ until: isoDate, personId: z.string().min(1).max(64).optional() }).strict();
export const runRoundBody = z
  .object({
    dryRun: z.boolean().default(false),
    /** The seed of a dry run, so the saved round is the one that was previewed. */
    seed: z.string().trim().min(1).max(64).optional(),
    /** Confirms a round within the group's usual interval of the last one (else 409, field "force"). */
    force: z.boolean().default(false),
  })
  .strict();

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
  reminderTemplate: z.string().nullable(),
  followUpTemplate: z.string().nullable(),
  reminderMinutes: z.number(),
  followUpDays: z.number().nullable(),
  chatChannel: z.string().nullable(),
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
      partners: z.array(memberPersonViewSchema),
    }),
  ),
});

const personBrief = z.object({ id: z.string(), name: z.string(), username: z.string() });
export const assistantEnvelope = z.object({ assistant: personBrief.nullable() });
export const assistingEnvelope = z.object({ people: z.array(personBrief), assistant: personBrief.nullable() });

export const groupMemberViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  username: z.string(),
  team: z.string().nullable(),
  title: z.string().nullable(),
  enabled: z.boolean(),
  status: z.enum(['active', 'paused', 'left']),
  pausedUntil: z.string().nullable(),
  joinedAt: z.string(),
});
export const membersEnvelope = z.object({ members: z.array(groupMemberViewSchema) });

export const exportedRoundSchema = z.object({
  roundId: z.string(),
  scheduledFor: z.string(),
  seed: z.string(),
  meetings: z.array(z.object({ meetingId: z.string(), status: z.string(), participants: z.array(z.string()) })),
  satOut: z.array(z.string()),
});
export const roundsEnvelope = z.object({ rounds: z.array(exportedRoundSchema) });

const roundPerson = z.object({ id: z.string(), username: z.string(), name: z.string(), team: z.string().nullable() });
export const roundOutcomeSchema = z.object({
  created: z.boolean(),
  dryRun: z.boolean(),
  roundId: z.string().nullable(),
  groupId: z.string(),
  scheduledFor: z.string(),
  seed: z.string(),
  groups: z.array(z.array(roundPerson)),
  sittingOut: z.array(roundPerson),
  stats: z.object({
    members: z.number(),
    pairs: z.number(),
    trios: z.number(),
    satOut: z.number(),
    skipped: z.number(),
    repeatPairs: z.number(),
    sameTeamPairs: z.number(),
    managerReportPairs: z.number(),
  }),
});
export const roundEnvelope = z.object({ round: roundOutcomeSchema });

export const groupStatsSchema = z.object({
  rounds: z.number(),
  meetings: z.number(),
  participation: z.number(),
  repeatPairRate: z.number(),
  crossTeamRate: z.number(),
  series: z.array(
    z.object({
      scheduledFor: z.string(),
      members: z.number(),
      participation: z.number(),
      repeatRate: z.number(),
      crossTeamRate: z.number(),
    }),
  ),
  followUps: z.object({ answers: z.number(), met: z.number(), answeredMeetings: z.number(), metRate: z.number() }),
});
export const statsEnvelope = z.object({ stats: groupStatsSchema });
