/**
 * Helpers shared by the pairing tests: simulating a group over many rounds and brute-force
 * references for small cases. Not part of the engine's public API.
 */
import { pairRound } from './pairRound.js';
import type { PairingInput, PairingMember, PairingResult, PastMeeting } from './types.js';

export function people(n: number, prefix = 'p'): PairingMember[] {
  return Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}` }));
}

export function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

export function pairsOf(group: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let x = 0; x < group.length; x++) for (let y = x + 1; y < group.length; y++) out.push([group[x]!, group[y]!]);
  return out;
}

/** Every member exactly once across groups and sittingOut; returns the sizes of the groups. */
export function placementProblems(members: readonly PairingMember[], result: PairingResult): string[] {
  const problems: string[] = [];
  const count = new Map<string, number>();
  for (const id of [...result.groups.flat(), ...result.sittingOut]) count.set(id, (count.get(id) ?? 0) + 1);
  for (const m of members) {
    const c = count.get(m.id) ?? 0;
    if (c !== 1) problems.push(`${m.id} placed ${c} times`);
  }
  for (const id of count.keys()) if (!members.some((m) => m.id === id)) problems.push(`${id} is not a member`);
  return problems;
}

export interface Played {
  results: PairingResult[];
  history: PastMeeting[];
  /** Repeats per round, counted against all earlier rounds. */
  repeatsByRound: number[];
}

/** Plays consecutive rounds, feeding each round back as history (and sit-outs as lastSatOut). */
export function playRounds(
  rounds: number,
  membersFor: (round: number) => PairingMember[],
  base: Omit<PairingInput, 'members' | 'history' | 'seed'> & { seedPrefix?: string } = {},
  history: PastMeeting[] = [],
): Played {
  const results: PairingResult[] = [];
  const repeatsByRound: number[] = [];
  const met = new Set<string>();
  for (const h of history) for (const [a, b] of pairsOf(h.participants)) met.add(pairKey(a, b));
  const lastSatOut: Record<string, number> = { ...(base.lastSatOut ?? {}) };
  const start = history.length === 0 ? 0 : Math.max(...history.map((h) => h.at)) + 1;
  for (let r = 0; r < rounds; r++) {
    const at = start + r;
    const result = pairRound({
      ...base,
      members: membersFor(r),
      history,
      seed: `${base.seedPrefix ?? 'seed'}-${r}`,
      lastSatOut: { ...lastSatOut },
    });
    let repeats = 0;
    for (const g of result.groups) {
      for (const [a, b] of pairsOf(g)) if (met.has(pairKey(a, b))) repeats++;
    }
    for (const g of result.groups) {
      for (const [a, b] of pairsOf(g)) met.add(pairKey(a, b));
      history.push({ participants: g, at });
    }
    for (const id of result.sittingOut) lastSatOut[id] = at;
    results.push(result);
    repeatsByRound.push(repeats);
  }
  return { results, history, repeatsByRound };
}

/** Fewest repeated pairs any perfect matching of `ids` (even count) can have, by exhaustive search. */
export function minimumRepeats(ids: readonly string[], history: readonly PastMeeting[]): number {
  const met = new Set<string>();
  for (const h of history) for (const [a, b] of pairsOf(h.participants)) met.add(pairKey(a, b));
  const used = new Array<boolean>(ids.length).fill(false);
  let best = Number.POSITIVE_INFINITY;
  const search = (from: number, repeats: number): void => {
    if (repeats >= best) return;
    let v = from;
    while (v < ids.length && used[v]) v++;
    if (v === ids.length) {
      best = repeats;
      return;
    }
    used[v] = true;
    for (let u = v + 1; u < ids.length; u++) {
      if (used[u]) continue;
      used[u] = true;
      search(v + 1, repeats + (met.has(pairKey(ids[v]!, ids[u]!)) ? 1 : 0));
      used[u] = false;
    }
    used[v] = false;
  };
  search(0, 0);
  return best;
}

/** Fewest repeated pairs over all splits of `ids` (odd count) into pairs and exactly one trio. */
export function minimumRepeatsWithTrio(ids: readonly string[], history: readonly PastMeeting[]): number {
  const met = new Set<string>();
  for (const h of history) for (const [a, b] of pairsOf(h.participants)) met.add(pairKey(a, b));
  const m = (a: number, b: number): number => (met.has(pairKey(ids[a]!, ids[b]!)) ? 1 : 0);
  const used = new Array<boolean>(ids.length).fill(false);
  let best = Number.POSITIVE_INFINITY;
  const search = (trioPlaced: boolean, repeats: number): void => {
    if (repeats >= best) return;
    const v = used.indexOf(false);
    if (v === -1) {
      if (trioPlaced) best = repeats;
      return;
    }
    used[v] = true;
    for (let u = v + 1; u < ids.length; u++) {
      if (used[u]) continue;
      used[u] = true;
      search(trioPlaced, repeats + m(v, u));
      if (!trioPlaced) {
        for (let w = u + 1; w < ids.length; w++) {
          if (used[w]) continue;
          used[w] = true;
          search(true, repeats + m(v, u) + m(v, w) + m(u, w));
          used[w] = false;
        }
      }
      used[u] = false;
    }
    used[v] = false;
  };
  search(false, 0);
  return best;
}
