/** The unconference: what the web app sends and what the API answers. Zod only. */
import { z } from 'zod';

export const NAME_MAX = 120;
export const DESCRIPTION_MAX = 5000;
export const TITLE_MIN = 3;
export const TITLE_MAX = 120;
export const LABEL_MAX = 80;
export const ROOM_NAME_MAX = 80;
export const URL_MAX = 500;
export const MAX_DAYS = 14;
export const MAX_SLOTS_PER_DAY = 48;
export const MAX_ROOMS = 100;
export const MAX_CO_OWNERS = 5;

export const unconferencePhases = ['proposals', 'scheduling', 'published', 'finished'] as const;
export type UnconferencePhase = (typeof unconferencePhases)[number];

/** None / A little / Yes / Very. */
export const interestLevels = [0, 25, 75, 100] as const;
export type InterestLevel = (typeof interestLevels)[number];

const dateTime = z.iso.datetime({
  offset: true,
  message: 'must be a date and time such as 2026-03-01T18:00:00Z',
});

const timeZone = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(64, 'must be at most 64 characters')
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, 'must be an IANA time zone such as Europe/Berlin');

/** A calendar date, YYYY-MM-DD, that exists. */
export const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2026-05-04')
  .refine((text) => {
    const date = new Date(`${text}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
  }, 'must be a date that exists, such as 2026-05-04');

/** A wall-clock time in the event's time zone, HH:MM (24:00 for the end of the day). */
export const clockTime = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must be a time such as 09:30');

const eventFields = {
  name: z.string().trim().min(1, 'is required').max(NAME_MAX, `must be at most ${NAME_MAX} characters`),
  description: z.string().max(DESCRIPTION_MAX, `must be at most ${DESCRIPTION_MAX} characters (Markdown)`),
  timezone: timeZone,
  websiteActive: z.boolean('must be true or false'),
  scheduleVisible: z.boolean('must be true or false'),
  /** Proposals a member may own; null = the number of non-break slots. */
  proposalLimit: z
    .number('must be a number or null (the number of non-break slots)')
    .int('must be a whole number')
    .min(0, 'must be at least 0')
    .max(1000, 'must be at most 1000')
    .nullable(),
  videoRooms: z.boolean('must be true or false'),
  schedulingAt: dateTime.nullable(),
  publishAt: dateTime.nullable(),
  finishAt: dateTime.nullable(),
};

export const createEventBody = z
  .object({
    name: eventFields.name,
    description: eventFields.description.default(''),
    timezone: eventFields.timezone.default('UTC'),
    websiteActive: eventFields.websiteActive.default(true),
    scheduleVisible: eventFields.scheduleVisible.default(false),
    proposalLimit: eventFields.proposalLimit.default(null),
    videoRooms: eventFields.videoRooms.default(false),
    schedulingAt: eventFields.schedulingAt.default(null),
    publishAt: eventFields.publishAt.default(null),
    finishAt: eventFields.finishAt.default(null),
  })
  .strict();
export const updateEventBody = z
  .object({
    name: eventFields.name.optional(),
    description: eventFields.description.optional(),
    timezone: eventFields.timezone.optional(),
    websiteActive: eventFields.websiteActive.optional(),
    scheduleVisible: eventFields.scheduleVisible.optional(),
    proposalLimit: eventFields.proposalLimit.optional(),
    videoRooms: eventFields.videoRooms.optional(),
    schedulingAt: eventFields.schedulingAt.optional(),
    publishAt: eventFields.publishAt.optional(),
    finishAt: eventFields.finishAt.optional(),
  })
  .strict();
export type CreateEventInput = z.infer<typeof createEventBody>;
export type UpdateEventInput = z.infer<typeof updateEventBody>;

export const phaseBody = z
  .object({ phase: z.enum(unconferencePhases, `must be one of ${unconferencePhases.join(', ')}`) })
  .strict();

export const idParams = z.object({ id: z.string().min(1, 'is required').max(64, 'must be at most 64 characters') });

// Timetable.

const label = z.string().trim().max(LABEL_MAX, `must be at most ${LABEL_MAX} characters`);

export const dayBody = z.object({ date: calendarDate, label: label.default('') }).strict();
export const updateDayBody = z.object({ date: calendarDate.optional(), label: label.optional() }).strict();

export const slotBody = z
  .object({
    dayId: z.string().min(1, 'is required').max(64, 'must be at most 64 characters'),
    start: clockTime,
    end: clockTime,
    isBreak: z.boolean('must be true or false').default(false),
    label: label.default(''),
  })
  .strict();
export const updateSlotBody = z
  .object({
    start: clockTime.optional(),
    end: clockTime.optional(),
    isBreak: z.boolean('must be true or false').optional(),
    label: label.optional(),
  })
  .strict();

const roomFields = {
  name: z.string().trim().min(1, 'is required').max(ROOM_NAME_MAX, `must be at most ${ROOM_NAME_MAX} characters`),
  capacity: z
    .number('must be a number')
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(100_000, 'must be at most 100000'),
  /** A video link or a map: http(s) only; empty = none. */
  url: z
    .string()
    .trim()
    .max(URL_MAX, `must be at most ${URL_MAX} characters`)
    .refine((text) => text === '' || /^https?:\/\/[^\s]+$/i.test(text), 'must be an http(s) address')
    .nullable()
    .transform((text) => text || null),
  /** false for a hallway or an online room. */
  isPlace: z.boolean('must be true or false'),
};
export const roomBody = z
  .object({
    name: roomFields.name,
    capacity: roomFields.capacity,
    url: roomFields.url.default(null),
    isPlace: roomFields.isPlace.default(true),
  })
  .strict();
export const updateRoomBody = z
  .object({
    name: roomFields.name.optional(),
    capacity: roomFields.capacity.optional(),
    url: roomFields.url.optional(),
    isPlace: roomFields.isPlace.optional(),
  })
  .strict();

/** The timetable as a file: `convene unconference export|import` and the API's export and import. */
export const timetableFile = z
  .object({
    version: z.literal(1, 'must be 1').default(1),
    timezone: timeZone.optional(),
    days: z
      .array(
        z
          .object({
            date: calendarDate,
            label: label.default(''),
            slots: z
              .array(
                z
                  .object({
                    start: clockTime,
                    end: clockTime,
                    break: z.boolean('must be true or false').default(false),
                    label: label.default(''),
                  })
                  .strict(),
                'must be a list of slots',
              )
              .max(MAX_SLOTS_PER_DAY, `must have at most ${MAX_SLOTS_PER_DAY} slots`)
              .default([]),
          })
          .strict(),
        'must be a list of days',
      )
      .max(MAX_DAYS, `must have at most ${MAX_DAYS} days`),
    rooms: z
      .array(
        z
          .object({
            name: roomFields.name,
            capacity: roomFields.capacity,
            url: roomFields.url.default(null),
            place: roomFields.isPlace.default(true),
          })
          .strict(),
        'must be a list of rooms',
      )
      .max(MAX_ROOMS, `must have at most ${MAX_ROOMS} rooms`),
  })
  .strict();
export type TimetableFile = z.infer<typeof timetableFile>;

// Proposals and interest.

const title = z
  .string('must be text')
  .transform((text) => text.replace(/\s+/g, ' ').trim())
  .pipe(
    z
      .string()
      .min(TITLE_MIN, `must be at least ${TITLE_MIN} characters`)
      .max(TITLE_MAX, `must be at most ${TITLE_MAX} characters`),
  );
const description = z
  .string('must be text')
  .max(DESCRIPTION_MAX, `must be at most ${DESCRIPTION_MAX} characters (Markdown)`);
/** Co-owners by username or e-mail. */
const coOwners = z
  .array(
    z.string().trim().min(1, 'is required').max(254, 'must be at most 254 characters'),
    'must be a list of usernames',
  )
  .max(MAX_CO_OWNERS, `must name at most ${MAX_CO_OWNERS} people`);

export const createProposalBody = z
  .object({ title, description: description.default(''), coOwners: coOwners.default([]) })
  .strict();
export const updateProposalBody = z
  .object({ title: title.optional(), description: description.optional(), coOwners: coOwners.optional() })
  .strict();
export type CreateProposalInput = z.infer<typeof createProposalBody>;
export type UpdateProposalInput = z.infer<typeof updateProposalBody>;

export const interestBody = z
  .object({
    level: z.literal(interestLevels, 'must be 0, 25, 75 or 100 (None, A little, Yes, Very)'),
  })
  .strict();

export const allowedSlotsBody = z
  .object({
    /** Empty: any slot. */
    slotIds: z
      .array(z.string().min(1, 'is required').max(64, 'must be at most 64 characters'), 'must be a list of slot ids')
      .max(MAX_DAYS * MAX_SLOTS_PER_DAY, 'has too many slots'),
  })
  .strict();

// Answers.

export const slotViewSchema = z.object({
  id: z.string(),
  dayId: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  /** Wall-clock times in the event's time zone. */
  start: z.string(),
  end: z.string(),
  isBreak: z.boolean(),
  label: z.string(),
  locked: z.boolean(),
});
export const dayViewSchema = z.object({
  id: z.string(),
  date: z.string(),
  label: z.string(),
  slots: z.array(slotViewSchema),
});
export const roomViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  capacity: z.number(),
  url: z.string().nullable(),
  isPlace: z.boolean(),
});
export const timetableSchema = z.object({ days: z.array(dayViewSchema), rooms: z.array(roomViewSchema) });

export const eventViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  descriptionHtml: z.string(),
  timezone: z.string(),
  phase: z.enum(unconferencePhases),
  websiteActive: z.boolean(),
  scheduleVisible: z.boolean(),
  /** The limit that applies to members now (null: none). */
  proposalLimit: z.number().nullable(),
  videoRooms: z.boolean(),
  schedulingAt: z.string().nullable(),
  publishAt: z.string().nullable(),
  finishAt: z.string().nullable(),
  /** Interest counts are shown to members once the schedule is published. */
  countsVisible: z.boolean(),
  proposalCount: z.number(),
});
export const adminEventViewSchema = eventViewSchema.extend({
  description: z.string(),
  /** As set: null = the number of non-break slots. */
  proposalLimitSetting: z.number().nullable(),
  pendingCount: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const viewerSchema = z.object({
  isAdmin: z.boolean(),
  proposalsOwned: z.number(),
  canPropose: z.boolean(),
  canRate: z.boolean(),
});

export const eventDetailSchema = z.object({
  event: eventViewSchema,
  timetable: timetableSchema,
  viewer: viewerSchema.nullable(),
});
export const eventListSchema = z.object({ events: z.array(eventViewSchema) });
export const adminEventEnvelope = z.object({ event: adminEventViewSchema });

export const ownerViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  username: z.string(),
  role: z.enum(['owner', 'co-owner']),
});
export const interestCountsSchema = z.object({
  none: z.number(),
  little: z.number(),
  yes: z.number(),
  very: z.number(),
});

export const proposalViewSchema = z.object({
  id: z.string(),
  eventId: z.string(),
  title: z.string(),
  descriptionHtml: z.string(),
  owners: z.array(ownerViewSchema),
  createdAt: z.string(),
  /** 'pending' and 'rejected' only reach owners and admins. */
  status: z.enum(['pending', 'approved', 'rejected']),
  /** An edit waits for approval; the public still sees the approved text. */
  editPending: z.boolean(),
  /** The viewer owns or co-owns it (and so counts as Very interested). */
  mine: z.boolean(),
  /** The viewer's rating; 100 for owners; null when not rated or signed out. */
  myInterest: z.literal(interestLevels).nullable(),
  /** Only once published, or for admins; owners count as Very. */
  interest: interestCountsSchema.nullable(),
  /** Admins only: the slots its owners can make (empty = any). */
  allowedSlotIds: z.array(z.string()).optional(),
});
export const proposalDetailSchema = proposalViewSchema.extend({
  /** Markdown source: owners and admins only. */
  description: z.string().optional(),
});
export const proposalListSchema = z.object({
  event: eventViewSchema,
  proposals: z.array(proposalViewSchema),
  viewer: viewerSchema.nullable(),
});
export const proposalEnvelope = z.object({ proposal: proposalDetailSchema });
export const interestResultSchema = z.object({
  proposalId: z.string(),
  level: z.literal(interestLevels),
});

export type SlotView = z.infer<typeof slotViewSchema>;
export type DayView = z.infer<typeof dayViewSchema>;
export type RoomView = z.infer<typeof roomViewSchema>;
export type TimetableView = z.infer<typeof timetableSchema>;
export type EventView = z.infer<typeof eventViewSchema>;
export type AdminEventView = z.infer<typeof adminEventViewSchema>;
export type EventDetail = z.infer<typeof eventDetailSchema>;
export type ViewerView = z.infer<typeof viewerSchema>;
export type ProposalView = z.infer<typeof proposalViewSchema>;
export type ProposalDetail = z.infer<typeof proposalDetailSchema>;
export type ProposalList = z.infer<typeof proposalListSchema>;
export type InterestCounts = z.infer<typeof interestCountsSchema>;
