// Brings the builds the tests run against up to date before any test starts, so a fresh clone and a
// developer with edited sources both test the current code and never a stale build:
// - dist/ (the server), which every child process the tests start runs from;
// - web/dist/ (the web app), which the browser tests load.
// Each is rebuilt only when one of its sources is newer than what was built from it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const BUILD_INFO = 'dist/.tsbuildinfo';
const mtime = (path) => (existsSync(path) ? statSync(path).mtimeMs : 0);

function* walk(dir, skip = () => false) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.name.startsWith('.') || entry.name === 'node_modules' || skip(path)) continue;
    if (entry.isDirectory()) yield* walk(path, skip);
    else yield path;
  }
}

const isServerSource = (path) =>
  path.endsWith('.ts') && !path.endsWith('.d.ts') && !path.endsWith('.test.ts') && !path.endsWith('testSupport.ts');

/**
 * The first source under src/ whose compiled file in dist/ is missing or older than it, or null.
 * Compared file by file: tsc's incremental build rewrites only what changed, so a single stamp
 * would not say which outputs are current.
 */
export function staleServerSource(root) {
  const configs = Math.max(mtime(join(root, 'tsconfig.json')), mtime(join(root, 'tsconfig.build.json')));
  for (const path of walk(join(root, 'src'))) {
    if (!isServerSource(path)) continue;
    const built = join(root, 'dist', relative(join(root, 'src'), path)).replace(/\.ts$/, '.js');
    const builtAt = mtime(built);
    if (builtAt < mtime(path) || builtAt < configs) return relative(root, path);
  }
  return null;
}

/** The first file of the web app newer than its build, or null. */
export function staleWebSource(root) {
  const builtAt = mtime(join(root, 'web', 'dist', 'index.html'));
  const webDist = join(root, 'web', 'dist');
  for (const path of walk(join(root, 'web'), (p) => p === webDist)) {
    if (path.endsWith('.md')) continue;
    if (mtime(path) > builtAt) return relative(root, path);
  }
  return null;
}

function run(root, what, command, args) {
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`\n# ${what} failed (exit ${result.status ?? result.signal}): the tests did not run.\n`);
    process.exit(1);
  }
  process.stdout.write(`# ${what} built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

const bin = (root, name) => join(root, 'node_modules', '.bin', name);

/** Builds the server (incrementally) when a source is newer than its output. */
export function ensureServerBuild(root) {
  const stale = staleServerSource(root);
  if (!stale) return;
  process.stdout.write(`# building the server: ${stale} is newer than dist/\n`);
  const args = ['-p', 'tsconfig.build.json', '--incremental', '--tsBuildInfoFile', BUILD_INFO];
  run(root, 'the server', bin(root, 'tsc'), args);
  // An incremental build emits only sources whose content changed: one merely touched, or an output
  // deleted by hand, is still older. A full build settles it.
  if (staleServerSource(root)) {
    rmSync(join(root, BUILD_INFO), { force: true });
    run(root, 'the server (in full)', bin(root, 'tsc'), args);
  }
  const still = staleServerSource(root);
  if (still) throw new Error(`tsc ran but dist/ is still older than ${still}`);
}

/** Builds the web app when one of its files is newer than web/dist/index.html. */
export function ensureWebBuild(root) {
  const stale = staleWebSource(root);
  if (!stale) return;
  process.stdout.write(`# building the web app: ${stale} is newer than web/dist/\n`);
  run(root, 'the web app', bin(root, 'vite'), ['build', '--config', 'web/vite.config.ts', '--logLevel', 'warn']);
}
