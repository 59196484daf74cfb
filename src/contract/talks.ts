/** Lightning talks: what the web app sends and what the API answers. Zod only. */
import { z } from 'zod';

export const TITLE_MIN = 3;
export const TITLE_MAX = 120;
export const DESCRIPTION_MAX = 5000;
export const REASON_MAX = 500;
export const EVENT_NAME_MAX = 120;
export const VENUE_MAX = 200;

export const eventPhases = ['proposals', 'voting', 'closed'] as const;

const dateTime = z.iso.datetime({
  offset: true,
  message: 'must be a date and time such as 2026-03-01T18:00:00Z',
});

/** Each field once, without defaults: creation adds the defaults, an update leaves absent fields alone. */
const eventFields = {
  name: z.string().trim().min(1, 'is required').max(EVENT_NAME_MAX, `must be at most ${EVENT_NAME_MAX} characters`),
  description: z.string().trim().max(DESCRIPTION_MAX, `must be at most ${DESCRIPTION_MAX} characters`),
  topN: z
    .number('must be a number')
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(100, 'must be at most 100'),
  voteLimit: z
    .number('must be a number or null (no limit)')
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(100, 'must be at most 100')
    .nullable(),
  proposalsDuringVoting: z.boolean('must be true or false'),
  votingOpensAt: dateTime.nullable(),
  votingClosesAt: dateTime.nullable(),
  allowSelfVote: z.boolean('must be true or false'),
  talksAt: dateTime.nullable(),
  /** Empty means no venue yet. */
  venue: z
    .string()
    .trim()
    .max(VENUE_MAX, `must be at most ${VENUE_MAX} characters`)
    .nullable()
    .transform((text) => text || null),
};

export const createEventBody = z
  .object({
    name: eventFields.name,
    description: eventFields.description.default(''),
    topN: eventFields.topN.default(5),
    voteLimit: eventFields.voteLimit.default(null),
    proposalsDuringVoting: eventFields.proposalsDuringVoting.default(false),
    votingOpensAt: eventFields.votingOpensAt.default(null),
    votingClosesAt: eventFields.votingClosesAt.default(null),
    allowSelfVote: eventFields.allowSelfVote.default(false),
    talksAt: eventFields.talksAt.default(null),
    venue: eventFields.venue.default(null),
  })
  .strict();
export const updateEventBody = z
  .object({
    name: eventFields.name.optional(),
    description: eventFields.description.optional(),
    topN: eventFields.topN.optional(),
    voteLimit: eventFields.voteLimit.optional(),
    proposalsDuringVoting: eventFields.proposalsDuringVoting.optional(),
    votingOpensAt: eventFields.votingOpensAt.optional(),
    votingClosesAt: eventFields.votingClosesAt.optional(),
    allowSelfVote: eventFields.allowSelfVote.optional(),
    talksAt: eventFields.talksAt.optional(),
    venue: eventFields.venue.optional(),
  })
  .strict();
export type CreateEventInput = z.infer<typeof createEventBody>;
export type UpdateEventInput = z.infer<typeof updateEventBody>;

/** The everyday list leaves archived events out; `?archived=true` lists them instead. */
export const eventListQuery = z.object({
  archived: z.enum(['true', 'false'], 'must be true or false').default('false'),
});

export const archiveBody = z.object({ archived: z.boolean('must be true or false') }).strict();

/** What deleting an event takes with it, for the confirmation. */
export const deletionSchema = z.object({ proposals: z.number(), votes: z.number() });

export const phaseBody = z.object({ phase: z.enum(eventPhases) }).strict();

/** Titles: trimmed, inner runs of spaces collapsed, so "My  talk " and "my talk" are one title. */
const title = z
  .string()
  .transform((text) => text.replace(/\s+/g, ' ').trim())
  .pipe(
    z
      .string()
      .min(TITLE_MIN, `must be at least ${TITLE_MIN} characters`)
      .max(TITLE_MAX, `must be at most ${TITLE_MAX} characters`),
  );
const description = z.string().max(DESCRIPTION_MAX, `must be at most ${DESCRIPTION_MAX} characters (Markdown)`);
/** Admins only: the speaker's username or e-mail, when proposing for someone else. */
const speaker = z.string().trim().min(1, 'is required').max(254, 'must be at most 254 characters');

export const createProposalBody = z
  .object({ title, description: description.default(''), speaker: speaker.optional() })
  .strict();
export const updateProposalBody = z
  .object({ title: title.optional(), description: description.optional(), speaker: speaker.optional() })
  .strict();
export type CreateProposalInput = z.infer<typeof createProposalBody>;
export type UpdateProposalInput = z.infer<typeof updateProposalBody>;

export const hideBody = z
  .object({
    reason: z
      .string()
      .trim()
      .min(1, 'is required: say why, the speaker will see it')
      .max(REASON_MAX, `must be at most ${REASON_MAX} characters`),
  })
  .strict();

/** Without `voted` the vote toggles; with it, the vote is set to that state (repeating it changes nothing). */
export const voteBody = z.object({ voted: z.boolean('must be true or false').optional() }).strict();

export const idParams = z.object({ id: z.string().min(1, 'is required').max(64, 'must be at most 64 characters') });

// Responses: exactly the fields that leave the server. Zod drops anything else.

const speakerView = z.object({
  name: z.string(),
  title: z.string().nullable(),
  team: z.string().nullable(),
  avatarUrl: z.string().nullable(),
});

export const eventViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  descriptionHtml: z.string(),
  phase: z.enum(eventPhases),
  acceptingProposals: z.boolean(),
  proposalsDuringVoting: z.boolean(),
  topN: z.number(),
  voteLimit: z.number().nullable(),
  votingOpensAt: z.string().nullable(),
  votingClosesAt: z.string().nullable(),
  /** Speakers may vote for their own proposals. */
  allowSelfVote: z.boolean(),
  /** When and where the selected talks are given. */
  talksAt: z.string().nullable(),
  venue: z.string().nullable(),
  /** Archived events are kept with their results, out of the everyday list. */
  archivedAt: z.string().nullable(),
  proposalCount: z.number(),
});

export const adminEventViewSchema = eventViewSchema.extend({
  description: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const listedProposalSchema = z.object({
  id: z.string(),
  title: z.string(),
  descriptionHtml: z.string(),
  speaker: speakerView,
  createdAt: z.string(),
  /** Only once voting has closed. */
  votes: z.number().nullable(),
  rank: z.number().nullable(),
  selected: z.boolean(),
  /** Signed-in viewers only. */
  myVote: z.boolean().optional(),
  mine: z.boolean().optional(),
});

export const proposalListSchema = z.object({
  event: eventViewSchema,
  proposals: z.array(listedProposalSchema),
  viewer: z
    .object({
      votesUsed: z.number(),
      voteLimit: z.number().nullable(),
      canPropose: z.boolean(),
      canVote: z.boolean(),
      isAdmin: z.boolean(),
    })
    .nullable(),
});

export const proposalDetailSchema = z.object({
  id: z.string(),
  eventId: z.string(),
  title: z.string(),
  description: z.string(),
  descriptionHtml: z.string(),
  speaker: speakerView,
  createdAt: z.string(),
  updatedAt: z.string(),
  hidden: z.boolean(),
  /** The speaker and admins see why a proposal was hidden. */
  hiddenReason: z.string().nullable(),
  mine: z.boolean(),
  canEdit: z.boolean(),
});

export const myProposalSchema = z.object({
  id: z.string(),
  title: z.string(),
  hidden: z.boolean(),
  hiddenReason: z.string().nullable(),
  canEdit: z.boolean(),
});

export const eventDetailSchema = z.object({
  event: eventViewSchema,
  /** Signed-in viewers: their own proposals, hidden ones included (with the reason). */
  myProposals: z.array(myProposalSchema).nullable(),
});

export const voteResultSchema = z.object({
  proposalId: z.string(),
  voted: z.boolean(),
  /** False when the vote already was in that state. */
  changed: z.boolean(),
  /** With a vote limit: the votes the person now has in the event. */
  votesUsed: z.number().nullable(),
  voteLimit: z.number().nullable(),
});

export const rankedProposalSchema = z.object({
  id: z.string(),
  title: z.string(),
  speaker: z.object({ id: z.string(), name: z.string(), username: z.string() }),
  votes: z.number(),
  rank: z.number().nullable(),
  selected: z.boolean(),
  hidden: z.boolean(),
  hiddenReason: z.string().nullable(),
  createdAt: z.string(),
});

export const resultsSchema = z.object({
  event: adminEventViewSchema,
  ranking: z.array(rankedProposalSchema),
  totals: z.object({ votes: z.number(), voters: z.number(), proposals: z.number(), hidden: z.number() }),
  /** True when the last selected proposal has as many votes as the first one left out. */
  tieAtCutoff: z.boolean(),
  timeline: z.object({
    bucketMinutes: z.number(),
    points: z.array(z.object({ at: z.string(), votes: z.number(), total: z.number() })),
  }),
  suspicious: z.array(
    z.object({
      address: z.string(),
      windowMinutes: z.number(),
      accounts: z.array(z.object({ id: z.string(), name: z.string(), username: z.string(), createdAt: z.string() })),
      proposals: z.array(
        z.object({ id: z.string(), title: z.string(), votesFromGroup: z.number(), votes: z.number() }),
      ),
    }),
  ),
});

export const eventListSchema = z.object({ events: z.array(eventViewSchema) });
export const adminEventEnvelope = z.object({ event: adminEventViewSchema });
export const proposalEnvelope = z.object({ proposal: proposalDetailSchema });

export type TalksPhase = (typeof eventPhases)[number];
export type EventView = z.infer<typeof eventViewSchema>;
export type AdminEventView = z.infer<typeof adminEventViewSchema>;
export type ListedProposal = z.infer<typeof listedProposalSchema>;
export type ProposalList = z.infer<typeof proposalListSchema>;
export type ProposalDetail = z.infer<typeof proposalDetailSchema>;
export type MyProposal = z.infer<typeof myProposalSchema>;
export type EventDetail = z.infer<typeof eventDetailSchema>;
export type VoteResult = z.infer<typeof voteResultSchema>;
export type RankedProposal = z.infer<typeof rankedProposalSchema>;
export type TalksResults = z.infer<typeof resultsSchema>;
