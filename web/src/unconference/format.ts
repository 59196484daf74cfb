import type { InterestLevel, UnconferencePhase } from '../api/unconference';

export const PHASE_LABELS: Record<UnconferencePhase, string> = {
  proposals: 'Taking proposals',
  scheduling: 'Scheduling',
  published: 'Schedule published',
  finished: 'Finished',
};

export const PHASE_BADGES: Record<UnconferencePhase, string> = {
  proposals: 'badge badge-admin',
  scheduling: 'badge badge-warn',
  published: 'badge badge-ok',
  finished: 'badge badge-member',
};

export const INTEREST_OPTIONS: ReadonlyArray<{ level: InterestLevel; label: string }> = [
  { level: 0, label: 'None' },
  { level: 25, label: 'A little' },
  { level: 75, label: 'Yes' },
  { level: 100, label: 'Very' },
];
