/**
 * Words for mixer schedules and numbers. Moments are shown through ui/dates.ts, in the viewer's
 * timezone; a cadence names the group's own zone, since that is the zone its cron runs in.
 */
import { onDay } from '../ui/dates';

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
const DAY_ABBREVIATIONS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;
const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth'] as const;

function dayIndex(token: string): number | null {
  const upper = token.toUpperCase();
  const byName = DAY_ABBREVIATIONS.indexOf(upper as (typeof DAY_ABBREVIATIONS)[number]);
  if (byName !== -1) return byName;
  if (!/^\d$/.test(upper)) return null;
  const n = Number(upper);
  return n === 7 ? 0 : n <= 6 ? n : null;
}

function joinWords(words: string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** "Mondays", "Weekdays", "Mondays and Thursdays", "The first Monday of the month" — or null. */
function daysInWords(dow: string): string | null {
  const nth = /^([A-Za-z]{3}|\d)#([1-5L])$/.exec(dow);
  if (nth) {
    const day = dayIndex(nth[1] ?? '');
    if (day === null) return null;
    const which = nth[2] === 'L' ? 'last' : ORDINALS[Number(nth[2]) - 1];
    return `The ${which} ${DAY_NAMES[day]} of the month`;
  }
  const range = /^([A-Za-z]{3}|\d)-([A-Za-z]{3}|\d)$/.exec(dow);
  if (range) {
    const from = dayIndex(range[1] ?? '');
    const to = dayIndex(range[2] ?? '');
    if (from === null || to === null) return null;
    if (from === 1 && to === 5) return 'Weekdays';
    return `${DAY_NAMES[from]} to ${DAY_NAMES[to]}`;
  }
  const days = dow.split(',').map(dayIndex);
  if (days.some((d) => d === null)) return null;
  return joinWords(days.map((d) => `${DAY_NAMES[d ?? 0]}s`));
}

function ordinalDay(n: number): string {
  const rem100 = n % 100;
  const suffix =
    rem100 >= 11 && rem100 <= 13 ? 'th' : n % 10 === 1 ? 'st' : n % 10 === 2 ? 'nd' : n % 10 === 3 ? 'rd' : 'th';
  return `${n}${suffix}`;
}

/** The day-and-time part of a cron expression in words, or null when it is too unusual to say simply. */
export function cronInWords(cron: string): string | null {
  let fields = cron.trim().split(/\s+/);
  if (fields.length === 6) fields = fields.slice(1); // croner's optional seconds
  if (fields.length !== 5) return null;
  const [minute = '', hour = '', dom = '', month = '', dow = ''] = fields;
  if (!/^\d{1,2}$/.test(minute) || !/^\d{1,2}$/.test(hour) || Number(minute) > 59 || Number(hour) > 23) return null;
  if (month !== '*') return null;
  const time = `${hour.padStart(2, '0')}:${minute.padStart(2, '0')}`;
  const anyDay = (value: string) => value === '*' || value === '?';
  if (anyDay(dom) && anyDay(dow)) return `Every day at ${time}`;
  if (anyDay(dow) && /^\d{1,2}$/.test(dom)) return `On the ${ordinalDay(Number(dom))} of every month at ${time}`;
  if (anyDay(dom)) {
    const days = daysInWords(dow);
    return days ? `${days} at ${time}` : null;
  }
  return null;
}

/** "Mondays at 10:00 (Europe/Paris)", "Mondays at 10:00, every 2 weeks (Europe/Paris)". */
export function cadenceInWords(group: { cron: string; timezone: string; everyWeeks: number }): string {
  const words = cronInWords(group.cron) ?? `On the schedule “${group.cron}”`;
  const every = group.everyWeeks > 1 ? `, every ${group.everyWeeks} weeks` : '';
  return `${words}${every} (${group.timezone})`;
}

/** A pause end is stored as the start of the chosen day in UTC: show that calendar day, unshifted. */
export function formatPauseDate(iso: string): string {
  return onDay(iso, 'UTC');
}

/** "in 3 days", "tomorrow", "2 hours ago". */
export function relativeTime(iso: string, now = Date.now()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const seconds = (date.getTime() - now) / 1000;
  const units: Array<[Intl.RelativeTimeFormatUnit, number]> = [
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ];
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size || unit === 'minute') return format.format(Math.round(seconds / size), unit);
  }
  return '';
}

export function percent(ratio: number): string {
  if (!Number.isFinite(ratio)) return '—';
  return `${Math.round(ratio * 100)}%`;
}

export { initials } from '../ui/initials';

/** A date input value (YYYY-MM-DD) for `days` from today, in the browser's calendar. */
export function dateInputValue(daysFromToday: number, from = new Date()): string {
  const date = new Date(from.getFullYear(), from.getMonth(), from.getDate() + daysFromToday);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The next date (YYYY-MM-DD) falling on `weekday` (0 = Sunday), today included. */
export function nextWeekday(weekday: number, from = new Date()): string {
  const offset = (weekday - from.getDay() + 7) % 7;
  return dateInputValue(offset, from);
}
