import type { TalksPhase } from '../api/talks';

export const PHASE_LABELS: Record<TalksPhase, string> = {
  proposals: 'Taking proposals',
  voting: 'Voting open',
  closed: 'Voting closed',
};

export const PHASE_BADGES: Record<TalksPhase, string> = {
  proposals: 'badge badge-admin',
  voting: 'badge badge-ok',
  closed: 'badge badge-member',
};

/** "12 Mar 2026, 18:00" in the viewer's time zone (the browser's when signed out). */
export function formatDateTime(iso: string, timeZone?: string): string {
  try {
    return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(
      new Date(iso),
    );
  } catch {
    return new Date(iso).toLocaleString();
  }
}

export function formatShortDate(iso: string, timeZone?: string): string {
  try {
    return new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone }).format(new Date(iso));
  } catch {
    return iso.slice(0, 10);
  }
}

/** "18:05" in the viewer's time zone: for axes whose whole span lies within one day. */
export function formatTime(iso: string, timeZone?: string): string {
  try {
    return new Intl.DateTimeFormat(undefined, { timeStyle: 'short', timeZone }).format(new Date(iso));
  } catch {
    return iso.slice(11, 16);
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An ISO time as the value of a datetime-local input, in the browser's time zone. */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local value (browser time zone) as ISO UTC; empty → null. */
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

export { initials } from '../ui/initials';

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
