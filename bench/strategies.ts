import { createRng, type PairingMember, type PastMeeting, pairRound } from '../src/core/pairing/index.js';

/** One round of a pairing strategy under test. */
export interface RoundRequest {
  members: PairingMember[];
  roster: PairingMember[];
  history: PastMeeting[];
  seed: string;
  roundIndex: number;
  /** times[a * rosterSize + b]: how often roster people a and b met (for the greedy baseline). */
  timesMet: Uint16Array;
  rosterIndex: Map<string, number>;
}

export interface Strategy {
  name: string;
  pair(request: RoundRequest): string[][];
}

export const convene: Strategy = {
  name: 'convene',
  pair: (r) =>
    pairRound({ members: r.members, history: r.history, seed: r.seed, roundIndex: r.roundIndex, roster: r.roster })
      .groups,
};

/** Odd count: the last one joins the previous pair, as most simple bots do. */
function chunkIntoPairs(ids: string[]): string[][] {
  const groups: string[][] = [];
  for (let i = 0; i + 1 < ids.length; i += 2) groups.push([ids[i]!, ids[i + 1]!]);
  if (ids.length % 2 === 1) {
    const last = ids[ids.length - 1]!;
    if (groups.length > 0) groups[groups.length - 1]!.push(last);
    else groups.push([last]);
  }
  return groups;
}

export const shuffle: Strategy = {
  name: 'shuffle',
  pair: (r) => chunkIntoPairs(createRng(r.seed).shuffle(r.members.map((m) => m.id))),
};

/** Coffee-bot style: people in random order each take their least-often-met available partner. */
export const greedy: Strategy = {
  name: 'greedy',
  pair: (r) => {
    const rng = createRng(r.seed);
    const ids = rng.shuffle(r.members.map((m) => m.id));
    const idx = ids.map((id) => r.rosterIndex.get(id)!);
    const size = Math.sqrt(r.timesMet.length);
    const taken = new Uint8Array(ids.length);
    const groups: string[][] = [];
    for (let i = 0; i < ids.length; i++) {
      if (taken[i]) continue;
      let best = -1;
      let bestTimes = Number.POSITIVE_INFINITY;
      for (let j = i + 1; j < ids.length; j++) {
        if (taken[j]) continue;
        const times = r.timesMet[idx[i]! * size + idx[j]!]!;
        if (times < bestTimes) {
          bestTimes = times;
          best = j;
        }
      }
      taken[i] = 1;
      if (best === -1) {
        // Odd one out joins the last pair.
        if (groups.length > 0) groups[groups.length - 1]!.push(ids[i]!);
        else groups.push([ids[i]!]);
        continue;
      }
      taken[best] = 1;
      groups.push([ids[i]!, ids[best]!]);
    }
    return groups;
  },
};
