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

/**
 * A file whose every test runs once per engine may say so with this line; the runner then runs it
 * as two processes, `file [sqlite]` and `file [postgres]` (CONVENE_TEST_ENGINE tells each which),
 * so that a long file's two halves run side by side instead of one after the other.
 */
export const SPLIT_MARK = '// test-runner: one process per engine';
const ENGINE_SUFFIX = / \[(sqlite|postgres)\]$/;

/** The test runs: a file, or its two halves when it is marked and PostgreSQL is under test. */
export function testRuns(root, files, withPostgres) {
  return files.flatMap((file) => {
    const path = join(root, file);
    const marked = withPostgres && existsSync(path) && readFileSync(path, 'utf8').includes(SPLIT_MARK);
    return marked ? [`${file} [sqlite]`, `${file} [postgres]`] : [file];
  });
}

/** The file of a test run, and the one engine it runs on (undefined: every engine). */
export const fileOf = (run) => run.replace(ENGINE_SUFFIX, '');
export const engineOf = (run) => ENGINE_SUFFIX.exec(run)?.[1];

// Each run's durations, kept out of the repository. A fresh clone (CI) has none: it starts from
// test-durations.json beside this file (the longest files of one whole run, for their order only),
// then the estimate below for a file that is in neither.
const durationsFile = (root) => join(root, 'node_modules', '.cache', 'convene-tests', 'durations.json');
const readJson = (path) => {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return {};
  }
};

export function loadDurations(root) {
  return { ...readJson(join(root, 'scripts', 'test-durations.json')), ...readJson(durationsFile(root)) };
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
  const guess = (run) => estimate(root, fileOf(run)) / (engineOf(run) ? 2 : 1);
  const expected = new Map(files.map((run) => [run, durations[run] ?? guess(run)]));
  return [...files].sort((a, b) => expected.get(b) - expected.get(a));
}
