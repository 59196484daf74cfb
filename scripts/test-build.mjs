// Brings the builds the tests run against up to date before any test starts, so a fresh clone and a
// developer with edited sources both test the current code and never a stale build:
// - dist/ (the server), which every child process the tests start runs from;
// - web/dist/ (the web app), which the browser tests load.
// Each is rebuilt only when one of its sources is newer than what was built from it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve as resolvePath } from 'node:path';

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

// ── The tests themselves ────────────────────────────────────────────────────────────────────────
// Each test file used to run through tsx, which transpiles every source it imports in every file's
// process (~1.5 s of CPU a file). Instead the test-side files (test/**, src/**/*.test.ts, the
// testSupport.ts files and whatever else they import that dist/ lacks) are compiled once per run by
// esbuild into .test-build/, mirroring their paths, and each import of a server source is pointed at
// its build in dist/, so the tests exercise exactly what the processes they start run.

export const TEST_BUILD = '.test-build';

/** Where a source file's compiled test build is: test/a.test.ts → .test-build/test/a.test.js. */
export const testBuildOf = (root, source) =>
  join(root, TEST_BUILD, relative(root, join(root, source))).replace(/\.tsx?$/, '.js');

const isTestSide = (path) =>
  /\.tsx?$/.test(path) && !path.endsWith('.d.ts') && (path.endsWith('.test.ts') || path.endsWith('testSupport.ts'));

function relativeImport(fromDir, target) {
  const path = relative(fromDir, target).split('\\').join('/');
  return path.startsWith('.') ? path : `./${path}`;
}

/**
 * Compiles the test-side files to .test-build/ (rebuilt on every run, so it is never stale; esbuild
 * takes well under a second for all of them). Returns how long it took, in milliseconds.
 */
export async function buildTests(root) {
  const started = Date.now();
  const { build } = await import('esbuild');
  const { pathToFileURL } = await import('node:url');
  const src = join(root, 'src');
  const outRoot = join(root, TEST_BUILD);
  const entries = new Set([
    ...[...walk(join(root, 'test'))].filter((path) => /\.tsx?$/.test(path) && !path.endsWith('.d.ts')),
    ...[...walk(src)].filter(isTestSide),
  ]);
  const isServerSourcePath = (path) => path.startsWith(src + '/') && isServerSource(path);
  const outputs = new Set();
  for (;;) {
    const needed = new Set();
    const redirect = {
      name: 'tests-against-dist',
      setup(builder) {
        builder.onResolve({ filter: /.*/ }, (args) => {
          if (args.kind === 'entry-point') return undefined;
          if (!args.path.startsWith('.') && !args.path.startsWith('/')) return { path: args.path, external: true };
          const outDir = dirname(join(outRoot, relative(root, args.importer)));
          const absolute = resolvePath(dirname(args.importer), args.path);
          const source = [absolute.replace(/\.js$/, '.ts'), absolute.replace(/\.js$/, '.tsx'), absolute].find(
            (candidate) => /\.tsx?$/.test(candidate) && existsSync(candidate),
          );
          if (!source) return { path: relativeImport(outDir, absolute), external: true };
          if (isServerSourcePath(source)) {
            const built = join(root, 'dist', relative(src, source)).replace(/\.ts$/, '.js');
            return { path: relativeImport(outDir, built), external: true };
          }
          if (!entries.has(source)) needed.add(source);
          return { path: relativeImport(outDir, testBuildOf(root, relative(root, source))), external: true };
        });
        // The compiled file lives elsewhere: its import.meta still names the source it came from, so
        // the paths tests build from it (fixtures, the repository's root) stay the same.
        builder.onLoad({ filter: /\.tsx?$/ }, (args) => {
          const url = pathToFileURL(args.path).href;
          const contents = readFileSync(args.path, 'utf8')
            .replaceAll('import.meta.url', JSON.stringify(url))
            .replaceAll('import.meta.filename', JSON.stringify(args.path))
            .replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path)));
          return { contents, loader: args.path.endsWith('.tsx') ? 'tsx' : 'ts' };
        });
      },
    };
    const result = await build({
      entryPoints: [...entries],
      outdir: outRoot,
      outbase: root,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: 'linked',
      sourcesContent: false,
      logLevel: 'error',
      metafile: true,
      plugins: [redirect],
    });
    for (const output of Object.keys(result.metafile.outputs)) outputs.add(resolvePath(root, output));
    if (needed.size === 0) break;
    for (const source of needed) entries.add(source);
  }
  // Whatever an earlier run built from a file that is gone goes too: it must not be tested.
  for (const path of walk(outRoot)) if (!outputs.has(path)) rmSync(path);
  return Date.now() - started;
}
