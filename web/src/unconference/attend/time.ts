/**
 * Times on the attendee pages: stored in UTC, shown in the zone the attendee picks (theirs, the
 * event's, …), which the page names beside its zone picker; hence no zone name in each time here.
 */
import { safeTimeZone } from '../../ui/dates';

export function clock(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: safeTimeZone(timeZone),
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}

export function dayName(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: safeTimeZone(timeZone),
    weekday: 'long',
    day: 'numeric',
    month: 'long',
  }).format(new Date(iso));
}

/** "Monday 1 March" for a YYYY-MM-DD date (a calendar date: no timezone shift). */
export function dateLabel(date: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long' }).format(
    new Date(`${date}T12:00:00Z`),
  );
}

export const range = (startsAt: string, endsAt: string, timeZone: string) =>
  `${clock(startsAt, timeZone)}–${clock(endsAt, timeZone)}`;

/** The zones a person is offered: theirs, the event's, the browser's, UTC. */
export function zoneChoices(...zones: Array<string | null | undefined>): string[] {
  const browser = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return [...new Set([...zones, browser, 'UTC'].filter((z): z is string => Boolean(z)))];
}

export const interestLabel = (level: number) =>
  level >= 100 ? 'Very' : level >= 75 ? 'Yes' : level >= 25 ? 'A little' : 'None';

/** An estimate of people, as the console shows it: whole people, and "<1" rather than "0" for a few. */
export const people = (n: number) => (n > 0 && n < 0.5 ? '<1' : String(Math.round(n)));
