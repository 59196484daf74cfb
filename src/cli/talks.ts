import type { Command } from 'commander';
import type { Db } from '../db/database.js';
import { deleteTalksEvent, setTalksArchived, setTalksPhase, talksEventDeletion } from '../features/talks/events.js';
import { findTalksEvent, listTalksEvents } from '../features/talks/queries.js';
import { eventResults, resultsCsv } from '../features/talks/results.js';
import { eventPhases } from '../features/talks/schemas.js';
import { badRequest } from '../lib/errors.js';
import { print, withContext } from './context.js';

async function eventNamed(db: Db, nameOrId: string) {
  const byId = await findTalksEvent(db, nameOrId);
  if (byId) return byId;
  // Archived events too: `talks archive --restore` and `talks delete` name them.
  const matches = (await listTalksEvents(db)).filter((e) => e.name.toLowerCase() === nameOrId.toLowerCase());
  if (matches.length === 1) return matches[0]!;
  throw badRequest(
    matches.length
      ? `Several events are named "${nameOrId}": use the id (\`convene talks list\` shows them).`
      : `No talks event named "${nameOrId}". \`convene talks list\` shows them.`,
  );
}

export function registerTalksCommands(program: Command): void {
  const talks = program
    .command('talks')
    .description('Lightning-talk events: list, switch phase, results, archive, delete.');

  talks
    .command('list')
    .description('List the talks events: the current ones, or with --archived the archived ones.')
    .option('--archived', 'list the archived events instead')
    .action(async (options: { archived?: boolean }) => {
      await withContext(async (ctx) => {
        const archived = options.archived ?? false;
        const events = await listTalksEvents(ctx.database.db, { archived });
        if (!events.length)
          print(
            archived
              ? 'No archived talks events.'
              : 'No current talks events. Create one in the web app (Talks → New event); `--archived` lists archived ones.',
          );
        for (const e of events) print(`${e.id}\t${e.phase}\t${e.name}${e.archived_at ? '\t(archived)' : ''}`);
      });
    });

  talks
    .command('archive <event>')
    .description('Archive an event (name or id): kept with its proposals, votes and results, out of the list.')
    .option('--restore', 'bring an archived event back instead')
    .action(async (nameOrId: string, options: { restore?: boolean }) => {
      await withContext(async (ctx) => {
        const event = await eventNamed(ctx.database.db, nameOrId);
        const updated = await setTalksArchived({
          db: ctx.database.db,
          actorId: null,
          eventId: event.id,
          archived: !options.restore,
        });
        print(
          updated.archived_at
            ? `Archived "${updated.name}": \`convene talks list --archived\` and /talks/archived show it.`
            : `"${updated.name}" is back in the list of events.`,
        );
      });
    });

  talks
    .command('delete <event>')
    .description('Delete an event (name or id) with its proposals and votes. Needs --yes.')
    .option('--yes', 'confirm: the event, its proposals and votes are gone for good')
    .action(async (nameOrId: string, options: { yes?: boolean }) => {
      await withContext(async (ctx) => {
        const event = await eventNamed(ctx.database.db, nameOrId);
        const gone = await talksEventDeletion(ctx.database.db, event.id);
        if (!options.yes) {
          throw badRequest(
            `Deleting "${event.name}" removes ${gone.proposals} proposals and ${gone.votes} votes for good. Run again with --yes to confirm (or archive it to keep its results).`,
            'yes',
          );
        }
        await deleteTalksEvent({ db: ctx.database.db, actorId: null, eventId: event.id });
        print(`Deleted "${event.name}" with ${gone.proposals} proposals and ${gone.votes} votes.`);
      });
    });

  talks
    .command('phase <event> <phase>')
    .description(`Move an event (name or id) to a phase: ${eventPhases.join(', ')}.`)
    .action(async (nameOrId: string, phase: string) => {
      if (!(eventPhases as readonly string[]).includes(phase)) {
        throw badRequest(`phase: must be one of ${eventPhases.join(', ')}`);
      }
      await withContext(async (ctx) => {
        const event = await eventNamed(ctx.database.db, nameOrId);
        const updated = await setTalksPhase({
          db: ctx.database.db,
          actorId: null,
          eventId: event.id,
          phase: phase as (typeof eventPhases)[number],
        });
        print(`"${updated.name}" is now in phase ${updated.phase}.`);
      });
    });

  talks
    .command('results <event>')
    .description('The ranking of an event (name or id), as a table or CSV.')
    .option('--format <format>', 'table or csv', 'table')
    .action(async (nameOrId: string, options: { format: string }) => {
      if (options.format !== 'table' && options.format !== 'csv') throw badRequest('--format: must be table or csv');
      await withContext(async (ctx) => {
        const event = await eventNamed(ctx.database.db, nameOrId);
        const results = await eventResults(ctx.database.db, event.id);
        if (options.format === 'csv') {
          process.stdout.write(resultsCsv(results));
          return;
        }
        print(
          `${results.event.name} (${results.event.phase}): ${results.totals.votes} votes by ${results.totals.voters} people`,
        );
        for (const row of results.ranking) {
          const mark = row.selected ? '*' : row.hidden ? 'h' : ' ';
          print(
            `${mark} ${String(row.rank ?? '-').padStart(3)}  ${String(row.votes).padStart(4)}  ${row.title} — ${row.speaker.name}`,
          );
        }
        if (results.tieAtCutoff) print('Note: the last selected talk is tied with the first one left out.');
        for (const hint of results.suspicious) {
          print(
            `Look at: ${hint.accounts.length} accounts from ${hint.address} voting alike (${hint.proposals.map((p) => p.title).join('; ')})`,
          );
        }
      });
    });
}
