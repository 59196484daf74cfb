/**
 * Wall-clock times in an event's time zone ↔ UTC instants, with Intl only. Slots are stored in UTC;
 * the timetable editor and the JSON file speak the event's local date and HH:MM.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let found = formatters.get(timeZone);
  if (!found) {
    found = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, found);
  }
  return found;
}

function wallClock(timeZone: string, ms: number): { date: string; time: string; asUtcMs: number } {
  const parts: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(ms))) parts[part.type] = part.value;
  const { year, month, day, hour, minute, second } = parts as Record<string, string>;
  return {
    date: `${year}-${month}-${day}`,
    time: `${hour}:${minute}`,
    asUtcMs: Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)),
  };
}

const offsetAt = (timeZone: string, ms: number) => wallClock(timeZone, ms).asUtcMs - ms;

/** `date` (YYYY-MM-DD) at `time` (HH:MM, 24:00 = the next midnight) in `timeZone`, as UTC ISO text. */
export function zonedToUtc(date: string, time: string, timeZone: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [h, min] = time.split(':').map(Number) as [number, number];
  const guess = Date.UTC(y, m - 1, d, h, min);
  const first = offsetAt(timeZone, guess);
  let ms = guess - first;
  const second = offsetAt(timeZone, ms);
  if (second !== first) ms = guess - second;
  return new Date(ms).toISOString();
}

/** A UTC instant as the date and HH:MM on the wall in `timeZone`. */
export function utcToZoned(iso: string, timeZone: string): { date: string; time: string } {
  const { date, time } = wallClock(timeZone, new Date(iso).getTime());
  return { date, time };
}

/** The end of a slot as HH:MM on its day: the next midnight reads 24:00. */
export function endClock(startsAtIso: string, endsAtIso: string, day: string, timeZone: string): string {
  const end = utcToZoned(endsAtIso, timeZone);
  if (end.date !== day && end.time === '00:00' && endsAtIso > startsAtIso) return '24:00';
  return end.time;
}
