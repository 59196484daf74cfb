export { type MatchingOptions, type MatchingProblem, type MatchingSolver, maxWeightMatching } from './blossom.js';
export { MeetingIndex } from './history.js';
export { pairRound, pairRoundWith } from './pairRound.js';
export { createRng, hashString, type Rng } from './rng.js';
export type { PairingInput, PairingMember, PairingResult, PairingStats, PastMeeting } from './types.js';
