import type { ScheduleRun } from '../../contract/unconferenceSchedule.js';
import type { RunRow } from './scheduleRuns.js';

/** A run as the console shows it: the gap from its best score and bound, and how it ended. */
export function presentRun(run: RunRow): ScheduleRun {
  let method: string | null = null;
  let optimal: boolean | null = null;
  if (run.result) {
    const parsed = JSON.parse(run.result) as { stats?: { method?: string; optimal?: boolean } };
    method = parsed.stats?.method ?? null;
    optimal = parsed.stats?.optimal ?? null;
  }
  const gap =
    run.best_score !== null && run.upper_bound !== null && run.upper_bound > 0
      ? Math.max(0, (run.upper_bound - run.best_score) / run.upper_bound)
      : null;
  return {
    id: run.id,
    mode: run.mode,
    status: run.status,
    budgetSeconds: run.budget_seconds,
    progress: Number(run.progress),
    bestScore: run.best_score === null ? null : Number(run.best_score),
    upperBound: run.upper_bound === null ? null : Number(run.upper_bound),
    gap,
    error: run.error,
    createdAt: run.created_at,
    startedAt: run.started_at,
    finishedAt: run.finished_at,
    heartbeatAt: run.heartbeat_at,
    method,
    optimal,
  };
}
