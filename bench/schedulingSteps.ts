/**
 * Development benchmark with step budgets instead of seconds, so that results do not depend on the
 * machine's load: the engine (`solve` with `iterations` per chain, two chains in worker threads, no
 * bound) against the reference annealing with a fixed number of steps (cached in
 * bench/results/reference-steps.json: it is deterministic and slow).
 *
 * `npx tsx bench/schedulingSteps.ts [--chain N] [--reference M] [--seeds a,b] [instance…]`
 * Default budgets per instance stand for the real ones on a quiet 2-core machine (bench/scheduling.ts):
 * the reference's steps are what it made in 60 s (300 s on large) there, the engine's steps per chain
 * what one chain makes in its 10 s (60 s) at the rate measured in CPU seconds, rounded down (on the
 * Xen-size instances its two chains share the two cores with the bound in the main thread). See
 * docs/scheduling.md for the measurements. small and tight take the Xen-size budgets (their target is
 * a proof of optimality, not the reference). Seeds bench,s2,s3; the three Xen-size instances. `large#2` (any
 * text after #) is another instance of the same size, generated from that name.
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

interface Size {
  sessions: number;
  slots: number;
  rooms: number;
  people: number;
  /** Default step budgets: one engine chain, and the reference annealing. */
  chain: number;
  reference: number;
}
const xen = { sessions: 60, slots: 16, rooms: 5, people: 300, chain: 2_500_000, reference: 4_000_000 };
const sizes: Record<string, Size> = {
  small: { sessions: 20, slots: 6, rooms: 4, people: 60, chain: 2_500_000, reference: 4_000_000 },
  tight: { sessions: 32, slots: 8, rooms: 4, people: 150, chain: 2_500_000, reference: 4_000_000 },
  'xen-a': xen,
  'xen-b': xen,
  'xen-c': xen,
  large: { sessions: 300, slots: 40, rooms: 8, people: 3000, chain: 1_600_000, reference: 1_000_000 },
};
const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const value = args[at + 1];
  args.splice(at, 2);
  return value;
};
const chainOption = option('--chain');
const referenceOption = option('--reference');
// `--seeds ''` only computes (and caches) the reference.
const seeds = (option('--seeds') ?? 'bench,s2,s3').split(',').filter(Boolean);
const names = args.length ? args : ['xen-a', 'xen-b', 'xen-c'];
// An unknown name used to generate an instance without sessions, and the reference annealing then
// failed deep inside the random number generator.
// `large#2` is another instance of the large size (generated from the seed "large#2").
const sizeOf = (name: string): Size | undefined => sizes[name.split('#')[0]!];
for (const name of names) {
  if (!sizeOf(name)) throw new Error(`unknown instance "${name}"; known: ${Object.keys(sizes).join(', ')}`);
}

const cacheFile = join(dirname(fileURLToPath(import.meta.url)), 'results', 'reference-steps.json');
const cache: Record<string, number> = existsSync(cacheFile) ? JSON.parse(readFileSync(cacheFile, 'utf8')) : {};
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
console.log(`load average ${load()}`);
for (const name of names) {
  const size = sizeOf(name)!;
  const chainSteps = Number(chainOption ?? size.chain);
  const referenceSteps = Number(referenceOption ?? size.reference);
  const instance = generateInstance({ ...size, seed: name });
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
  console.log(
    `${name.padEnd(6)} reference ${cache[key]} (${referenceSteps} steps)  engine, ${chainSteps} steps per chain: ${ratios.join('  ')}`,
  );
}
console.log(`load average at the end ${load()}`);
