/**
 * A moment as the admin pages show it, in the reader's locale and time zone. One formatter each,
 * made once: logs (deliveries, refusals, the audit log) to the second, the rest to the minute.
 */
const toSecond = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const toMinute = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export const atSecond = (iso: string) => toSecond.format(new Date(iso));

/** A dash when there is no moment (never used, not revoked). */
export const atMinute = (iso: string | null) => (iso ? toMinute.format(new Date(iso)) : '—');

const dayAndMinute = { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' } as const;
const toMinuteThisYear = new Intl.DateTimeFormat(undefined, dayAndMinute);
const toMinuteOtherYear = new Intl.DateTimeFormat(undefined, { ...dayAndMinute, year: 'numeric' });

/**
 * To the minute, without the year when it is this year's ("Dec 5, 9:04 AM"): for a table column
 * that must stay narrow. Show `atMinute` beside it (a title) for the whole date.
 */
export function atMinuteShort(iso: string, now = new Date()): string {
  const moment = new Date(iso);
  return (moment.getFullYear() === now.getFullYear() ? toMinuteThisYear : toMinuteOtherYear).format(moment);
}
