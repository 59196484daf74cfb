/** The unconference scheduling problem as organisers and members describe it (the instance file). */
export interface SchedulingInstance {
  name: string;
  slots: Slot[];
  rooms: Room[];
  sessions: Session[];
  users: string[];
  /** user id -> session id -> 0 | 25 | 75 | 100 (absent = 0). Owners count as 100 in their own sessions. */
  interests: Record<string, Record<string, number>>;
}

export interface Slot {
  id: string;
  start: string;
  /** A locked slot keeps exactly what the current schedule has there (nothing, without one). */
  locked: boolean;
}

export interface Room {
  id: string;
  name: string;
  capacity: number;
}

export interface Session {
  id: string;
  title: string;
  /** Owner and co-owners: no two sessions sharing one of them may run in the same slot. */
  owners: string[];
  /** null or [] = any slot. */
  allowedSlots: string[] | null;
}

export interface Assignment {
  session: string;
  slot: string;
  room: string;
}

/** A schedule already published (or being edited), to stay close to or to keep in locked slots. */
export interface CurrentSchedule {
  assignments: Assignment[];
}

/** A session that must stay in this slot (and this room, when given). */
export interface Pin {
  session: string;
  slot: string;
  room?: string;
}

export interface SolveProgress {
  /** 0..1 of the budget (time or iterations) used so far. */
  fraction: number;
  iterations: number;
  /** Best score found so far (interest people can attend). */
  bestScore: number;
  upperBound: number;
  elapsedMs: number;
}

export interface SolveOptions {
  /** Wall-clock budget. Without it and without `iterations`, 2 seconds. */
  seconds?: number;
  /** Annealing steps per chain: with the same seed, the same schedule on any machine. */
  iterations?: number;
  seed?: string;
  /** Stay close to this schedule: every session it places that ends up elsewhere costs `moveWeight`. */
  current?: CurrentSchedule;
  /** Score units (interest points) one moved session is worth. Default 0 = only locked slots count. */
  moveWeight?: number;
  pins?: Pin[];
  /** Independent annealing chains, each in its own worker thread. Default 1 = in this thread. */
  threads?: number;
  /**
   * Prove the optimum with the set-partition model (HiGHS) when the instance is small enough.
   * Default true. The proof is part of the time budget; when it runs out, the annealing result stays.
   */
  exact?: boolean;
  onProgress?: (progress: SolveProgress) => void;
  /** Stops the search early; the best schedule found so far is returned (stats.stopped = 'aborted'). */
  signal?: AbortSignal;
}

export type UnplacedReason = 'no_open_slot' | 'slots_full' | 'owner_clash';

export interface Unplaced {
  session: string;
  reason: UnplacedReason;
  /** One sentence for organisers. */
  detail: string;
}

export interface PlacedSession extends Assignment {
  /** People expected in the room: each person counts for the session they like most in the slot (split on ties). */
  audience: number;
  /** True when the expected audience exceeds the room's capacity. */
  overflowing: boolean;
}

export interface SolveStats {
  method: 'exact' | 'annealing';
  /** True when `score` is proven to be the best possible (then upperBound = score). */
  optimal: boolean;
  iterations: number;
  chains: number;
  elapsedMs: number;
  stopped: 'budget' | 'aborted' | 'proven';
  /** Sessions placed by `current` that are elsewhere now. */
  moved: number;
  overflowing: number;
}

export interface SolveResult {
  assignments: PlacedSession[];
  unplaced: Unplaced[];
  /** Σ over people Σ over slots of the highest interest among the sessions in that slot. */
  score: number;
  /** No schedule can score more than this. */
  upperBound: number;
  stats: SolveStats;
}
