import { createRequire } from 'node:module';

type Ics = typeof import('ics');
let icsModule: Ics | undefined;
/**
 * The iCalendar library (and the validation library it brings), loaded at the first invitation
 * rather than with every process: it is a tenth of a second of CPU at each start otherwise.
 */
function icsLibrary(): Ics {
  icsModule ??= createRequire(import.meta.url)('ics') as Ics;
  return icsModule;
}

export interface CalendarEvent {
  uid: string;
  title: string;
  description: string;
  startsAt: string;
  durationMinutes: number;
  url?: string | null;
  /** Where it takes place (a room's name); without one, calendars show the link as the location. */
  location?: string | null;
  organizer: { name: string; email: string };
  attendees: Array<{ name: string; email: string }>;
  /** Increases with each change, so calendars replace the earlier version. */
  sequence: number;
  cancelled?: boolean;
}

/** An iCalendar invitation (METHOD:REQUEST), or its cancellation (METHOD:CANCEL). */
export function calendarInvite(event: CalendarEvent): { method: 'REQUEST' | 'CANCEL'; content: string } {
  const method = event.cancelled ? 'CANCEL' : 'REQUEST';
  const location = event.location || event.url;
  const { error, value } = icsLibrary().createEvent({
    uid: event.uid,
    method,
    productId: 'convene',
    title: event.title,
    description: event.description,
    start: Date.parse(event.startsAt),
    startInputType: 'utc',
    startOutputType: 'utc',
    duration: { minutes: event.durationMinutes },
    ...(event.url ? { url: event.url } : {}),
    ...(location ? { location } : {}),
    status: event.cancelled ? 'CANCELLED' : 'CONFIRMED',
    sequence: event.sequence,
    organizer: event.organizer,
    attendees: event.attendees.map((a) => ({ ...a, rsvp: false, role: 'REQ-PARTICIPANT' as const })),
  });
  if (error || !value) throw new Error(`Could not make the calendar invitation: ${error?.message ?? 'empty'}`);
  return { method, content: refold(value) };
}

const LINE_OCTETS = 75;

/**
 * RFC 5545 §3.1: content lines are at most 75 octets, continued on lines that start with a space.
 * The `ics` package folds at 75 characters, so a line of accented or other non-ASCII text comes out
 * longer than that in UTF-8 and strict readers reject or garble it: unfold its text and fold again
 * by octets, never inside a character's UTF-8 sequence.
 */
export function refold(ics: string): string {
  const lines = ics.replace(/\r\n[ \t]/g, '').split('\r\n');
  return lines.map(foldLine).join('\r\n');
}

function foldLine(line: string): string {
  if (Buffer.byteLength(line, 'utf8') <= LINE_OCTETS) return line;
  const parts: string[] = [];
  let part = '';
  let octets = 0;
  // The first line holds 75 octets; each continuation holds 74 after its leading space.
  let room = LINE_OCTETS;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    if (octets + size > room) {
      parts.push(part);
      part = '';
      octets = 0;
      room = LINE_OCTETS - 1;
    }
    part += char;
    octets += size;
  }
  parts.push(part);
  return parts.join('\r\n ');
}

export interface FeedEvent {
  /** Stable across refreshes, so a calendar updates the event instead of adding another. */
  uid: string;
  title: string;
  description: string;
  startsAt: string;
  endsAt: string;
  location?: string | null;
  url?: string | null;
  /** Increases when the event changes (e.g. the schedule version). */
  sequence: number;
  /** Last change, UTC ISO. */
  updatedAt: string;
}

export interface CalendarFeed {
  name: string;
  description?: string;
  /** The IANA zone the calendar is about (X-WR-TIMEZONE, a hint); every time in it is UTC. */
  timezone: string;
  events: FeedEvent[];
}

/** RFC 5545 §3.3.11 TEXT: backslash, semicolon, comma and line breaks escaped. */
export function icsText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** 2027-03-01T09:00:00.000Z → 20270301T090000Z (a UTC DATE-TIME, read the same by every client). */
export function icsUtc(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new Error(`not a time: ${iso}`);
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/**
 * A subscribable calendar (METHOD:PUBLISH) of many events, as Google Calendar, Outlook and Apple
 * Calendar poll it from a URL. Every DTSTART/DTEND is UTC ("Z"), which all of them convert to the
 * reader's zone themselves, so no VTIMEZONE block is needed (and none can be wrong); the event's
 * own zone is named in X-WR-TIMEZONE. Lines end in CRLF and are folded at 75 octets.
 */
export function calendarFeed(feed: CalendarFeed, now: Date = new Date()): string {
  const stamp = icsUtc(now.toISOString());
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Convene//Unconference//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${icsText(feed.name)}`,
    `X-WR-TIMEZONE:${feed.timezone}`,
    ...(feed.description ? [`X-WR-CALDESC:${icsText(feed.description)}`] : []),
    'REFRESH-INTERVAL;VALUE=DURATION:PT1H',
    'X-PUBLISHED-TTL:PT1H',
  ];
  for (const event of feed.events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${icsText(event.uid)}`,
      `DTSTAMP:${stamp}`,
      `LAST-MODIFIED:${icsUtc(event.updatedAt)}`,
      `SEQUENCE:${event.sequence}`,
      `DTSTART:${icsUtc(event.startsAt)}`,
      `DTEND:${icsUtc(event.endsAt)}`,
      `SUMMARY:${icsText(event.title)}`,
      ...(event.description ? [`DESCRIPTION:${icsText(event.description)}`] : []),
      ...(event.location ? [`LOCATION:${icsText(event.location)}`] : []),
      ...(event.url ? [`URL:${event.url}`] : []),
      'STATUS:CONFIRMED',
      'TRANSP:OPAQUE',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}
