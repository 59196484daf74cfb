export { SchedulingInputError } from './errors.js';
export { parseCurrent, parseInstance, parsePins } from './instance.js';
export { solve } from './solve.js';
export type {
  Assignment,
  CurrentSchedule,
  Pin,
  PlacedSession,
  Room,
  SchedulingInstance,
  Session,
  Slot,
  SolveOptions,
  SolveProgress,
  SolveResult,
  SolveStats,
  Unplaced,
  UnplacedReason,
} from './types.js';
