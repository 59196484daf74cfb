import { LEVEL_VALUES, type Model } from './model.js';

/**
 * The trivial upper bound: in each slot a person attends one session, each session runs at most once,
 * so nobody gets more than the sum of their top-T interests (T = number of slots), counting only
 * sessions that can be placed at all.
 */
export function topInterestsBound(model: Model): number {
  const placeable = new Uint8Array(model.nSessions);
  for (let s = 0; s < model.nSessions; s++) {
    for (let t = 0; t < model.nSlots; t++) if (model.allowed[s * model.nSlots + t]) placeable[s] = 1;
  }
  // Per person, how many placeable sessions they rate at each level.
  const perLevel = new Int32Array(model.nUsers * 4);
  for (let s = 0; s < model.nSessions; s++) {
    if (!placeable[s]) continue;
    for (let k = model.rStart[s]!; k < model.rStart[s + 1]!; k++) perLevel[model.rUser[k]! * 4 + model.rLevel[k]!]!++;
  }
  let bound = 0;
  for (let u = 0; u < model.nUsers; u++) {
    let left = model.nSlots;
    for (let level = 3; level >= 1 && left > 0; level--) {
      const take = Math.min(left, perLevel[u * 4 + level]!);
      bound += take * LEVEL_VALUES[level as 1];
      left -= take;
    }
  }
  return bound;
}
