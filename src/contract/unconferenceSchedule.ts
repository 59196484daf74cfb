/** Unconference scheduling (admin console and public changelog): what the web app sends and what the API answers. */
import { z } from 'zod';

const id = z.string().min(1, 'is required').max(64, 'must be at most 64 characters');

export const eventParams = z.object({ id });
export const runParams = z.object({ id, runId: id });
export const slotParams = z.object({ id, slotId: id });
export const proposalParams = z.object({ id, proposalId: id });

export const runModes = ['full', 'minimal_change'] as const;

export const startRunBody = z
  .object({
    seconds: z
      .number('must be a number of seconds')
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(3600, 'must be at most 3600')
      .default(10),
    mode: z.enum(runModes, 'must be full or minimal_change').default('full'),
    /** minimal_change: interest points one moved session is worth (default 100). */
    moveWeight: z.number('must be a number').min(0, 'must be at least 0').max(100_000, 'is too large').optional(),
    seed: z.string().max(100, 'must be at most 100 characters').optional(),
  })
  .strict();

export const lockBody = z.object({ locked: z.boolean('must be true or false') }).strict();

export const pinBody = z
  .object({
    pinned: z.boolean('must be true or false'),
    slotId: id.nullable().optional(),
    roomId: id.nullable().optional(),
  })
  .strict();

export const moveBody = z
  .object({
    proposalId: id,
    slotId: id.nullable(),
    roomId: id.nullable().default(null),
  })
  .strict();

export const publishBody = z
  .object({
    note: z.string().trim().max(500, 'must be at most 500 characters').default(''),
    /** Default: the first publication tells nobody, later ones tell the people of moved sessions. */
    notify: z.boolean('must be true or false').optional(),
  })
  .strict();

export const runStatuses = ['queued', 'running', 'done', 'cancelled', 'failed'] as const;

export const runSchema = z.object({
  id: z.string(),
  mode: z.enum(runModes),
  status: z.enum(runStatuses),
  budgetSeconds: z.number(),
  progress: z.number(),
  bestScore: z.number().nullable(),
  upperBound: z.number().nullable(),
  gap: z.number().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  heartbeatAt: z.string().nullable(),
  /** Once done: the engine's method and whether it proved the optimum. */
  method: z.string().nullable(),
  optimal: z.boolean().nullable(),
});
export type ScheduleRun = z.infer<typeof runSchema>;
export const runEnvelope = z.object({ run: runSchema });

const placementSchema = z.object({ session: z.string(), slot: z.string(), room: z.string() });

export const evaluationSchema = z.object({
  score: z.number(),
  /** Everyone's top interests, one per slot: a bound that ignores rooms, clashes and locks. */
  trivialBound: z.number(),
  /** (trivialBound − score) / trivialBound. */
  trivialGap: z.number(),
  placed: z.number(),
  sessions: z.number(),
  people: z.number(),
  meanSatisfaction: z.number(),
  leastServed: z.array(
    z.object({ personId: z.string(), name: z.string(), attained: z.number(), best: z.number(), share: z.number() }),
  ),
  assignments: z.array(placementSchema.extend({ audience: z.number(), overflowing: z.boolean() })),
  unplaced: z.array(
    z.object({
      session: z.string(),
      title: z.string(),
      reason: z.enum(['no_open_slot', 'slots_full', 'owner_clash', 'room_free']),
      detail: z.string(),
    }),
  ),
  overflowing: z.array(
    z.object({
      session: z.string(),
      title: z.string(),
      slot: z.string(),
      room: z.string(),
      audience: z.number(),
      capacity: z.number(),
    }),
  ),
});
export type ScheduleEvaluation = z.infer<typeof evaluationSchema>;

export const consoleSchema = z.object({
  event: z.object({ id: z.string(), name: z.string(), timezone: z.string(), phase: z.string() }),
  slots: z.array(
    z.object({
      id: z.string(),
      dayId: z.string(),
      startsAt: z.string(),
      endsAt: z.string(),
      label: z.string(),
      locked: z.boolean(),
    }),
  ),
  rooms: z.array(z.object({ id: z.string(), name: z.string(), capacity: z.number(), isPlace: z.boolean() })),
  sessions: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      owners: z.array(z.string()),
      pinnedSlotId: z.string().nullable(),
      pinnedRoomId: z.string().nullable(),
    }),
  ),
  evaluation: evaluationSchema,
  /**
   * The engine's upper bound from the latest finished run, with the working schedule's gap to it;
   * null when ratings, proposals, locks, pins or rooms changed since that run (then only the
   * evaluation's trivial bound is known).
   */
  runBound: z
    .object({
      runId: z.string(),
      upperBound: z.number(),
      gap: z.number(),
      optimal: z.boolean(),
      finishedAt: z.string().nullable(),
    })
    .nullable(),
  activeRun: runSchema.nullable(),
  lastRun: runSchema.nullable(),
  maxSeconds: z.number(),
  latestVersion: z.object({ number: z.number(), publishedAt: z.string() }).nullable(),
});
export type ScheduleConsole = z.infer<typeof consoleSchema>;

export const movePreviewSchema = z.object({
  scoreBefore: z.number(),
  scoreAfter: z.number(),
  delta: z.number(),
  changes: z.array(
    z.object({
      session: z.string(),
      title: z.string(),
      from: placementSchema.nullable(),
      to: placementSchema.nullable(),
    }),
  ),
  after: evaluationSchema.pick({
    score: true,
    trivialBound: true,
    trivialGap: true,
    meanSatisfaction: true,
    placed: true,
  }),
  saved: z.boolean(),
});
export type MovePreview = z.infer<typeof movePreviewSchema>;

export const publishResultSchema = z.object({
  version: z.object({
    id: z.string(),
    number: z.number(),
    sessions: z.number(),
    moved: z.number(),
    /** Sessions that kept their time and changed room. */
    relocated: z.number(),
    removed: z.number(),
    meetingsCreated: z.number(),
    notified: z.boolean(),
  }),
});

const changePlace = z.object({ startsAt: z.string(), endsAt: z.string(), room: z.string() }).nullable();
export const changelogSchema = z.object({
  versions: z.array(
    z.object({
      number: z.number(),
      publishedAt: z.string(),
      note: z.string(),
      sessions: z.number(),
      changes: z.array(
        z.object({
          kind: z.enum(['added', 'removed', 'moved', 'room_changed']),
          proposalId: z.string(),
          title: z.string(),
          from: changePlace,
          to: changePlace,
        }),
      ),
    }),
  ),
});
export type ScheduleChangelog = z.infer<typeof changelogSchema>;
