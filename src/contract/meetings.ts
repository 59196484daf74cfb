/** Meetings: what the web app sends and what the API answers. Zod only. */
import { z } from 'zod';
import { memberPersonViewSchema } from './people.js';

export const MEETING_STATUSES = ['scheduled', 'rescheduled', 'cancelled', 'done'] as const;

const id = z.string().min(1).max(64);
const page = z.coerce.number().int().min(1, 'must be 1 or more').max(10_000).default(1);
const startsAt = z.iso.datetime({ offset: true, message: 'must be an ISO date and time, e.g. 2030-01-31T09:30:00Z' });
const durationMinutes = z.coerce
  .number()
  .int('must be a whole number of minutes')
  .min(5, 'must be at least 5 minutes')
  .max(720, 'must be at most 720 minutes');

export const meetingParams = z.object({ id });

/** Sources Convene itself makes meetings for; an API caller may not write under their names. */
export const CONVENE_SOURCES = ['round', 'manual', 'unconference', 'intra42'] as const;
/** A meeting source's name, Convene's or an API caller's: 1–40 lower-case letters, digits, - or _. */
export const MEETING_SOURCE_PATTERN = /^[a-z0-9][a-z0-9_-]{0,39}$/;
export const meetingSource = z
  .string()
  .regex(MEETING_SOURCE_PATTERN, 'must be 1–40 lower-case letters, digits, - or _');

export const myMeetingsQuery = z.object({ when: z.enum(['upcoming', 'past']).default('upcoming'), page }).strict();

export const adminMeetingsQuery = z
  .object({
    status: z.enum(MEETING_STATUSES).optional(),
    group: id.optional(),
    /** Only the meetings of this source (one of `GET /admin/meetings/sources`). */
    source: meetingSource.optional(),
    page,
  })
  .strict();

export const rescheduleBody = z.object({ startsAt, durationMinutes: durationMinutes.optional() }).strict();

export const createMeetingBody = z
  .object({
    title: z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters'),
    participantIds: z.array(id).min(1, 'needs at least one person').max(50, 'must name at most 50 people'),
    startsAt: startsAt.nullish(),
    durationMinutes: durationMinutes.nullish(),
  })
  .strict();

const personView = memberPersonViewSchema.extend({
  /** Admins only. */
  email: z.string().nullable().optional(),
});

const meetingSummary = z.object({
  id: z.string(),
  title: z.string(),
  source: z.string(),
  /**
   * Admins only: the id its source knows it by (a 42 scale team, an API caller's id), null when it
   * has none. A cancelled one's as the source gave it, without the mark Convene adds to free it.
   */
  externalId: z.string().nullable().optional(),
  groupId: z.string().nullable(),
  groupName: z.string().nullable(),
  startsAt: z.string().nullable(),
  durationMinutes: z.number().nullable(),
  status: z.enum(MEETING_STATUSES),
  /** When the meeting was made: for a mixer match, when the people were matched. */
  createdAt: z.string(),
  /** In "my meetings": everyone but me. In the admin list: everyone. */
  participants: z.array(personView),
});

const meetingDetail = meetingSummary.extend({
  /**
   * Everyone in the meeting; `isYou` marks the viewer. `contactEmail`: for the other participants,
   * the address to write to when no chat channel reaches that person (else null).
   */
  participants: z.array(personView.extend({ isYou: z.boolean(), contactEmail: z.string().nullable() })),
  joinUrl: z.string().nullable(),
  /** How the viewer may see this meeting. */
  access: z.enum(['participant', 'assistant', 'admin']),
  /** The viewer may set the time, cancel it or mark it done. */
  canChange: z.boolean(),
  /** The viewer's answer to "did you meet?", or null. */
  feedback: z.enum(['yes', 'no']).nullable(),
  /** A cancelled meeting: when, and by whom in words (a person, an API token, the 42 intranet). */
  cancelled: z.object({ at: z.string(), by: z.string() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/**
 * After a change: whom the messages it queued will reach, and by which channels (empty: nobody).
 * `unaware`, after a cancellation: the participants sent nothing because nothing about the
 * meeting had reached them yet (their waiting introductions were dropped instead).
 */
export const toldSchema = z.object({
  names: z.array(z.string()),
  channels: z.array(z.string()),
  unaware: z.array(z.string()).optional(),
});
export const meetingEnvelope = z.object({ meeting: meetingDetail, told: toldSchema.optional() });
export const meetingListEnvelope = z.object({
  meetings: z.array(meetingSummary),
  page: z.number(),
  pageSize: z.number(),
  total: z.number(),
});

/** The sources of the meetings there are, by name: what the admin list can be narrowed to. */
export const meetingSourcesEnvelope = z.object({ sources: z.array(z.string()) });

export const feedbackAnswers = ['yes', 'no'] as const;

export const feedbackParams = z.object({ id }).strict();
export const feedbackBody = z
  .object({
    answer: z.enum(feedbackAnswers),
    /** With a token from a follow-up e-mail: whose answer it is. Without: the signed-in person's. */
    person: z.string().min(1).max(64).optional(),
    token: z.string().min(1).max(128).optional(),
  })
  .strict();
export const feedbackEnvelope = z.object({
  feedback: z.object({ meetingId: z.string(), answer: z.enum(feedbackAnswers) }),
});

export type MeetingStatus = (typeof MEETING_STATUSES)[number];
export type MeetingList = z.infer<typeof meetingListEnvelope>;
export type MeetingSources = z.infer<typeof meetingSourcesEnvelope>;
export type MyMeetingsQuery = z.input<typeof myMeetingsQuery>;
export type AdminMeetingsQuery = z.input<typeof adminMeetingsQuery>;
export type RescheduleInput = z.input<typeof rescheduleBody>;
export type CreateMeetingInput = z.input<typeof createMeetingBody>;
export type FeedbackAnswer = (typeof feedbackAnswers)[number];
export type MeetingSummaryView = z.infer<typeof meetingSummary>;
export type MeetingDetailView = z.infer<typeof meetingDetail>;
export type MeetingPersonView = z.infer<typeof personView>;
