/** Unconference attendee pages, feeds and test mode: what the API answers and accepts. Zod only. */
import { z } from 'zod';

export const idParams = z.object({ id: z.string().min(1, 'is required').max(64, 'is too long') });
export const roomParams = idParams.extend({
  roomId: z.string().min(1, 'is required').max(64, 'is too long'),
});

/** A grid or agenda in a chosen timezone; absent = the viewer's own, else the event's. */
export const timezoneQuery = z.object({
  tz: z
    .string()
    .max(64, 'is too long')
    .refine((zone) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA timezone such as Europe/Berlin')
    .optional(),
});

export const interestLevels = [0, 25, 75, 100] as const;

const personRef = z.object({ id: z.string(), name: z.string() });

export const gridSession = z.object({
  id: z.string(),
  title: z.string(),
  roomId: z.string(),
  /** People expected: each person counts for the session they like most in the slot (the engine's model). */
  attendance: z.number(),
  capacity: z.number(),
  overflowing: z.boolean(),
  owners: z.array(personRef),
  /** The signed-in viewer's interest (owners 100), null when signed out. */
  myInterest: z.number().nullable(),
});

export const gridSlot = z.object({
  id: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  isBreak: z.boolean(),
  label: z.string(),
  sessions: z.array(gridSession),
});

export const gridDay = z.object({
  id: z.string(),
  date: z.string(),
  label: z.string(),
  slots: z.array(gridSlot),
});

export const gridRoom = z.object({
  id: z.string(),
  name: z.string(),
  capacity: z.number(),
  url: z.string().nullable(),
  isPlace: z.boolean(),
});

export const publishedEventSchema = z.object({
  id: z.string(),
  name: z.string(),
  timezone: z.string(),
  phase: z.string(),
  version: z.object({ number: z.number(), publishedAt: z.string() }),
});

export const gridSchema = z.object({
  event: publishedEventSchema,
  /** The timezone the page shows times in: ?tz=, else the viewer's, else the event's. */
  timezone: z.string(),
  rooms: z.array(gridRoom),
  days: z.array(gridDay),
});
export type GridView = z.infer<typeof gridSchema>;
export type GridSessionView = z.infer<typeof gridSession>;

export const agendaChoice = z.object({
  id: z.string(),
  title: z.string(),
  roomId: z.string(),
  roomName: z.string(),
  interest: z.number(),
  attendance: z.number(),
});

export const agendaSlot = z.object({
  slotId: z.string(),
  dayId: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  isBreak: z.boolean(),
  label: z.string(),
  /** The session I'd attend: my highest interest there (owners 100); null when I rated none of them. */
  pick: agendaChoice.nullable(),
  /** The other sessions in the slot, by my interest then expected attendance. */
  alternatives: z.array(agendaChoice),
});

export const agendaSchema = z.object({
  event: publishedEventSchema,
  timezone: z.string(),
  slots: z.array(agendaSlot),
});
export type AgendaView = z.infer<typeof agendaSchema>;

export const sessionSchema = z.object({
  event: publishedEventSchema,
  session: z.object({
    id: z.string(),
    title: z.string(),
    descriptionHtml: z.string(),
    owners: z.array(personRef),
    startsAt: z.string(),
    endsAt: z.string(),
    dayLabel: z.string(),
    room: gridRoom,
    attendance: z.number(),
    overflowing: z.boolean(),
    myInterest: z.number().nullable(),
    /** The session's private video room for this viewer (signed-in only, when the event has video rooms). */
    videoUrl: z.string().nullable(),
    /** Other sessions in the same slot. */
    alongside: z.array(z.object({ id: z.string(), title: z.string(), roomName: z.string() })),
  }),
});
export type SessionView = z.infer<typeof sessionSchema>;

// Calendar feeds.

export const feedStatusSchema = z.object({
  /** Null: no feed URL yet (or it was revoked). The token itself is shown only once, when made. */
  feed: z.object({ id: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable() }).nullable(),
});
export type FeedStatusView = z.infer<typeof feedStatusSchema>;

export const feedCreatedSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  /** Shown once: the secret part of every feed URL below. */
  token: z.string(),
  /** The base of the feed URLs: append unconference/<event>/agenda.ics and so on. */
  baseUrl: z.string(),
});
export type FeedCreatedView = z.infer<typeof feedCreatedSchema>;

export const feedTokenParams = z.object({ token: z.string().max(200, 'is too long') });
export const feedEventParams = feedTokenParams.extend({ id: z.string().min(1).max(64, 'is too long') });
export const feedRoomParams = feedEventParams.extend({ roomId: z.string().min(1).max(64, 'is too long') });

// Test mode.

export const testModeBody = z.object({
  people: z
    .number('must be a number')
    .int('must be a whole number')
    .min(2, 'must be at least 2')
    .max(1000, 'must be at most 1000'),
  proposals: z
    .number('must be a number')
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(300, 'must be at most 300'),
  /** Same seed, same fake event. */
  seed: z.string().trim().min(1, 'is required').max(64, 'must be at most 64 characters').optional(),
});
export type TestModeBody = z.infer<typeof testModeBody>;

export const testModeSchema = z.object({
  people: z.number(),
  proposals: z.number(),
  interests: z.number(),
});
export type TestModeView = z.infer<typeof testModeSchema>;
