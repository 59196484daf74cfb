import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { SchedulingInputError, type SolveResult, solve } from '../core/scheduling/index.js';
import { print } from './context.js';

interface SolveFlags {
  in: string;
  out: string;
  seconds?: string;
  seed?: string;
  iterations?: string;
  threads?: string;
}

/** A bad file or flag: the message names the file and field, and the command exits with 2. */
class UsageError extends Error {}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path}: not valid JSON (${(error as Error).message})`);
  }
}

function numberFlag(value: string | undefined, flag: string, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new UsageError(`${flag}: must be a positive ${integer ? 'integer' : 'number'}, got "${value}"`);
  }
  return n;
}

/** The schedule file: what the unconference feature and other tools read back. */
export function scheduleFile(result: SolveResult) {
  return {
    assignments: result.assignments.map(({ session, slot, room }) => ({ session, slot, room })),
    unplaced: result.unplaced.map((u) => u.session),
    score: result.score,
    upperBound: result.upperBound,
  };
}

async function solveCommand(flags: SolveFlags): Promise<void> {
  const seconds = numberFlag(flags.seconds, '--seconds', false);
  const iterations = numberFlag(flags.iterations, '--iterations', true);
  const threads = numberFlag(flags.threads, '--threads', true) ?? Math.min(2, availableParallelism());
  const instance = readJson(flags.in);
  const tty = process.stderr.isTTY;
  const result = await solve(instance, {
    seconds: seconds ?? (iterations === undefined ? 10 : undefined),
    iterations,
    seed: flags.seed,
    threads,
    onProgress: tty
      ? (p) =>
          process.stderr.write(
            `\r${Math.round(p.fraction * 100)}%  best ${p.bestScore}  bound ${p.upperBound}  ${(p.elapsedMs / 1000).toFixed(1)} s   `,
          )
      : undefined,
  }).catch((error: unknown) => {
    if (error instanceof SchedulingInputError) throw new UsageError(`${flags.in}: ${error.message}`);
    throw error;
  });
  if (tty) process.stderr.write('\n');
  writeFileSync(flags.out, `${JSON.stringify(scheduleFile(result), null, 2)}\n`);
  const gap = result.upperBound > 0 ? ((result.upperBound - result.score) / result.upperBound) * 100 : 0;
  print(`score ${result.score}`);
  print(`upper bound ${result.upperBound}${result.stats.optimal ? ' (proven optimal)' : ''}`);
  print(`gap ${gap.toFixed(2)}%`);
  print(
    `placed ${result.assignments.length}, unplaced ${result.unplaced.length}, overflowing ${result.stats.overflowing}`,
  );
  for (const u of result.unplaced) print(`  unplaced ${u.session}: ${u.detail}`);
  for (const a of result.assignments.filter((x) => x.overflowing)) {
    print(`  overflowing ${a.session} in ${a.room} (${a.slot}): about ${Math.round(a.audience)} people expected`);
  }
  print(`written to ${flags.out}`);
}

export function registerUnconferenceCommands(program: Command): void {
  const unconference = program.command('unconference').description('Unconference scheduling.');
  unconference
    .command('solve')
    .description('Place sessions in slots and rooms to maximise the interest people can attend.')
    .requiredOption('--in <file>', 'instance JSON (slots, rooms, sessions, users, interests)')
    .requiredOption('--out <file>', 'where to write the schedule JSON')
    .option('--seconds <n>', 'time budget (default 10, or none when --iterations is given)')
    .option('--iterations <n>', 'annealing steps per chain: same seed + same steps = same schedule')
    .option('--seed <seed>', 'seed for the search', 'convene')
    .option('--threads <n>', 'independent chains, one worker thread each (default: up to 2 cores)')
    .action(async (flags: SolveFlags) => {
      try {
        await solveCommand(flags);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        process.stderr.write(`Error: ${error.message}\n`);
        process.exitCode = 2;
      }
    });
}
