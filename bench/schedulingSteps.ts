/**
 * Development benchmark with step budgets instead of seconds, so that results do not depend on the
 * machine's load: the engine (`solve` with `iterations` per chain, two chains in worker threads, no
 * bound) against the reference annealing with a fixed number of steps (cached in
 * bench/results/reference-steps.json: it is deterministic and slow).
 *
 * `npx tsx bench/schedulingSteps.ts [--chain N] [--reference M] [--seeds a,b] [instance…]`
 * Defaults: 1,000,000 steps per chain, 4,000,000 reference steps (about what the reference reached in
 * 60 s on the Xen-size instances on a lightly loaded run), seeds bench,s2,s3, the three Xen-size instances.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { greedyStart } from '../src/core/scheduling/greedy.js';
import { solve } from '../src/core/scheduling/index.js';
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
const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const value = args[at + 1];
  args.splice(at, 2);
  return value;
};
const chainSteps = Number(option('--chain') ?? 1_000_000);
const referenceSteps = Number(option('--reference') ?? 4_000_000);
const seeds = (option('--seeds') ?? 'bench,s2,s3').split(',');
const names = args.length ? args : ['xen-a', 'xen-b', 'xen-c'];
// An unknown name used to generate an instance without sessions, and the reference annealing then
// failed deep inside the random number generator.
for (const name of names) {
  if (!sizes[name]) throw new Error(`unknown instance "${name}"; known: ${Object.keys(sizes).join(', ')}`);
}

const cacheFile = join(dirname(fileURLToPath(import.meta.url)), 'results', 'reference-steps.json');
const cache: Record<string, number> = existsSync(cacheFile) ? JSON.parse(readFileSync(cacheFile, 'utf8')) : {};
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
console.log(`load average ${load()}; ${chainSteps} steps per chain (2 chains), reference ${referenceSteps} steps`);
for (const name of names) {
  const instance = generateInstance({ ...sizes[name]!, seed: name });
  const key = `${name}:${referenceSteps}:reference`;
  if (cache[key] === undefined) {
    const model = buildModel(instance);
    const t0 = performance.now();
    // Started as in bench/scheduling.ts: from the greedy start.
    cache[key] = referenceAnnealing(model, greedyStart(model).snapshot(), 0, 'reference', referenceSteps).score;
    console.log(`${name}: reference ${cache[key]} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    mkdirSync(dirname(cacheFile), { recursive: true });
    // Re-read first: other runs of this script (one per instance) may have added theirs meanwhile.
    const latest = existsSync(cacheFile) ? JSON.parse(readFileSync(cacheFile, 'utf8')) : {};
    writeFileSync(cacheFile, `${JSON.stringify({ ...latest, [key]: cache[key] }, null, 2)}\n`);
  }
  const ratios: string[] = [];
  for (const seed of seeds) {
    const t0 = performance.now();
    const result = await solve(instance, { iterations: chainSteps, threads: 2, seed, exact: false });
    const seconds = (performance.now() - t0) / 1000;
    ratios.push(`${seed} ${result.score} (${(result.score / cache[key]!).toFixed(4)}, ${seconds.toFixed(1)} s)`);
  }
  console.log(`${name.padEnd(6)} reference ${cache[key]}  engine ${ratios.join('  ')}`);
}
console.log(`load average at the end ${load()}`);
