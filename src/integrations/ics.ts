import { createEvent } from 'ics';

export interface CalendarEvent {
  uid: string;
  title: string;
  description: string;
  startsAt: string;
  durationMinutes: number;
  url?: string | null;
  organizer: { name: string; email: string };
  attendees: Array<{ name: string; email: string }>;
  /** Increases with each change, so calendars replace the earlier version. */
  sequence: number;
  cancelled?: boolean;
}

/** An iCalendar invitation (METHOD:REQUEST), or its cancellation (METHOD:CANCEL). */
export function calendarInvite(event: CalendarEvent): { method: 'REQUEST' | 'CANCEL'; content: string } {
  const method = event.cancelled ? 'CANCEL' : 'REQUEST';
  const { error, value } = createEvent({
    uid: event.uid,
    method,
    productId: 'convene',
    title: event.title,
    description: event.description,
    start: Date.parse(event.startsAt),
    startInputType: 'utc',
    startOutputType: 'utc',
    duration: { minutes: event.durationMinutes },
    ...(event.url ? { url: event.url, location: event.url } : {}),
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
