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
  return { method, content: value };
}
