/**
 * A moment as the admin pages show it, in the reader's locale and time zone. One formatter each,
 * made once: logs (deliveries, refusals, the audit log) to the second, the rest to the minute.
 */
const toSecond = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const toMinute = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export const atSecond = (iso: string) => toSecond.format(new Date(iso));

/** A dash when there is no moment (never used, not revoked). */
export const atMinute = (iso: string | null) => (iso ? toMinute.format(new Date(iso)) : '—');
