/** Meeting times: shown in the viewer's profile timezone (through ui/dates.ts), typed in it, sent as UTC. */
import { atMinute, atMinuteRange, safeTimeZone } from '../ui/dates';

const pad = (n: number) => String(n).padStart(2, '0');

/** The wall-clock parts of an instant in a timezone. */
function wallClock(ms: number, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: safeTimeZone(timeZone),
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute') };
}

/** How far the zone's wall clock is ahead of UTC at an instant, in ms. */
function offsetAt(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  return asUtc - Math.floor(ms / 60_000) * 60_000;
}

/**
 * "2030-03-31" + "02:30" in Europe/Paris → the ISO UTC instant. The offset is looked up twice
 * because it may differ on either side of a daylight-saving change.
 */
export function zonedToUtc(date: string, time: string, timeZone: string): string | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!d || !t) return null;
  const guess = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]));
  let ms = guess - offsetAt(guess, timeZone);
  ms = guess - offsetAt(ms, timeZone);
  return new Date(ms).toISOString();
}

/** An instant as date and time input values in a timezone. */
export function utcToZoned(iso: string, timeZone: string): { date: string; time: string } {
  const w = wallClock(Date.parse(iso), timeZone);
  return { date: `${w.year}-${pad(w.month)}-${pad(w.day)}`, time: `${pad(w.hour)}:${pad(w.minute)}` };
}

/** "Mar 3, 2026, 09:30 – 10:00 AM EST" in the viewer's timezone; the start alone when it has no length. */
export function formatMeetingTime(iso: string, durationMinutes: number | null, timeZone: string): string {
  if (!durationMinutes) return atMinute(iso, timeZone);
  const end = new Date(Date.parse(iso) + durationMinutes * 60_000).toISOString();
  return atMinuteRange(iso, end, timeZone);
}

/** Joining opens this long before the start: people like to arrive a little early. */
export const JOIN_EARLY_MINUTES = 10;

export function joinOpensAt(startsAt: string | null): number | null {
  return startsAt ? Date.parse(startsAt) - JOIN_EARLY_MINUTES * 60_000 : null;
}

/** Google Calendar's "add event" link: dates in UTC basic format. */
export function googleCalendarUrl(m: {
  title: string;
  startsAt: string;
  durationMinutes: number | null;
  details: string;
}): string {
  const basic = (ms: number) =>
    new Date(ms)
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
  const start = Date.parse(m.startsAt);
  const end = start + (m.durationMinutes ?? 30) * 60_000;
  const params = new URLSearchParams({
    action: 'TEMPLATE',
    text: m.title,
    dates: `${basic(start)}/${basic(end)}`,
    details: m.details,
  });
  return `https://calendar.google.com/calendar/render?${params}`;
}
