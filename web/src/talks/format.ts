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

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * An ISO time as the value of a datetime-local input, in the browser's time zone: the input has no
 * zone of its own, and the form says which zone it reads (EventForm). Moments shown, not typed, go
 * through ui/dates.ts in the person's zone.
 */
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
