import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { z } from 'zod';
import type { Db } from '../db/database.js';
import { syncGroupFromChat } from '../features/mixers/chatSync.js';
import { managerPattern } from '../features/mixers/eligibility.js';
import { type ExportedRound, exportRounds, roundsToCsv } from '../features/mixers/export.js';
import { createGroup, listGroups, updateGroup } from '../features/mixers/groups.js';
import { memberCounts } from '../features/mixers/members.js';
import { findGroupByNameOrId } from '../features/mixers/queries.js';
import { announceLatestRound } from '../features/mixers/reach.js';
import { createGroupBody, updateGroupBody } from '../features/mixers/schemas.js';
import { syncAndRunRound } from '../features/mixers/syncAndRunRound.js';
import { undoLatestRound } from '../features/mixers/undo.js';
import { AppError, badRequest } from '../lib/errors.js';
import { describeZodError } from '../lib/zodMessage.js';
import { print, withContext } from './context.js';

interface GroupOptions {
  name?: string;
  description?: string;
  cron?: string;
  timezone?: string;
  everyWeeks?: string;
  anchor?: string;
  size?: string;
  oddPolicy?: string;
  eligibility?: string;
  membership?: string;
  introTemplate?: string;
  reminderTemplate?: string;
  followUpTemplate?: string;
  reminderMinutes?: string;
  followUpDays?: string;
  chatChannel?: string;
  archived?: boolean;
}

/** `off` (or `none`, or nothing) turns an optional setting off. */
const orNull = (value: string | undefined) =>
  value === undefined ? undefined : ['', 'off', 'none'].includes(value.trim().toLowerCase()) ? null : value;

/** `managers`, `everyone` or `teams:Design,Platform` on the command line. */
function eligibilityOption(value: string | undefined): unknown {
  if (value === undefined) return undefined;
  if (value.startsWith('teams:'))
    return {
      kind: 'teams',
      teams: value
        .slice(6)
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    };
  return { kind: value };
}

function groupInput(options: GroupOptions): Record<string, unknown> {
  const entries = {
    name: options.name,
    description: options.description,
    cron: options.cron,
    timezone: options.timezone,
    everyWeeks: options.everyWeeks,
    anchorDate: options.anchor,
    size: options.size === undefined ? undefined : Number(options.size),
    oddPolicy: options.oddPolicy,
    eligibility: eligibilityOption(options.eligibility),
    membership: options.membership,
    introTemplate: options.introTemplate,
    reminderTemplate: orNull(options.reminderTemplate),
    followUpTemplate: orNull(options.followUpTemplate),
    reminderMinutes: options.reminderMinutes,
    followUpDays: orNull(options.followUpDays),
    chatChannel: orNull(options.chatChannel),
    archived: options.archived,
  };
  return Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined));
}

const flagOf: Record<string, string> = {
  anchorDate: '--anchor',
  everyWeeks: '--every-weeks',
  oddPolicy: '--odd-policy',
  introTemplate: '--intro-template',
};

/** Adds the command-line option to a message about a field, so the fix is obvious. */
function withOption(message: string, field: string | undefined): AppError {
  const root = field?.split(/[.[]/)[0] ?? '';
  const flag = flagOf[root] ?? `--${root.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  return badRequest(`${message}${root ? ` (option ${flag})` : ''}`, field);
}

const warnOnStderr = {
  warn: (details: Record<string, unknown>, message: string) =>
    process.stderr.write(`Warning: ${message}: ${String(details.err ?? '')}\n`),
};

function parseOrExplain<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const { field, message } = describeZodError(parsed.error);
  throw withOption(message, field);
}

async function explainingOptions<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppError && error.field) throw withOption(error.message, error.field);
    throw error;
  }
}

function addGroupOptions(command: Command): Command {
  return command
    .option('--description <text>', 'what the group is for')
    .option('--cron <expr>', 'day and time of rounds, e.g. "0 10 * * MON"')
    .option('--timezone <zone>', 'IANA timezone of the cron, e.g. Europe/Paris')
    .option('--every-weeks <n>', 'only every Nth week (alternating mixers)')
    .option('--anchor <date>', 'first week of the cycle, YYYY-MM-DD (with --every-weeks)')
    .option('--size <n>', '2 for pairs, 3 for trios')
    .option('--odd-policy <policy>', 'trio (one trio) or sit_out (one person sits out)')
    .option('--eligibility <rule>', 'everyone, managers, or teams:Team A,Team B')
    .option('--membership <mode>', 'open (people join), admin (admins add), auto (everyone eligible)')
    .option('--intro-template <text>', 'the intro message template ({{variables}}: see docs/templates.md)')
    .option('--reminder-template <text>', 'the reminder message template, or off')
    .option('--follow-up-template <text>', 'the "Did you meet?" message template, or off')
    .option('--reminder-minutes <n>', 'minutes before a meeting starts that its reminder goes out (0-1440)')
    .option('--follow-up-days <n>', 'days after a match to ask "Did you meet?" (1-60), or off')
    .option('--chat-channel <channel>', 'slack:<channel id> or mattermost:<channel id>, or off');
}

export function registerMixerCommands(program: Command): void {
  registerRoundCommands(program);
  const group = program.command('group').description('Create, change and list mixer groups.');

  addGroupOptions(
    group.command('create').description('Create a mixer group.').requiredOption('--name <name>', 'group name'),
  ).action(async (options: GroupOptions) => {
    const input = parseOrExplain(createGroupBody, groupInput(options));
    const created = await explainingOptions(() =>
      withContext((ctx) =>
        createGroup({
          db: ctx.database.db,
          actorId: null,
          input,
          minIntervalHours: ctx.config.mixers.minRoundIntervalHours,
        }),
      ),
    );
    print(`Created group "${created.name}" (${created.id}). Next round: ${created.next_round_at ?? 'none'}`);
  });

  addGroupOptions(
    group
      .command('update <group>')
      .description('Change a group, named by name or id.')
      .option('--name <name>', 'new name')
      .option('--archived', 'archive the group (no more rounds)')
      .option('--no-archived', 'restore an archived group'),
  ).action(async (nameOrId: string, options: GroupOptions) => {
    const changes = parseOrExplain(updateGroupBody, groupInput(options));
    const updated = await explainingOptions(() =>
      withContext(async (ctx) => {
        const found = await findGroupByNameOrId(ctx.database.db, nameOrId);
        if (!found) throw badRequest(`No group named "${nameOrId}". \`convene group list\` shows them.`);
        return updateGroup({
          db: ctx.database.db,
          actorId: null,
          groupId: found.id,
          changes,
          minIntervalHours: ctx.config.mixers.minRoundIntervalHours,
        });
      }),
    );
    print(`Updated group "${updated.name}". Next round: ${updated.next_round_at ?? 'none'}`);
  });

  group
    .command('sync')
    .description("Make a group's members those of its chat channel (groups.chat_channel).")
    .requiredOption('-g, --group <group>', 'group name or id')
    .action(async (options: { group: string }) => {
      await withContext(async (ctx) => {
        const found = await findGroupByNameOrId(ctx.database.db, options.group);
        if (!found) throw badRequest(`No group named "${options.group}". \`convene group list\` shows them.`);
        const result = await syncGroupFromChat({ db: ctx.database.db, groupId: found.id });
        if (!result) throw badRequest(`Group "${found.name}" is not fed from a chat channel.`);
        print(
          `Synced "${found.name}" from ${result.chatChannel}: ${result.joined} joined, ${result.left} left (${result.members} in the channel, ${result.created} new people)${result.unreadable ? `; ${result.unreadable} hidden e-mail addresses, so nobody was removed` : ''}.`,
        );
      });
    });

  group
    .command('list')
    .description('List the groups.')
    .option('--all', 'include archived groups')
    .action(async (options: { all?: boolean }) => {
      await withContext(async (ctx) => {
        const groups = await listGroups(ctx.database.db, { includeArchived: options.all });
        const counts = await memberCounts(
          ctx.database.db,
          groups,
          managerPattern(ctx.config.directory.managerTitlePattern),
        );
        if (groups.length === 0)
          print('No groups yet. Create one with `convene group create --name NAME --cron "0 10 * * MON"`.');
        for (const g of groups) {
          print(
            `${g.name}\t${counts.get(g.id) ?? 0} members\t${g.cron} ${g.timezone}${g.every_weeks > 1 ? ` every ${g.every_weeks} weeks` : ''}\tnext: ${g.next_round_at ?? '—'}${g.archived ? '\t(archived)' : ''}`,
          );
        }
      });
    });

  program
    .command('match')
    .description('Run a round for a group now.')
    .requiredOption('-g, --group <group>', 'group name or id')
    .option('--dry-run', 'print the pairs without saving anything')
    .option(
      '--seed <seed>',
      'tie-break seed; it replays a round only from the state before it (same members, same earlier rounds)',
    )
    .option('--force', 'make the round even though the last one is more recent than the group’s usual interval')
    .action(async (options: { group: string; dryRun?: boolean; seed?: string; force?: boolean }) => {
      await withContext(async (ctx) => {
        const found = await findGroupByNameOrId(ctx.database.db, options.group);
        if (!found) throw badRequest(`No group named "${options.group}". \`convene group list\` shows them.`);
        // Read before the round runs: a real run adds a round of its own.
        const seeded = options.seed ? await roundWithSeed(ctx.database.db, found.id, options.seed) : null;
        const outcome = await syncAndRunRound({
          db: ctx.database.db,
          groupId: found.id,
          scheduledFor: new Date(),
          titlePattern: managerPattern(ctx.config.directory.managerTitlePattern),
          dryRun: options.dryRun,
          seed: options.seed,
          manual: true,
          force: options.force ?? false,
          log: warnOnStderr,
        });
        print(`${options.dryRun ? 'Dry run — nothing saved. ' : ''}Round for "${found.name}" (seed ${outcome.seed}):`);
        for (const members of outcome.groups)
          print(`  ${members.map((p) => `${p.name} (${p.username})`).join('  ·  ')}`);
        for (const person of outcome.sittingOut) print(`  sits out: ${person.name} (${person.username})`);
        const s = outcome.stats;
        print(
          `${s.members} people: ${s.pairs} pairs, ${s.trios} trios, ${s.satOut} sitting out; ${s.repeatPairs} repeated pairs, ${s.sameTeamPairs} same-team pairs.`,
        );
        if (seeded) print(seedReplayNote(seeded, outcome.groups));
      });
    });

  program
    .command('rounds')
    .description('Round history.')
    .command('export')
    .description('Write every round of a group with its meetings and participants.')
    .requiredOption('-g, --group <group>', 'group name or id')
    .option('--format <format>', 'json or csv', 'json')
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .action(async (options: { group: string; format: string; output?: string }) => {
      if (options.format !== 'json' && options.format !== 'csv') throw badRequest('--format: must be json or csv');
      await withContext(async (ctx) => {
        const found = await findGroupByNameOrId(ctx.database.db, options.group);
        if (!found) throw badRequest(`No group named "${options.group}". \`convene group list\` shows them.`);
        const rounds = await exportRounds(ctx.database.db, found.id);
        const text =
          options.format === 'csv'
            ? roundsToCsv(rounds)
            : `${JSON.stringify({ group: found.name, rounds }, null, 2)}\n`;
        if (options.output) {
          writeFileSync(options.output, text);
          print(`Wrote ${rounds.length} rounds to ${options.output}.`);
        } else process.stdout.write(text);
      });
    });
}

function registerRoundCommands(program: Command): void {
  const round = program.command('round').description("Act on a group's latest round.");
  round
    .command('undo')
    .description(
      "Undo the group's latest round (within mixers.undoRoundHours of its making): its meetings are cancelled, people an intro reached are told, skips it used are given back, and the next round may pair the same people again.",
    )
    .requiredOption('-g, --group <group>', 'group name or id')
    .action(async (options: { group: string }) => {
      await withContext(async (ctx) => {
        const found = await findGroupByNameOrId(ctx.database.db, options.group);
        if (!found) throw badRequest(`No group named "${options.group}". \`convene group list\` shows them.`);
        const undone = await undoLatestRound({
          db: ctx.database.db,
          groupId: found.id,
          windowHours: ctx.config.mixers.undoRoundHours,
        });
        print(
          `Undid the round of ${undone.scheduledFor} in "${found.name}": ${undone.cancelled} meetings cancelled; ${
            undone.told.length
              ? `${undone.told.length} people told by ${undone.channels.join(', ')}`
              : 'nobody had heard of it, so nobody was sent a message'
          }${undone.skipsRestored ? `; ${undone.skipsRestored} skips given back` : ''}.`,
        );
      });
    });
  round
    .command('announce')
    .description("Send the latest round's intros to the people none has reached yet (after turning a channel on).")
    .requiredOption('-g, --group <group>', 'group name or id')
    .action(async (options: { group: string }) => {
      await withContext(async (ctx) => {
        const found = await findGroupByNameOrId(ctx.database.db, options.group);
        if (!found) throw badRequest(`No group named "${options.group}". \`convene group list\` shows them.`);
        const announced = await announceLatestRound({ db: ctx.database.db, groupId: found.id });
        print(
          announced.told.length
            ? `Announced ${announced.meetings} meetings of "${found.name}" to ${announced.told.length} people by ${announced.channels.join(', ')}.`
            : `Nobody in the latest round of "${found.name}" was left to tell, or no channel reaches them yet.`,
        );
      });
    });
}

/** The saved round that used `seed`, and how many rounds the group has saved since then. */
async function roundWithSeed(
  db: Db,
  groupId: string,
  seed: string,
): Promise<{ round: ExportedRound; later: number } | null> {
  const rounds = await exportRounds(db, groupId);
  const at = rounds.findIndex((r) => r.seed === seed);
  return at === -1 ? null : { round: rounds[at]!, later: rounds.length - 1 - at };
}

/**
 * The engine is deterministic for a seed and the state it starts from (members and earlier rounds).
 * A seed taken from a saved round meets a later state — that round itself is now history, and so is
 * anything after it — so the result is a new round, not a replay; say so, and how far it differs.
 */
function seedReplayNote(
  seeded: { round: ExportedRound; later: number },
  groups: readonly { username: string }[][],
): string {
  const key = (usernames: readonly string[]): string => [...usernames].sort().join(' ');
  const before = new Set(seeded.round.meetings.map((m) => key(m.participants)));
  const same = groups.filter((g) => before.has(key(g.map((p) => p.username)))).length;
  const since =
    seeded.later === 0
      ? 'that round is now part of the history'
      : `that round and ${seeded.later} after it are now history`;
  return [
    `Note: seed ${seeded.round.seed} is the seed of the round of ${seeded.round.scheduledFor}. A seed replays a round only`,
    `from the state before it (same members, same earlier rounds); ${since}, so this is a different round:`,
    `${same} of its ${groups.length} groups match the ${before.size} of that round.`,
  ].join('\n');
}
