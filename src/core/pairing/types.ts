import type { MeetingIndex, PastMeeting } from './history.js';

export type { PastMeeting } from './history.js';

export interface PairingMember {
  id: string;
  team?: string | null;
  managerId?: string | null;
}

export interface PairingInput {
  /** People taking part in THIS round (already excludes paused/skipping). */
  members: PairingMember[];
  /** Every earlier meeting of this group. May be [] when `historyIndex` is given. */
  history: PastMeeting[];
  seed: string;
  /** 2 (default): pairs. 3: the group prefers trios. */
  groupSize?: 2 | 3;
  /** What to do with an odd count when groupSize is 2. Default 'trio'. */
  oddPolicy?: 'trio' | 'sit_out';
  /** Person id -> ms timestamp of their last sit-out. */
  lastSatOut?: Record<string, number>;
  /**
   * Ordinal of this round in the group. Accepted for callers that track it, but not needed: the
   * engine reads its place in the round-robin cycle from the history, which stays right when rounds
   * are skipped, the counter is reset, or the roster changes (a new plan starts at its cleanest round).
   */
  roundIndex?: number;
  /**
   * Everyone in the group, including people absent this round. Keeps the round-robin plan stable
   * while people skip rounds; defaults to the members plus everyone seen in recent history.
   */
  roster?: PairingMember[];
  /**
   * A prebuilt index of the history (MeetingIndex.fromHistory). Lets a caller build it once and reuse
   * it, e.g. for previews with several seeds. When given, `history` is ignored.
   */
  historyIndex?: MeetingIndex;
}

export interface PairingStats {
  /** Pairs (a trio counts as 3) whose members had met before. */
  repeatPairs: number;
  sameTeamPairs: number;
  managerReportPairs: number;
}

export interface PairingResult {
  /** Each pair or trio, as ids. */
  groups: string[][];
  /** 0 or 1 ids. */
  sittingOut: string[];
  stats: PairingStats;
}
