import { type ChildProcess, fork, spawn } from 'node:child_process';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';
import { staleServerSource } from '../../scripts/test-build.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
// The command users run, from the build: starts in a fraction of the time TypeScript sources take.
const bin = fileURLToPath(new URL('../../bin/convene.js', import.meta.url));

let buildChecked = false;

/**
 * Refuses to test a build older than the sources. The test runner builds first and says so
 * (CONVENE_TEST_BUILT); a file started some other way is checked here.
 */
function assertBuildIsCurrent(): void {
  if (buildChecked || process.env.CONVENE_TEST_BUILT === '1') return;
  const stale = staleServerSource(root);
  if (stale)
    throw new Error(
      `dist/ is older than ${stale}: run tests with \`npm test\` or \`node scripts/run-tests.mjs FILE\`, which build first.`,
    );
  buildChecked = true;
}

/** A command's whole environment: the test's own, quiet logs and cheap password hashes, then `env`. */
function commandEnv(env: Record<string, string>): Record<string, string> {
  // Cheap password hashes, as in the in-process apps (helpers/server.ts), unless a test sets its own.
  return { ...(process.env as Record<string, string>), LOG_LEVEL: 'warn', CONVENE_PASSWORD_HASH_COST: '10', ...env };
}

function spawnCli(args: string[], env: Record<string, string>): ChildProcess {
  assertBuildIsCurrent();
  return spawn(process.execPath, [bin, ...args], {
    cwd: root,
    env: commandEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export interface ConveneProcess {
  child: ChildProcess;
  /** Where `serve` listens; empty for a process without a web server. */
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * Starts a long-running `convene` command as a real process and resolves once its output matches
 * `ready` (the first group, if any, becomes `url`). A process that does not get there is killed.
 */
export async function startConvene(
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<ConveneProcess> {
  const child = spawnCli(args, env);
  let text = '';
  child.stdout?.on('data', (chunk) => (text += chunk));
  child.stderr?.on('data', (chunk) => (text += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`convene ${args[0]} did not start:\n${text}`)), 60_000);
      const check = () => {
        const match = ready.exec(text);
        if (match) {
          clearTimeout(timer);
          resolve(match[1] ?? '');
        }
      };
      child.stdout?.on('data', check);
      child.stderr?.on('data', check);
      exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`convene ${args[0]} exited with ${code}:\n${text}`));
      });
    });
    return { child, url, output: () => text, exited };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

/** `convene serve` on a free port, ready for requests. */
export function spawnConvene(env: Record<string, string>, args: string[] = []): Promise<ConveneProcess> {
  return startConvene(['serve', '--port', '0', ...args], env, /ready at (http:\/\/\S+)/);
}

/** `convene worker`: the jobs without a web server, once it says it runs. */
export function spawnWorker(env: Record<string, string>): Promise<ConveneProcess> {
  return startConvene(['worker'], env, /worker is running/);
}

export interface CliResult {
  code: number | null;
  /** stdout and stderr together. */
  output: string;
}

/**
 * Runs a CLI command to completion and returns its exit code and output. One-off commands run in
 * the test file's CLI host (helpers/cliHost.mjs: one process for the whole file, each command with
 * its own environment, output and exit code, as a process of its own would have); the long-running
 * ones (`serve`, `worker`, `consume`) and any command given standard input run as real processes.
 * CONVENE_CLI_HOST=0 runs every command as a real process.
 */
export async function runCli(
  args: string[],
  env: Record<string, string>,
  options: { stdin?: string } = {},
): Promise<CliResult> {
  const hosted = options.stdin === undefined && !longRunning.has(args[0] ?? '') && process.env.CONVENE_CLI_HOST !== '0';
  return hosted ? cliHost().run(args, commandEnv(env)) : runCliProcess(args, env, options);
}

const longRunning = new Set(['serve', 'worker', 'consume']);

/**
 * Runs a CLI command as a real `node bin/convene.js` process: for what only a process shows (the
 * binary itself, its exit code, commands racing each other, a database another process holds).
 */
export function runCliProcess(
  args: string[],
  env: Record<string, string>,
  options: { stdin?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      assertBuildIsCurrent();
      child = spawn(process.execPath, [bin, ...args], {
        cwd: root,
        env: commandEnv(env),
        stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      });
    } catch (error) {
      reject(error);
      return;
    }
    child.stdin?.end(options.stdin);
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => resolve({ code, output }));
  });
}

interface CliHost {
  run(args: string[], env: Record<string, string>): Promise<CliResult>;
  stop(): Promise<void>;
}

let host: CliHost | undefined;

function cliHost(): CliHost {
  host ??= startCliHost();
  return host;
}

// Stopped, and waited for, once the file's tests are done: its CPU time then counts as the file's.
after(() => host?.stop());

/** The file's CLI host: started on first use, runs one command at a time, idle it keeps nothing alive. */
function startCliHost(): CliHost {
  assertBuildIsCurrent();
  const child = fork(fileURLToPath(new URL('./cliHost.mjs', import.meta.url)), [], {
    cwd: root,
    execArgv: [],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const pending = new Map<number, (result: CliResult) => void>();
  let nextId = 0;
  let queue: Promise<unknown> = Promise.resolve();
  // What the host writes outside of a command's capture (it should not): shown, never lost.
  let stray = '';
  child.stdout?.on('data', (chunk) => (stray += chunk));
  child.stderr?.on('data', (chunk) => (stray += chunk));
  const idle = () => {
    child.unref();
    child.channel?.unref();
    for (const stream of [child.stdout, child.stderr]) (stream as unknown as { unref?: () => void })?.unref?.();
  };
  const busy = () => {
    child.ref();
    child.channel?.ref();
    for (const stream of [child.stdout, child.stderr]) (stream as unknown as { ref?: () => void })?.ref?.();
  };
  child.on('message', (message: CliResult & { id: number }) => {
    pending.get(message.id)?.({ code: message.code, output: message.output });
    pending.delete(message.id);
  });
  child.on('exit', (code, signal) => {
    for (const settle of pending.values())
      settle({ code: null, output: `The CLI host exited (${code ?? signal}) during the command.\n${stray}` });
    pending.clear();
    if (host?.run === run) host = undefined;
  });
  process.on('exit', () => child.kill('SIGKILL'));
  idle();
  function run(args: string[], env: Record<string, string>): Promise<CliResult> {
    const result = queue.then(
      () =>
        new Promise<CliResult>((resolve) => {
          const id = nextId++;
          pending.set(id, resolve);
          busy();
          child.send({ id, args, env });
        }),
    );
    queue = result.finally(() => {
      if (pending.size === 0) idle();
    });
    return result;
  }
  return {
    run,
    async stop() {
      await queue;
      if (child.exitCode === null && child.signalCode === null) {
        busy();
        child.disconnect();
        await exited;
      }
      if (stray) process.stderr.write(`# the CLI host wrote outside its commands:\n${stray}`);
    },
  };
}
