// Runs the test suite: `node scripts/run-tests.mjs [files…]` (every *.test.ts under src/ and test/
// when none are named).
//
// 1. Brings dist/ (and web/dist/ when browser tests run) up to date, because the processes the
//    tests start run from the build.
// 2. Compiles the test files to .test-build/ (scripts/test-build.mjs says how), against dist/, and
//    with CONVENE_TEST_POSTGRES_URL makes one migrated PostgreSQL database that the files copy
//    (scripts/test-template.mjs); it is dropped at the end.
// 3. Runs the files in parallel, each in its own process (they share nothing: every file makes its
//    own databases, ports and temp dirs), the longest first so that no slow file starts last. A long
//    file whose tests all run once per engine can ask to run as two processes, one per engine
//    (test-files.mjs, SPLIT_MARK).
//    Browser files take a separate, smaller number of slots: each drives a Chromium, all of them the
//    same one, started once for the run (scripts/test-chromium.mjs) and closed at its end.
// 4. Prints each file's report when it finishes, then the totals in node's own summary lines
//    (`# pass N`, `# fail N`). Exits non-zero when any file fails.
//
// CONVENE_TEST_JOBS (files at a time) and CONVENE_TEST_BROWSER_JOBS (browser files at a time)
// override the defaults below. CONVENE_TEST_CPU=1 also measures the CPU time (user + system) of each
// file's process and every process it waited for (servers, CLI commands, browsers), and prints the
// files by CPU time at the end: on a shared machine wall time is noise, CPU time is what a file costs.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildTests, ensureServerBuild, ensureWebBuild, testBuildOf } from './test-build.mjs';
import { SHARED_CHROMIUM_ENV } from './test-chromium.mjs';
import {
  engineOf,
  fileOf,
  findTestFiles,
  isBrowserFile,
  loadDurations,
  longestFirst,
  saveDurations,
  testRuns,
} from './test-files.mjs';
import { dropPostgresTemplate, makePostgresTemplate } from './test-template.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

// Most of a test's time is spent waiting on a database, a child process or a browser, so twice as
// many files as cores keeps the cores busy without making them queue.
const jobs = positive(process.env.CONVENE_TEST_JOBS) ?? Math.max(2, availableParallelism() * 2);
const browserJobs = positive(process.env.CONVENE_TEST_BROWSER_JOBS) ?? 2;
// A file that has not finished by then is stuck (a test waiting for something that never comes).
const fileTimeoutMs = (positive(process.env.CONVENE_TEST_FILE_TIMEOUT_S) ?? 600) * 1000;
// GNU time reports the rusage of the file's process and of all the children it reaped.
const measureCpu = process.env.CONVENE_TEST_CPU === '1' && existsSync('/usr/bin/time');
const CPU_MARK = '#convene-cpu ';

function positive(text) {
  const value = Number(text);
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

// Named files may be given relative to the current directory; they run from the repository's root.
const named = process.argv.slice(2).map((file) => relative(root, resolve(file)));
const files = named.length ? named : findTestFiles(root);
const postgresUrl = process.env.CONVENE_TEST_POSTGRES_URL;
// A file marked so runs as one process per engine (test-files.mjs, SPLIT_MARK).
const runs = testRuns(root, files, Boolean(postgresUrl));
if (files.length === 0) {
  process.stderr.write('No test files to run.\n');
  process.exit(1);
}

ensureServerBuild(root);
if (files.some(isBrowserFile)) ensureWebBuild(root);
const testBuildMs = await buildTests(root);
process.stdout.write(`# tests compiled to .test-build/ in ${(testBuildMs / 1000).toFixed(1)} s\n`);

// One migrated PostgreSQL database that the files copy rather than migrating each of theirs.
const template = postgresUrl ? await makePostgresTemplate(root, postgresUrl) : undefined;

const children = new Set();
// One Chromium for every browser file of the run.
const sharedChromium = runs.some(isBrowserFile) ? await startSharedChromium() : undefined;

function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

let stopping = false;

async function stopAll(code) {
  // Nothing more starts while the template is dropped (a stopped file's end would start the next).
  stopping = true;
  for (const child of children) killGroup(child.pid);
  if (sharedChromium) killGroup(sharedChromium.child.pid);
  await dropPostgresTemplate(postgresUrl, template);
  process.exit(code);
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stopAll(130));
// Output piped into a reader that went away (`| head`): nobody sees the rest, so stop every file.
process.stdout.on('error', () => stopAll(1));

const durations = loadDurations(root);
const queue = longestFirst(root, runs, durations);
const results = [];
// The files in flight (a file named twice runs twice: handy to shake out a flaky test).
const running = new Map();
let launched = 0;
const started = Date.now();

const halves = runs.length - files.length;
process.stdout.write(
  `# running ${files.length} test files${halves ? ` (${halves} of them as one process per engine)` : ''}, ` +
    `${jobs} at a time (browser files: ${browserJobs})\n`,
);

await new Promise((resolveAll) => {
  const next = () => {
    if (queue.length === 0 && running.size === 0) return resolveAll();
    while (running.size < jobs && !stopping) {
      const browsersBusy = [...running.values()].filter(isBrowserFile).length;
      const index = queue.findIndex((file) => !isBrowserFile(file) || browsersBusy < browserJobs);
      if (index < 0) break;
      const [file] = queue.splice(index, 1);
      const id = launched++;
      running.set(id, file);
      runFile(file).then((result) => {
        running.delete(id);
        results.push(result);
        report(result);
        next();
      });
    }
  };
  next();
});

saveDurations(root, durations, results);
const chromiumCpu = await sharedChromium?.stop();
await dropPostgresTemplate(postgresUrl, template);
process.exit(summarise() ? 0 : 1);

/** Runs one test file (or one engine's half of it) in a process of its own and collects its report. */
function runFile(file) {
  const engine = engineOf(file);
  return new Promise((resolve) => {
    const begun = Date.now();
    // Run directly, not through `node --test`: node:test reports the same way, without a second process.
    // The compiled file, by plain node; source maps point stack traces at the TypeScript lines.
    const command = [process.execPath, '--enable-source-maps', '--test-reporter=spec', testBuildOf(root, fileOf(file))];
    if (measureCpu) command.unshift('/usr/bin/time', '-f', `${CPU_MARK}%U %S`);
    const child = spawn(command[0], command.slice(1), {
      cwd: root,
      env: {
        ...process.env,
        CONVENE_TEST_BUILT: '1',
        ...(engine && { CONVENE_TEST_ENGINE: engine }),
        ...(template && { CONVENE_TEST_POSTGRES_TEMPLATE: template }),
        ...(sharedChromium && { [SHARED_CHROMIUM_ENV]: sharedChromium.endpoint }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so that a stuck file is stopped with every server and browser it started.
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, fileTimeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) output += `\n✖ ${file} did not finish within ${fileTimeoutMs / 1000} s and was stopped.\n`;
      const cpu = cpuOf(output);
      if (cpu !== undefined) output = output.replace(/^#convene-cpu .*\n?/m, '');
      resolve({ file, code, signal, timedOut, output, ms: Date.now() - begun, cpu, counts: countsOf(output) });
    });
    children.add(child);
    child.on('exit', () => children.delete(child));
  });
}

/**
 * Starts the run's Chromium (scripts/test-chromium.mjs) and resolves once it listens. `stop` closes
 * it and resolves to its CPU seconds (Chromium's included) when they are measured. Resolves to
 * undefined when it does not start.
 */
function startSharedChromium() {
  const command = [process.execPath, 'scripts/test-chromium.mjs'];
  if (measureCpu) command.unshift('/usr/bin/time', '-f', `${CPU_MARK}%U %S`);
  // Its own process group, so that an interrupted run stops it with everything Chromium started.
  const child = spawn(command[0], command.slice(1), { cwd: root, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const closed = new Promise((resolve) => child.on('close', resolve));
  let started = false;
  return new Promise((resolve) => {
    const listening = () => {
      const endpoint = /^(ws:\/\/\S+)$/m.exec(output)?.[1];
      if (!endpoint) return;
      started = true;
      child.stdout.off('data', listening);
      resolve({
        child,
        endpoint,
        async stop() {
          child.stdin.end();
          await closed;
          return cpuOf(output);
        },
      });
    };
    child.stdout.on('data', listening);
    // Without it each browser file launches its own, and fails saying why when it cannot.
    closed.then(() => {
      if (started) return;
      process.stdout.write(`# the shared Chromium did not start; each browser file starts its own:\n${output}\n`);
      resolve(undefined);
    });
  });
}

/** The CPU seconds GNU time appended to a file's output (the last such line: a test may print one too). */
function cpuOf(output) {
  const lines = [...output.matchAll(/^#convene-cpu ([\d.]+) ([\d.]+)$/gm)];
  const last = lines.at(-1);
  return last ? Number(last[1]) + Number(last[2]) : undefined;
}

/** node:test's closing lines of one file: `ℹ pass 12` and the like. */
function countsOf(output) {
  const counts = {};
  for (const [, name, value] of output.matchAll(/^ℹ (tests|suites|pass|fail|cancelled|skipped|todo) (\d+)$/gm))
    counts[name] = Number(value);
  return counts;
}

function failed(result) {
  return result.code !== 0 || result.timedOut || result.counts.pass === undefined || result.counts.fail > 0;
}

function report(result) {
  const mark = failed(result) ? '✖' : '✔';
  const cpu = result.cpu === undefined ? '' : `, ${result.cpu.toFixed(1)} s CPU`;
  const header = `${mark} ${result.file} (${(result.ms / 1000).toFixed(1)} s${cpu})`;
  // A file's own report, whole, under its name: parallel files never interleave their lines.
  process.stdout.write(`\n# ── ${result.file}\n${result.output.trimEnd()}\n${header}\n`);
}

function summarise() {
  const total = { tests: 0, suites: 0, pass: 0, fail: 0, cancelled: 0, skipped: 0, todo: 0 };
  for (const result of results) for (const name of Object.keys(total)) total[name] += result.counts[name] ?? 0;
  const broken = results.filter(failed);
  // A file that crashed before reporting (a syntax error, an exception at import) counts as a failure.
  const unreported = broken.filter((result) => result.counts.fail === undefined || result.counts.fail === 0).length;
  total.fail += unreported;
  process.stdout.write('\n');
  if (broken.length) {
    process.stdout.write(`✖ ${broken.length} of ${results.length} test files failed:\n`);
    for (const result of broken) {
      const why = result.timedOut
        ? 'timed out'
        : result.counts.fail
          ? `${result.counts.fail} failing`
          : `exit ${result.code ?? result.signal}`;
      process.stdout.write(`  ${result.file} (${why})\n`);
    }
  }
  if (measureCpu) {
    const measured = results.filter((result) => result.cpu !== undefined);
    // The shared Chromium worked for every browser file: its CPU is the run's, listed on its own.
    if (chromiumCpu !== undefined)
      measured.push({ file: '(the shared Chromium of the browser files)', cpu: chromiumCpu });
    measured.sort((a, b) => b.cpu - a.cpu);
    const totalCpu = measured.reduce((sum, result) => sum + result.cpu, 0);
    process.stdout.write('# CPU seconds per file (user + system, the file and every process it waited for):\n');
    for (const result of measured) process.stdout.write(`#   ${result.cpu.toFixed(1).padStart(7)}  ${result.file}\n`);
    process.stdout.write(
      `# CPU total ${totalCpu.toFixed(1)} s (over ${availableParallelism()} cores: ${(totalCpu / availableParallelism()).toFixed(0)} s at best)\n`,
    );
  }
  // node's own closing lines, then the same counts as TAP comments: whatever read the one still works.
  const lines = Object.entries({ ...total, files: results.length, duration_ms: Date.now() - started });
  for (const [name, value] of lines) process.stdout.write(`ℹ ${name} ${value}\n`);
  process.stdout.write(`# pass ${total.pass}\n# fail ${total.fail}\n`);
  return broken.length === 0 && total.fail === 0;
}
