/**
 * How the web app shows moments and days. Every page formats through here so that a time reads the
 * same everywhere and is in the reader's chosen timezone (their profile's), not the browser's: a
 * laptop set to Paris must not show a New York person Paris times. Take the zone from
 * `useTimeZone()` (ui/useTimeZone.ts) or from the page's signed-in person.
 *
 * One style: a medium date and the time to the minute ("Dec 5, 2026, 09:04 AM EST"), with the zone
 * named, since the reader's zone is not always the one they think in (an event's, a group's).
 * Seconds only where the page orders events closely (logs). Calendar days ("YYYY-MM-DD", e.g. an
 * unconference day) have no timezone and are never shifted.
 */

/**
 * `zone` when Intl knows it, else UTC. A zone saved by an older browser, or one this browser's ICU
 * lacks, must not break the page; UTC is named like any other zone, so the reader sees which it is.
 */
export function safeTimeZone(zone: string | null | undefined): string {
  if (!zone) return 'UTC';
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return 'UTC';
  }
}

// Hours with two digits ("09:04 AM", "09:04"): times line up in a column, and the meetings and
// mixers pages have always shown them so.
const CLOCK = { hour: '2-digit', minute: '2-digit' } as const;
const MEDIUM_DATE = { year: 'numeric', month: 'short', day: 'numeric' } as const;

// Building a DateTimeFormat costs far more than using one, and a table formats hundreds of cells:
// one formatter per shape and zone, made on first use.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(shape: string, zone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${shape}|${zone}`;
  let made = formatters.get(key);
  if (!made) {
    made = new Intl.DateTimeFormat(undefined, { ...options, timeZone: zone });
    formatters.set(key, made);
  }
  return made;
}

/** The instant, or null when the server sent something that is not one (shown as sent, not "Invalid Date"). */
function instant(iso: string): Date | null {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

function show(iso: string, shape: string, zone: string, options: Intl.DateTimeFormatOptions): string {
  const date = instant(iso);
  return date ? formatter(shape, safeTimeZone(zone), options).format(date) : iso;
}

/** "Dec 5, 2026, 09:04 AM EST" in `zone`; a dash when there is no moment (never used, not revoked). */
export function atMinute(iso: string | null, zone: string): string {
  if (!iso) return '—';
  return show(iso, 'minute+zone', zone, { ...MEDIUM_DATE, ...CLOCK, timeZoneName: 'short' });
}

/**
 * "Mar 3, 2026, 09:30 AM – 10:00 AM EST": a span in the one style, the date and the zone said once;
 * both ends whole when the span crosses midnight in `zone`. (Intl's formatRange would do this, but
 * drops the two-digit hour, so a start would read "9:30" here and "09:30" everywhere else.)
 */
export function atMinuteRange(startIso: string, endIso: string, zone: string): string {
  const start = instant(startIso);
  const end = instant(endIso);
  if (!start || !end) return atMinute(startIso, zone);
  const safe = safeTimeZone(zone);
  const date = formatter('date', safe, MEDIUM_DATE);
  if (date.format(start) !== date.format(end)) return `${atMinute(startIso, safe)} – ${atMinute(endIso, safe)}`;
  return `${date.format(start)}, ${clockTime(startIso, safe)} – ${clockTime(endIso, safe, { zoneName: true })}`;
}

/** "Dec 5, 2026, 09:04:07 AM EST": for logs, where several entries fall in the same minute. */
export function atSecond(iso: string, zone: string): string {
  return show(iso, 'second+zone', zone, { ...MEDIUM_DATE, ...CLOCK, second: '2-digit', timeZoneName: 'short' });
}

/**
 * "Dec 5, 09:04 AM": without the year when it is this year's (in `zone`), and without the zone's
 * name, for a table column that must stay narrow. The page names the zone once (ui/ZoneNote.tsx)
 * and puts `atMinute` in the cell's title for the whole moment.
 */
export function atMinuteShort(iso: string, zone: string, now = new Date()): string {
  const date = instant(iso);
  if (!date) return iso;
  const safe = safeTimeZone(zone);
  const thisYear = yearIn(date, safe) === yearIn(now, safe);
  return thisYear
    ? formatter('short', safe, { month: 'short', day: 'numeric', ...CLOCK }).format(date)
    : formatter('minute', safe, { ...MEDIUM_DATE, ...CLOCK }).format(date);
}

/** The time of day alone, "09:04 AM" (with the zone's name when asked): for ranges and axes within one day. */
export function clockTime(iso: string, zone: string, { zoneName = false }: { zoneName?: boolean } = {}): string {
  return zoneName
    ? show(iso, 'clock+zone', zone, { ...CLOCK, timeZoneName: 'short' })
    : show(iso, 'clock', zone, CLOCK);
}

function yearIn(date: Date, zone: string): string {
  return formatter('year', zone, { year: 'numeric' }).format(date);
}

/**
 * The day an instant falls on in `zone`, without the time: "Mon, Nov 30" (the year when it is not
 * this year's, or when asked). A day has no zone name: a day or so either way does not mislead.
 */
export function onDay(iso: string, zone: string, options: { year?: boolean } = {}): string {
  const date = instant(iso);
  if (!date) return iso;
  const safe = safeTimeZone(zone);
  const withYear = options.year || yearIn(date, safe) !== yearIn(new Date(), safe);
  const day = { weekday: 'short', day: 'numeric', month: 'short' } as const;
  return withYear
    ? formatter('day+year', safe, { ...day, year: 'numeric' }).format(date)
    : formatter('day', safe, day).format(date);
}

/** A short axis label, "Nov 30", for the day an instant falls on in `zone`. */
export function shortDay(iso: string, zone: string): string {
  return show(iso, 'short-day', zone, { day: 'numeric', month: 'short' });
}

/**
 * "Mon, May 4" for a calendar day 'YYYY-MM-DD' (an unconference day, a pause's end): the date as
 * written, in no timezone. Read and formatted in UTC so that no offset can move it to the day before.
 */
export function calendarDay(date: string, { year = false }: { year?: boolean } = {}): string {
  const day = /^\d{4}-\d{2}-\d{2}/.exec(date)?.[0];
  if (!day) return date;
  const options: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short' };
  if (year) options.year = 'numeric';
  return formatter(year ? 'calendar+year' : 'calendar', 'UTC', options).format(new Date(`${day}T12:00:00Z`));
}
