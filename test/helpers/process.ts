import { type ChildProcess, spawn } from 'node:child_process';
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

function spawnCli(args: string[], env: Record<string, string>): ChildProcess {
  assertBuildIsCurrent();
  return spawn(process.execPath, [bin, ...args], {
    cwd: root,
    // Cheap password hashes, as in the in-process apps (helpers/server.ts), unless a test sets its own.
    env: { ...process.env, LOG_LEVEL: 'warn', CONVENE_PASSWORD_HASH_COST: '10', ...env },
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

/** Runs a CLI command to completion and returns its exit code and output. */
export function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawnCli(args, env);
    } catch (error) {
      reject(error);
      return;
    }
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => resolve({ code, output }));
  });
}
