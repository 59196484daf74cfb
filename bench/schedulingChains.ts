/**
 * Development benchmark of one annealing chain against the reference annealing, both single-threaded
 * for the same seconds on the same instance (so the ratio is fair whatever the machine's load):
 * `npx tsx bench/schedulingChains.ts [seconds] [instance…]`. Prints steps per second and scores.
 */
import { loadavg } from 'node:os';
import { runChain } from '../src/core/scheduling/anneal.js';
import { fillFreeRooms, greedyStart } from '../src/core/scheduling/greedy.js';
import { buildModel } from '../src/core/scheduling/model.js';
import { generateInstance } from '../src/core/scheduling/testSupport.js';
import { referenceAnnealing } from './schedulingBaselines.js';

const sizes: Record<string, { sessions: number; slots: number; rooms: number; people: number }> = {
  small: { sessions: 20, slots: 6, rooms: 4, people: 60 },
  tight: { sessions: 32, slots: 8, rooms: 4, people: 150 },
  'xen-a': { sessions: 60, slots: 16, rooms: 5, people: 300 },
  'xen-b': { sessions: 60, slots: 16, rooms: 5, people: 300 },
  'xen-c': { sessions: 60, slots: 16, rooms: 5, people: 300 },
  large: { sessions: 300, slots: 40, rooms: 8, people: 3000 },
};
const args = process.argv.slice(2);
const seconds = Number(args[0] ?? 5);
const names = args.length > 1 ? args.slice(1) : ['tight', 'xen-a', 'xen-b', 'large'];
console.log(
  `load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}, ${seconds} s each`,
);
for (const name of names) {
  const model = buildModel(generateInstance({ ...sizes[name]!, seed: name }));
  const startState = greedyStart(model);
  fillFreeRooms(startState);
  const start = startState.snapshot();
  const t0 = performance.now();
  const chain = runChain(model, start, { seed: 'bench', deadline: performance.now() + seconds * 1000 });
  const chainSeconds = (performance.now() - t0) / 1000;
  const sa = referenceAnnealing(model, start, seconds, 'reference');
  console.log(
    `${name.padEnd(6)} greedy ${startState.score}  chain ${chain.score} (${Math.round(chain.iterations / chainSeconds)} steps/s)` +
      `  reference ${sa.score} (${Math.round(sa.iterations / seconds)} steps/s)  ratio ${(chain.score / sa.score).toFixed(4)}`,
  );
}
