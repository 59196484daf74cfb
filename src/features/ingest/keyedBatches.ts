/** Work waiting for a batch, with the keys (a delivery id, a scale team, a person) it writes under. */
export interface Keyed {
  keys: readonly string[];
}

/**
 * Batches of waiting work with up to `slots` of them in flight at once, such that no key is in
 * two batches in flight: work waits while a batch in flight holds one of its keys, and so does any
 * later work sharing a key with work that waits, so the work under one key is done in the order it
 * came. `run` stores a batch; the next batch starts as soon as a slot is free (a burst arriving
 * within one tick, and whatever waited meanwhile, go together).
 *
 * Two slots let the process prepare and send one batch while the database commits another,
 * instead of the two taking turns.
 */
export function keyedBatches<T extends Keyed>(options: {
  slots: number;
  maxBatch: number;
  /**
   * With nothing in flight and arrivals still coming a tick after the first, how long to wait for
   * more before the batch starts (a full batch does not wait). Without it, or for a burst that came
   * within one tick, a batch starts at the end of the tick, with what that tick brought.
   */
  lingerMs?: number;
  run(batch: T[]): Promise<void>;
}): (item: T) => void {
  const waiting: T[] = [];
  /** Keys of the batches in flight: how many of their items hold each. */
  const busy = new Map<string, number>();
  let inFlight = 0;
  let scheduled = false;
  let lingering: NodeJS.Timeout | undefined;

  function take(): T[] {
    const taken: T[] = [];
    const rest: T[] = [];
    const held = new Set<string>();
    for (const item of waiting) {
      if (taken.length < options.maxBatch && !item.keys.some((k) => busy.has(k) || held.has(k))) taken.push(item);
      else {
        rest.push(item);
        for (const k of item.keys) held.add(k);
      }
    }
    waiting.splice(0, waiting.length, ...rest);
    return taken;
  }

  function hold(batch: readonly T[], by: 1 | -1) {
    for (const item of batch) {
      for (const k of item.keys) {
        const n = (busy.get(k) ?? 0) + by;
        if (n > 0) busy.set(k, n);
        else busy.delete(k);
      }
    }
  }

  function pump() {
    scheduled = false;
    clearTimeout(lingering);
    lingering = undefined;
    while (inFlight < options.slots && waiting.length) {
      const batch = take();
      if (!batch.length) return;
      inFlight++;
      hold(batch, 1);
      void options
        .run(batch)
        .catch(() => undefined)
        .finally(() => {
          inFlight--;
          hold(batch, -1);
          pump();
        });
    }
  }

  return (item) => {
    waiting.push(item);
    if (lingering && waiting.length >= options.maxBatch) {
      clearTimeout(lingering);
      lingering = undefined;
      setImmediate(pump);
    }
    if (!scheduled && inFlight < options.slots) {
      scheduled = true;
      // The rest of this tick's arrivals (a burst, a prefetch window) join the batch.
      setImmediate(options.lingerMs ? lingerOrPump : pump);
    }
  };

  /**
   * A burst that came within one tick starts at once. Arrivals still coming in the next tick
   * (senders answered one by one) are waited for, up to lingerMs, when nothing is in flight.
   */
  function lingerOrPump() {
    const tickArrivals = waiting.length;
    setImmediate(() => {
      const trickling = waiting.length > tickArrivals;
      if (trickling && inFlight === 0 && waiting.length < options.maxBatch && !lingering) {
        lingering = setTimeout(pump, options.lingerMs);
      } else if (!lingering) pump();
    });
  }
}
