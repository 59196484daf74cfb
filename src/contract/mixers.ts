/** Mixers: groups, membership, matches, assistants, rounds and stats: what the web app sends and what the API answers. Zod only. */
import { z } from 'zod';
import { memberPersonViewSchema } from './people.js';

/** Longest message template; the server also checks a template's syntax when it is saved. */
export const TEMPLATE_MAX_LENGTH = 2000;

export const groupSizes = [2, 3] as const;
export const oddPolicies = ['trio', 'sit_out'] as const;
export const membershipModes = ['open', 'admin', 'auto'] as const;
export const memberStatuses = ['active', 'paused', 'left'] as const;
/** The membership routes (`POST /mixers/groups/:id/<action>`), besides pause, which takes a date. */
export const membershipActions = ['join', 'leave', 'skip', 'resume'] as const;

const id = z.string().min(1).max(64);
const groupSize = z.union([z.literal(2), z.literal(3)], 'must be 2 or 3');
const oddPolicy = z.enum(oddPolicies);
const membershipMode = z.enum(membershipModes);
const memberStatus = z.enum(memberStatuses);

/** Who may be in a group. */
export const eligibilitySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('everyone') }).strict(),
  z.object({ kind: z.literal('managers') }).strict(),
  z
    .object({
      kind: z.literal('teams'),
      teams: z.array(z.string().trim().min(1).max(100)).min(1, 'name at least one team').max(200),
    })
    .strict(),
]);

/** The shape of a template; its Mustache syntax is checked by the server (features/mixers/schemas.ts). */
export const messageTemplate = z
  .string()
  .max(TEMPLATE_MAX_LENGTH, `must be at most ${TEMPLATE_MAX_LENGTH} characters`)
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
  size: groupSize,
  oddPolicy,
  eligibility: eligibilitySchema,
  membership: membershipMode,
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

export const groupParams = z.object({ id });
/** `personId`: whose mixers (an admin, or someone's assistant); absent, one's own. */
export const forQuery = z.object({ personId: id.optional() }).strict();
export const groupsQuery = forQuery.extend({ archived: z.enum(['true', 'false']).optional() }).strict();
export const onBehalfOf = z.object({ personId: id.optional() }).strict();
export const pauseBody = z.object({ until: isoDate, personId: id.optional() }).strict();
export const addMemberBody = z.object({ personId: id }).strict();
/** Null removes one's assistant. */
export const assistantBody = z.object({ username: z.string().trim().min(1).max(100).nullable() }).strict();
export const runRoundBody = z
  .object({
    dryRun: z.boolean().default(false),
    /** The seed of a dry run, so the saved round is the one that was previewed. */
    seed: z.string().trim().min(1).max(64).optional(),
    /** Confirms a round within the group's usual interval of the last one (else 409, field "force"). */
    force: z.boolean().default(false),
  })
  .strict();

// Responses: exactly the fields that leave the server. Zod drops anything else.

/** A group as seen for one person (oneself, or someone who named the viewer their assistant). */
export const groupViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  size: z.union([z.literal(2), z.literal(3)]),
  oddPolicy,
  membership: membershipMode,
  /** Already in words: "Everyone", "Managers only", "Teams: Design, Platform". */
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
  status: memberStatus.nullable(),
  pausedUntil: z.string().nullable(),
  skippingNext: z.boolean(),
});

export const groupEnvelope = z.object({ group: groupViewSchema });
export const groupsEnvelope = z.object({ groups: z.array(groupViewSchema) });

export const matchViewSchema = z.object({
  meetingId: z.string(),
  groupId: z.string(),
  groupName: z.string(),
  scheduledFor: z.string(),
  status: z.string(),
  /** The latest round of its group: the match to act on now. */
  current: z.boolean(),
  partners: z.array(memberPersonViewSchema),
});
export const matchesEnvelope = z.object({ matches: z.array(matchViewSchema) });

export const personBriefSchema = z.object({ id: z.string(), name: z.string(), username: z.string() });
export const assistantEnvelope = z.object({ assistant: personBriefSchema.nullable() });
/** `people`: who named the signed-in person their assistant; `assistant`: whom they named. */
export const assistingEnvelope = z.object({
  people: z.array(personBriefSchema),
  assistant: personBriefSchema.nullable(),
});

export const groupMemberViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  username: z.string(),
  team: z.string().nullable(),
  title: z.string().nullable(),
  enabled: z.boolean(),
  status: memberStatus,
  pausedUntil: z.string().nullable(),
  joinedAt: z.string(),
});
export const membersEnvelope = z.object({ members: z.array(groupMemberViewSchema) });

/** A past round; participants and sit-outs are usernames. */
export const exportedRoundSchema = z.object({
  roundId: z.string(),
  scheduledFor: z.string(),
  seed: z.string(),
  meetings: z.array(z.object({ meetingId: z.string(), status: z.string(), participants: z.array(z.string()) })),
  satOut: z.array(z.string()),
  /** When an admin undid the round (its meetings cancelled; no rule counts it), else null. */
  undoneAt: z.string().nullable(),
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
  /** "Did you meet?" answers. */
  followUps: z.object({ answers: z.number(), met: z.number(), answeredMeetings: z.number(), metRate: z.number() }),
});
export const statsEnvelope = z.object({ stats: groupStatsSchema });

/** Who in a group cannot be reached, and how its latest round was told (admin). */
export const groupReachSchema = z.object({
  channels: z.array(z.string()),
  members: z.number(),
  unreachable: z.array(z.object({ id: z.string(), name: z.string(), username: z.string(), reason: z.string() })),
  unreachableTotal: z.number(),
  latestRound: z
    .object({
      roundId: z.string(),
      scheduledFor: z.string(),
      createdAt: z.string(),
      undoableUntil: z.string().nullable(),
      people: z.number(),
      untold: z.array(z.object({ id: z.string(), name: z.string(), username: z.string(), reachableNow: z.boolean() })),
    })
    .nullable(),
});
export const groupReachEnvelope = z.object({ reach: groupReachSchema });

export const undoneRoundEnvelope = z.object({
  undone: z.object({
    roundId: z.string(),
    scheduledFor: z.string(),
    cancelled: z.number(),
    told: z.array(z.string()),
    channels: z.array(z.string()),
    skipsRestored: z.number(),
  }),
});
export const announcedRoundEnvelope = z.object({
  announced: z.object({
    roundId: z.string(),
    meetings: z.number(),
    told: z.array(z.string()),
    channels: z.array(z.string()),
  }),
});

export type GroupSize = (typeof groupSizes)[number];
export type OddPolicy = (typeof oddPolicies)[number];
export type MembershipMode = (typeof membershipModes)[number];
export type MemberStatus = (typeof memberStatuses)[number];
export type MembershipAction = (typeof membershipActions)[number];
export type Eligibility = z.infer<typeof eligibilitySchema>;
export type GroupView = z.infer<typeof groupViewSchema>;
export type MatchView = z.infer<typeof matchViewSchema>;
export type PersonBrief = z.infer<typeof personBriefSchema>;
export type AssistingView = z.infer<typeof assistingEnvelope>;
export type GroupMemberView = z.infer<typeof groupMemberViewSchema>;
export type ExportedRound = z.infer<typeof exportedRoundSchema>;
export type RoundOutcome = z.infer<typeof roundOutcomeSchema>;
export type GroupStats = z.infer<typeof groupStatsSchema>;
export type GroupReach = z.infer<typeof groupReachSchema>;
export type UndoneRound = z.infer<typeof undoneRoundEnvelope>['undone'];
export type AnnouncedRound = z.infer<typeof announcedRoundEnvelope>['announced'];
