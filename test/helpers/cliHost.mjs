// A long-lived process that runs `convene` CLI commands one after another, in-process, from dist/:
// a test file starts one (test/helpers/process.ts, runCli) instead of a node process per command,
// which costs most of a second of CPU to start and load the modules. Plain JavaScript so that it
// runs the same whether the tests were compiled to .test-build/ or not.
//
// Each command arrives over the IPC channel as { id, args, env } and is answered with
// { id, code, output }, as a process of its own would have exited and printed:
// - process.env is exactly the command's environment while it runs (the config is read from it),
//   and the host's own afterwards, so nothing one command sets leaks into the next;
// - process.argv is `node bin/convene.js ARGS`, and dist/cli.js is evaluated afresh (a new module
//   instance each time: a fresh commander program), while the modules it loads stay cached;
// - what it writes to stdout and stderr is captured, in the order written;
// - process.exit() ends the command, not the host: it throws, and the exit code is the command's;
//   process.exitCode is reset before each command and read after it;
// - an error nothing caught is printed and exits 1, as node does.
// Commands close their database before they finish (withContext, migrate), so no state but the
// loaded modules is carried from one command to the next.
import { inspect } from 'node:util';

const cli = new URL('../../dist/cli.js', import.meta.url);
const bin = new URL('../../bin/convene.js', import.meta.url).pathname;

const hostEnv = { ...process.env };
const realExit = process.exit.bind(process);
const realWrite = { stdout: process.stdout.write, stderr: process.stderr.write };

class Exit extends Error {
  constructor(code) {
    super(`process.exit(${code})`);
    this.code = code;
  }
}

/** The command running now: where its output goes and the error that ended it, if any. */
let current = null;
let runs = 0;

function replaceEnv(next) {
  for (const name of Object.keys(process.env)) if (!(name in next)) delete process.env[name];
  for (const [name, value] of Object.entries(next)) process.env[name] = value;
}

function capture(stream) {
  return function write(chunk, encoding, callback) {
    if (!current) return realWrite[stream].call(this, chunk, encoding, callback);
    current.output += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    const done = typeof encoding === 'function' ? encoding : callback;
    if (done) process.nextTick(done);
    return true;
  };
}

function exitCodeOf(code) {
  const value = code ?? process.exitCode ?? 0;
  return Number(value) || 0;
}

function uncaught(error) {
  return `${inspect(error)}\n\nNode.js ${process.version}\n`;
}

async function run({ args, env }) {
  current = { output: '', failure: null };
  replaceEnv(env);
  process.argv = [process.execPath, bin, ...args];
  process.exitCode = undefined;
  process.exit = (code) => {
    throw new Exit(exitCodeOf(code));
  };
  let code;
  try {
    // A new URL makes a new module instance: cli.js registers its commands on a fresh program.
    await import(`${cli.href}?run=${++runs}`);
    code = current.failure ? 1 : exitCodeOf(undefined);
  } catch (error) {
    if (error instanceof Exit) code = error.code;
    else {
      current.output += uncaught(error);
      code = 1;
    }
  } finally {
    process.exit = realExit;
    process.exitCode = undefined;
    replaceEnv(hostEnv);
  }
  if (current.failure) current.output += uncaught(current.failure);
  if (process.env.CONVENE_CLI_HOST_DEBUG === '1')
    realWrite.stderr.call(
      process.stderr,
      `[cli host] ${args.join(' ')} → ${code}; open: ${process.getActiveResourcesInfo().join(', ')}\n`,
    );
  const { output } = current;
  current = null;
  return { code, output };
}

process.stdout.write = capture('stdout');
process.stderr.write = capture('stderr');
// A promise a command dropped and that failed: in a process of its own, it would have crashed it.
process.on('unhandledRejection', (error) => {
  if (error instanceof Exit) return;
  if (current) current.failure ??= error;
  else realWrite.stderr.call(process.stderr, uncaught(error));
});
process.on('message', async (message) => {
  if (message.stop) {
    process.disconnect();
    return;
  }
  const result = await run(message);
  process.send({ id: message.id, ...result });
});
// The test file is gone (finished or killed): nothing more to run.
process.on('disconnect', () => realExit(0));
