/**
 * The exchange between chains in worker threads: at the start of each cooling cycle after the first,
 * every chain posts its best schedule, waits for the others, and starts the cycle from the best of
 * all (equal objectives: the lowest chain). Under an iteration budget the chains meet at fixed step
 * counts, so the result is still the same for the same seed, budget and thread count.
 */
export interface ExchangeBuffers {
  chains: number;
  nSessions: number;
  /** [0]: arrivals so far, over all rounds. */
  arrivals: Int32Array;
  /** Two sets of per-chain objectives and schedules, by round parity: a chain that has gone on to the next round cannot overwrite what a slower one is still reading. */
  objectives: Float64Array;
  schedules: Int32Array;
}

export function exchangeBuffers(chains: number, nSessions: number): ExchangeBuffers {
  return {
    chains,
    nSessions,
    arrivals: new Int32Array(new SharedArrayBuffer(4)),
    objectives: new Float64Array(new SharedArrayBuffer(8 * 2 * chains)),
    schedules: new Int32Array(new SharedArrayBuffer(4 * 2 * chains * nSessions)),
  };
}

/** Wait this long between checks of the stop flag (a chain that failed never arrives). */
const WAIT_MS = 50;

/**
 * The `exchange` option of chain k (anneal.ts); gives up and keeps its own best once `stop` is set.
 * `round` is the cycle the chain has reached: under a time deadline one chain may jump past a cycle
 * the others stop at, so it meets them at every round up to `round` (posting its own best at each),
 * and nobody waits for an arrival that never comes.
 */
export function exchangeFor(
  buffers: ExchangeBuffers,
  k: number,
  stop: Int32Array,
): (best: Int32Array, objective: number, round: number) => Int32Array {
  const { chains, nSessions, arrivals, objectives, schedules } = buffers;
  let met = 0;
  return (best, objective, round) => {
    let from: Int32Array = best;
    while (met < round) {
      const half = met % 2;
      met++;
      objectives[half * chains + k] = objective;
      schedules.set(best, (half * chains + k) * nSessions);
      Atomics.add(arrivals, 0, 1);
      Atomics.notify(arrivals, 0);
      for (;;) {
        const arrived = Atomics.load(arrivals, 0);
        if (arrived >= met * chains) break;
        if (Atomics.load(stop, 0) !== 0) return best;
        Atomics.wait(arrivals, 0, arrived, WAIT_MS);
      }
      let pick = 0;
      for (let j = 1; j < chains; j++) if (objectives[half * chains + j]! > objectives[half * chains + pick]!) pick = j;
      const at = (half * chains + pick) * nSessions;
      from = schedules.slice(at, at + nSessions);
    }
    return from;
  };
}
