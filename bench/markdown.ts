/**
 * Markdown rendering: what the render threads cost per text against rendering on the main thread
 * (the baseline, in the same run), for ordinary descriptions of three sizes (and a tiny one: the
 * round trip alone), one at a time and eight at once. Run with `npm run bench:markdown`. Prints
 * one table and writes bench/results/markdown.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { markdownToSafeHtml } from '../src/lib/markdown/html.js';
import { MarkdownPool } from '../src/lib/markdown/index.js';

const paragraph =
  'Why **small tests** beat big ones: they _fail_ for one reason, name it, and run in `milliseconds`. ' +
  'See [the guide](https://example.org/guide) and the notes below.\n\n';
const list = '- one point that matters\n- another, with a [link](https://example.org)\n  - and a detail\n\n';
const quote = '> A quote from someone wise.\n\n';
const text = (chars: number) => {
  let out = '## Abstract\n\n';
  while (out.length < chars) out += paragraph + list + quote;
  return out.slice(0, chars);
};

const sizes = { tiny: '**x**', short: text(300), typical: text(1500), longest: text(5000) };
const ROUNDS = 300;

async function timeEach(render: (source: string) => Promise<unknown>, source: string, parallel: number) {
  for (let i = 0; i < 100; i++) await render(source);
  const started = performance.now();
  for (let i = 0; i < ROUNDS / parallel; i++) await Promise.all(Array.from({ length: parallel }, () => render(source)));
  return (performance.now() - started) / ROUNDS;
}

const pool = new MarkdownPool();
const rows: Array<Record<string, string | number>> = [];
for (const [size, source] of Object.entries(sizes)) {
  // Alternated three times, best of each: this machine's other work shifts single runs.
  let direct = Number.POSITIVE_INFINITY;
  let one = Number.POSITIVE_INFINITY;
  let eight = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 3; round++) {
    direct = Math.min(direct, await timeEach(async (s) => markdownToSafeHtml(s), source, 1));
    one = Math.min(one, await timeEach((s) => pool.render(s), source, 1));
    eight = Math.min(eight, await timeEach((s) => pool.render(s), source, 8));
  }
  rows.push({
    text: size,
    chars: source.length,
    'main thread ms': direct.toFixed(3),
    'threads ms (1 at a time)': one.toFixed(3),
    'ratio (1)': (one / direct).toFixed(2),
    'overhead ms (1)': (one - direct).toFixed(3),
    'threads ms (8 at once)': eight.toFixed(3),
    'ratio (8)': (eight / direct).toFixed(2),
  });
}
await pool.close();
console.table(rows);
const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'markdown.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify({ rounds: ROUNDS, rows }, null, 2)}\n`);
