// Which test files there are and in what order to start them: the longest first, so that the run
// ends when its longest file does rather than when a slow file started last does.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

export function findTestFiles(root) {
  const found = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.test.ts')) found.push(relative(root, path));
    }
  };
  walk(join(root, 'src'));
  walk(join(root, 'test'));
  return found.sort();
}

export const isBrowserFile = (file) => /(^|[\\/])browser[\\/]/.test(file);

// Each run's durations, kept out of the repository: a fresh clone falls back to the estimate below.
const durationsFile = (root) => join(root, 'node_modules', '.cache', 'convene-tests', 'durations.json');

export function loadDurations(root) {
  try {
    return JSON.parse(readFileSync(durationsFile(root), 'utf8'));
  } catch {
    return {};
  }
}

export function saveDurations(root, durations, results) {
  const next = { ...durations };
  for (const result of results) if (!result.timedOut) next[result.file] = result.ms;
  try {
    mkdirSync(dirname(durationsFile(root)), { recursive: true });
    writeFileSync(durationsFile(root), `${JSON.stringify(next, null, 1)}\n`);
  } catch {
    // Only an ordering hint: a read-only checkout runs just as correctly without it.
  }
}

/**
 * A guess at a file's duration before it has ever run, in milliseconds. Only the order matters: the
 * files that start Convene processes or drive a browser, on both engines, are the long ones; the
 * pure unit tests are short and go last.
 */
export function estimate(root, file) {
  const path = join(root, file);
  if (!existsSync(path)) return 0;
  const text = readFileSync(path, 'utf8');
  const tests = (text.match(/^\s*(test|it)\(/gm) ?? []).length;
  const processes = (text.match(/\b(runCli|spawnConvene|spawnWorker|startConvene)\(/g) ?? []).length;
  let ms = 2000 + statSync(path).size / 4 + 4000 * processes;
  if (isBrowserFile(file)) ms += 15_000 * tests;
  if (/forEachEngine|enginesUnderTest\(\)\)/.test(text)) ms *= 2;
  return ms;
}

export function longestFirst(root, files, durations) {
  const expected = new Map(files.map((file) => [file, durations[file] ?? estimate(root, file)]));
  return [...files].sort((a, b) => expected.get(b) - expected.get(a));
}
