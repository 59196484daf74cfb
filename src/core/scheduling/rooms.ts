import { LEVEL_VALUES, type Model } from './model.js';

/**
 * Expected audience of each session in one slot: every person goes to the session they rate highest
 * there (split equally between sessions they rate the same); people who rate none of them stay out.
 */
export function slotAudience(model: Model, sessions: readonly number[]): number[] {
  const bestLevel = new Map<number, number>();
  const ties = new Map<number, number>();
  for (const s of sessions) {
    for (let k = model.rStart[s]!; k < model.rStart[s + 1]!; k++) {
      const u = model.rUser[k]!;
      const level = model.rLevel[k]!;
      const best = bestLevel.get(u) ?? 0;
      if (level > best) {
        bestLevel.set(u, level);
        ties.set(u, 1);
      } else if (level === best) ties.set(u, ties.get(u)! + 1);
    }
  }
  return sessions.map((s) => {
    let audience = 0;
    for (let k = model.rStart[s]!; k < model.rStart[s + 1]!; k++) {
      const u = model.rUser[k]!;
      if (model.rLevel[k] === bestLevel.get(u)) audience += 1 / ties.get(u)!;
    }
    return Math.round(audience * 100) / 100;
  });
}

/**
 * Rooms within one slot: fixed rooms (pins, locked slots) stay; the rest go by expected audience,
 * largest audience to the largest remaining room (ties by session order, then room order).
 */
export function assignRooms(model: Model, sessions: readonly number[], audience: readonly number[]): number[] {
  const room = sessions.map((s) => model.fixedRoom[s]!);
  const taken = new Set(room.filter((r) => r >= 0));
  const free = [...Array(model.nRooms).keys()]
    .filter((r) => !taken.has(r))
    .sort((a, b) => model.roomCapacity[b]! - model.roomCapacity[a]! || a - b);
  const order = sessions
    .map((s, i) => ({ s, i }))
    .filter(({ i }) => room[i]! < 0)
    .sort((a, b) => audience[b.i]! - audience[a.i]! || a.s - b.s);
  order.forEach(({ i }, k) => {
    room[i] = free[k]!;
  });
  return room;
}

/** The score of a placement recounted from scratch (no incremental state): Σ people Σ slots of the best interest. */
export function recountScore(model: Model, slotOf: ArrayLike<number>): number {
  const best = new Uint8Array(model.nSlots * model.nUsers);
  for (let s = 0; s < model.nSessions; s++) {
    const t = slotOf[s]!;
    if (t < 0) continue;
    for (let k = model.rStart[s]!; k < model.rStart[s + 1]!; k++) {
      const i = t * model.nUsers + model.rUser[k]!;
      if (model.rLevel[k]! > best[i]!) best[i] = model.rLevel[k]!;
    }
  }
  let score = 0;
  for (const level of best) score += LEVEL_VALUES[level as 0];
  return score;
}
