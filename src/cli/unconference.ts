import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { timetableFile } from '../contract/unconference.js';
import { SchedulingInputError, type SolveResult, solve } from '../core/scheduling/index.js';
import type { Db } from '../db/database.js';
import { findUnconferenceEvent, listUnconferenceEvents } from '../features/unconference/queries.js';
import { exportTimetable, importTimetable } from '../features/unconference/timetable.js';
import { badRequest } from '../lib/errors.js';
import { describeZodError } from '../lib/zodMessage.js';
import { print, withContext } from './context.js';

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

/** An event by id or by its exact name (case aside). */
async function eventNamed(db: Db, nameOrId: string) {
  const byId = await findUnconferenceEvent(db, nameOrId);
  if (byId) return byId;
  const matches = (await listUnconferenceEvents(db)).filter((e) => e.name.toLowerCase() === nameOrId.toLowerCase());
  if (matches.length === 1) return matches[0]!;
  throw badRequest(
    matches.length
      ? `Several unconferences are named "${nameOrId}": use the id (\`convene unconference list\` shows them).`
      : `No unconference named "${nameOrId}". \`convene unconference list\` shows them.`,
  );
}

/** Reads and checks a timetable file; a problem names the file and the field. */
function readTimetableFile(path: string) {
  const parsed = timetableFile.safeParse(readJson(path));
  if (!parsed.success) throw new UsageError(`${path}: ${describeZodError(parsed.error).message}`);
  return parsed.data;
}

/** Runs a command; a bad file or flag is printed and exits with 2. */
async function usage(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`Error: ${error.message}\n`);
    process.exitCode = 2;
  }
}

export function registerUnconferenceCommands(program: Command): void {
  const unconference = program
    .command('unconference')
    .description('Unconference events: list, timetable export and import, scheduling.');

  unconference
    .command('list')
    .description('List the unconference events (id, phase, name).')
    .action(async () => {
      await withContext(async (ctx) => {
        const events = await listUnconferenceEvents(ctx.database.db);
        if (!events.length) print('No unconference events yet. Create one in the web app (Admin → Unconference).');
        for (const e of events) {
          print(`${e.id}\t${e.phase}\t${e.name}${e.settings.website_active ? '' : '\t(website off)'}`);
        }
      });
    });

  unconference
    .command('export <event>')
    .description('Write an event’s timetable (days, slots, rooms) as JSON, to --out or standard output.')
    .option('--out <file>', 'where to write it (default: standard output)')
    .action(async (nameOrId: string, flags: { out?: string }) => {
      await withContext(async (ctx) => {
        const event = await eventNamed(ctx.database.db, nameOrId);
        const text = `${JSON.stringify(await exportTimetable(ctx.database.db, event.id), null, 2)}\n`;
        if (flags.out) {
          writeFileSync(flags.out, text);
          print(`written to ${flags.out}`);
        } else process.stdout.write(text);
      });
    });

  unconference
    .command('import <event> <file>')
    .description(
      'Replace an event’s timetable with a JSON file’s (as `export` writes it). Days match by date, slots by day and start, rooms by name, and keep their ids; nothing changes if a slot or room the file leaves out holds sessions.',
    )
    .action(async (nameOrId: string, path: string) => {
      await usage(async () => {
        const file = readTimetableFile(path);
        await withContext(async (ctx) => {
          const event = await eventNamed(ctx.database.db, nameOrId);
          const result = await importTimetable({ db: ctx.database.db, actorId: null, eventId: event.id, file }).catch(
            (error: unknown) => {
              // The use case names the field inside the file: say which file.
              if (error instanceof Error && 'status' in error && (error as { status: number }).status === 400) {
                throw new UsageError(`${path}: ${error.message}`);
              }
              throw error;
            },
          );
          print(
            `${event.name}: ${result.days} days, ${result.slots} slots, ${result.rooms} rooms` +
              (result.removed ? ` (${result.removed} removed)` : ''),
          );
        });
      });
    });
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
