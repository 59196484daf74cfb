import { Cron } from 'croner';

/**
 * When a group's rounds happen: the cron gives the day and time in the group's timezone;
 * `everyWeeks` > 1 keeps only the occurrences in every Nth week counted from `anchorDate`
 * (alternating mixers: "every 2 weeks from 2026-01-05").
 */
export interface Cadence {
  cron: string;
  timezone: string;
  everyWeeks: number;
  anchorDate: string | null;
}

// Bounds the search for the next kept occurrence (a minutely cron with every 52 weeks, say).
const MAX_STEPS = 100_000;

function cronOf(cadence: Cadence): Cron {
  return new Cron(cadence.cron, { timezone: cadence.timezone, paused: true });
}

/** Rounds closer together than this pair the same few people over and over: refused by default. */
export const DEFAULT_MIN_ROUND_INTERVAL_HOURS = 24;

/** The shortest gap between the cadence's next occurrences (a sample of 30 from now), in ms. */
export function shortestGap(cadence: Cadence, from = new Date()): number | null {
  let previous = nextOccurrence(cadence, from);
  let shortest: number | null = null;
  for (let i = 0; previous && i < 30; i++) {
    const next = nextOccurrence(cadence, previous);
    if (!next) break;
    const gap = next.getTime() - previous.getTime();
    shortest = shortest === null ? gap : Math.min(shortest, gap);
    previous = next;
  }
  return shortest;
}

/** The normal time between two rounds: the gap after the given time (the last round's). */
export function normalInterval(cadence: Cadence, after: Date): number | null {
  const first = nextOccurrence(cadence, after);
  const second = first && nextOccurrence(cadence, first);
  return first && second ? second.getTime() - first.getTime() : null;
}

const count = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
const describeGap = (ms: number) =>
  ms < 3_600_000
    ? count(Math.round(ms / 60_000), 'minute')
    : ms < 86_400_000
      ? count(Math.round(ms / 3_600_000), 'hour')
      : count(Math.round(ms / 86_400_000), 'day');

/** Why a cron expression or timezone cannot be used, or null when it can. */
export function cadenceProblem(
  cadence: Cadence,
  minIntervalHours = DEFAULT_MIN_ROUND_INTERVAL_HOURS,
): { field: string; message: string } | null {
  try {
    new Intl.DateTimeFormat('en', { timeZone: cadence.timezone });
  } catch {
    return { field: 'timezone', message: 'must be an IANA time zone such as Europe/Paris' };
  }
  try {
    if (cronOf(cadence).nextRun() === null) return { field: 'cron', message: 'never runs again' };
  } catch (error) {
    return { field: 'cron', message: `is not a cron expression (${(error as Error).message})` };
  }
  const gap = shortestGap(cadence);
  if (gap !== null && gap < minIntervalHours * 3_600_000) {
    return {
      field: 'cron',
      message: `would make a round every ${describeGap(gap)}; rounds may be at most one every ${count(minIntervalHours, 'hour')} (pairing people that often repeats the same few pairs)`,
    };
  }
  return null;
}

function localDate(date: Date, timezone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(date);
}

function inKeptWeek(date: Date, cadence: Cadence): boolean {
  if (cadence.everyWeeks <= 1 || !cadence.anchorDate) return true;
  const days = (Date.parse(localDate(date, cadence.timezone)) - Date.parse(cadence.anchorDate)) / 86_400_000;
  const week = Math.floor(days / 7);
  return ((week % cadence.everyWeeks) + cadence.everyWeeks) % cadence.everyWeeks === 0;
}

/** The first occurrence strictly after `after`, or null when the cadence never runs again. */
export function nextOccurrence(cadence: Cadence, after: Date): Date | null {
  const cron = cronOf(cadence);
  let candidate = cron.nextRun(after);
  for (let step = 0; candidate && step < MAX_STEPS; step++) {
    if (candidate.getTime() > after.getTime() && inKeptWeek(candidate, cadence)) return candidate;
    candidate = cron.nextRun(candidate);
  }
  return null;
}

/**
 * After downtime several occurrences may have passed: the group gets one round, for the latest of
 * them, not one per missed occurrence. Returns that time, or null when nothing is due.
 */
export function latestDueOccurrence(cadence: Cadence, nextRoundAt: Date, now: Date): Date | null {
  if (nextRoundAt.getTime() > now.getTime()) return null;
  let due = nextRoundAt;
  for (let step = 0; step < MAX_STEPS; step++) {
    const following = nextOccurrence(cadence, due);
    if (!following || following.getTime() > now.getTime()) return due;
    due = following;
  }
  return due;
}
