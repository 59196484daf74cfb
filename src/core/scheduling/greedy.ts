import type { Model } from './model.js';
import { ScheduleState } from './state.js';

/**
 * The starting schedule: fixed sessions first, then Xen's greedy order (descending total interest),
 * each session into the slot where it adds the most, but only where it is allowed, a room is free and
 * no owner clashes. Ties: more free rooms, then the earlier slot (as Xen does).
 */
export function greedyStart(model: Model): ScheduleState {
  const state = new ScheduleState(model);
  for (let s = 0; s < model.nSessions; s++) if (model.fixedSlot[s]! >= 0) state.add(s, model.fixedSlot[s]!);
  const order = [...Array(model.nSessions).keys()]
    .filter((s) => model.fixedSlot[s]! < 0)
    .sort((a, b) => model.totalInterest[b]! - model.totalInterest[a]! || a - b);
  for (const s of order) {
    let bestSlot = -1;
    let bestValue = -Infinity;
    for (let t = 0; t < model.nSlots; t++) {
      if (!state.fits(s, t)) continue;
      const value =
        state.gainIfAdded(s, t) - model.moveWeight * state.movedChange(s, t) + (model.capacity - state.size[t]!);
      if (value > bestValue) {
        bestValue = value;
        bestSlot = t;
      }
    }
    if (bestSlot >= 0) state.add(s, bestSlot);
  }
  return state;
}

/** Puts every unplaced session that still fits somewhere into its best such slot: never lowers the score. */
export function fillFreeRooms(state: ScheduleState): void {
  const model = state.model;
  for (let s = 0; s < model.nSessions; s++) {
    if (state.slotOf[s]! >= 0) continue;
    let bestSlot = -1;
    let bestValue = -Infinity;
    for (let t = 0; t < model.nSlots; t++) {
      if (!state.fits(s, t)) continue;
      const value = state.gainIfAdded(s, t) - model.moveWeight * state.movedChange(s, t);
      if (value > bestValue) {
        bestValue = value;
        bestSlot = t;
      }
    }
    if (bestSlot >= 0) state.add(s, bestSlot);
  }
}
