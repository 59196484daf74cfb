/**
 * Scheduling benchmark: the engine against Xen's greedy and a reference simulated annealing, on
 * instances made the way Xen's test generator makes them. Run with `npm run bench:scheduling`
 * (about 15 minutes: the reference runs 60 s per instance, 300 s on the large one) or with `--quick`.
 * Prints one table and writes bench/results/scheduling.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { greedyStart } from '../src/core/scheduling/greedy.js';
import { solve } from '../src/core/scheduling/index.js';
import { buildModel } from '../src/core/scheduling/model.js';
import { generateInstance } from '../src/core/scheduling/testSupport.js';
import { referenceAnnealing, scoreOf, xenGreedy } from './schedulingBaselines.js';

const quick = process.argv.includes('--quick');
/** `--only name,name` runs just those instances. */
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt >= 0 ? new Set(process.argv[onlyAt + 1]!.split(',')) : null;

interface Case {
  name: string;
  sessions: number;
  slots: number;
  rooms: number;
  people: number;
  seed: string;
  /** Engine budget and reference budget, in seconds. */
  budget: number;
  reference: number;
  target: string;
}

const cases: Case[] = [
  {
    name: 'small',
    sessions: 20,
    slots: 6,
    rooms: 4,
    people: 60,
    seed: 'small',
    budget: 10,
    reference: 60,
    target: 'proven optimum ≤ 10 s',
  },
  {
    name: 'tight',
    sessions: 32,
    slots: 8,
    rooms: 4,
    people: 150,
    seed: 'tight',
    budget: 10,
    reference: 60,
    target: 'proven optimum ≤ 10 s',
  },
  ...['xen-a', 'xen-b', 'xen-c'].map((seed) => ({
    name: seed,
    sessions: 60,
    slots: 16,
    rooms: 5,
    people: 300,
    seed,
    budget: 10,
    reference: 60,
    target: '≥ SA 60 s in ≤ 10 s',
  })),
  {
    name: 'large',
    sessions: 300,
    slots: 40,
    rooms: 8,
    people: 3000,
    seed: 'large',
    budget: 60,
    reference: 300,
    target: '≥ SA 300 s in ≤ 60 s, < 1 GB',
  },
]
  .filter((c) => !only || only.has(c.name))
  .map((c) => (quick ? { ...c, budget: c.budget / 5, reference: c.reference / 20 } : c));

const MB = 1024 * 1024;

async function main(): Promise<void> {
  const rows = [];
  // The engine first, so that the peak memory read after each run is the engine's (largest last).
  const engine = [];
  const load = () =>
    loadavg()
      .map((x) => x.toFixed(1))
      .join(' ');
  console.error(`load average at start: ${load()}`);
  for (const c of cases) {
    const instance = generateInstance(c);
    const started = performance.now();
    const result = await solve(instance, { seconds: c.budget, threads: 2, seed: 'bench' });
    const seconds = (performance.now() - started) / 1000;
    engine.push({
      result,
      seconds,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      heapMb: process.memoryUsage().heapUsed / MB,
    });
    console.error(
      `${c.name}: engine ${result.score} (bound ${result.upperBound}, ${result.stats.method}, optimal ${result.stats.optimal}) in ${seconds.toFixed(1)} s`,
    );
  }
  const engineLoad = load();
  for (const [i, c] of cases.entries()) {
    const instance = generateInstance(c);
    const model = buildModel(instance);
    const xen = xenGreedy(model);
    const start = greedyStart(model).snapshot();
    const sa = referenceAnnealing(model, start, c.reference, 'reference');
    const { result, seconds, peakRssMb } = engine[i]!;
    console.error(`${c.name}: greedy ${xen.score}, reference SA ${sa.score} (${sa.iterations} steps)`);
    const checkSa = scoreOf(model, sa.slotOf);
    if (checkSa !== sa.score) throw new Error(`reference annealing miscounted: ${sa.score} vs ${checkSa}`);
    const gap = (result.upperBound - result.score) / result.upperBound;
    const met =
      c.name === 'small' || c.name === 'tight'
        ? result.stats.optimal && seconds <= c.budget + 1
        : result.score >= sa.score && seconds <= c.budget + 1 && peakRssMb < 1024;
    rows.push({
      instance: c.name,
      size: `${c.sessions}s/${c.slots}t/${c.rooms}r/${c.people}p`,
      convene: result.score,
      upperBound: result.upperBound,
      gap: `${(gap * 100).toFixed(2)}%`,
      proven: result.stats.optimal ? 'yes' : 'no',
      vsGreedy: (result.score / xen.score).toFixed(4),
      greedyNotes: `${xen.dropped} dropped, ${xen.ownerClashes} owner clashes`,
      annealing: sa.score,
      vsAnnealing: (result.score / sa.score).toFixed(4),
      saSeconds: c.reference,
      seconds: seconds.toFixed(1),
      peakRssMb: Math.round(peakRssMb),
      target: c.target,
      met: met ? 'yes' : 'NO',
    });
  }
  const header = Object.keys(rows[0]!);
  const table = [header, ...rows.map((r) => Object.values(r).map(String))];
  const widths = header.map((_, k) => Math.max(...table.map((r) => r[k]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, k) => c.padEnd(widths[k]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of table.slice(1)) console.log(line(row));
  const out = join(
    dirname(fileURLToPath(import.meta.url)),
    'results',
    quick ? 'scheduling-quick.json' : 'scheduling.json',
  );
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ quick, cases, rows, load: { engine: engineLoad, end: load() } }, null, 2)}\n`);
  console.log(`load average after the engine runs: ${engineLoad}; after the reference runs: ${load()}`);
  console.log(`written to ${out}`);
}

await main();
