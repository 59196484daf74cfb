import { type Command, Option } from 'commander';
import { cleanupAlumni } from '../features/directory/cleanup.js';
import {
  formatProblem,
  type ImportProgress,
  type ImportSummary,
  importDirectory,
} from '../features/directory/importDirectory.js';
import { type FeedFormat, feedFormats } from '../features/directory/schemas.js';
import { badRequest } from '../lib/errors.js';
import { print, withContext } from './context.js';

/** Progress is shown only to a person watching a terminal, and only when it takes a while. */
const PROGRESS_FROM = 1000;
const SHOWN_PROBLEMS = 200;

const count = (n: number) => n.toLocaleString('en-US');

function progressPrinter(): ((progress: ImportProgress) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return ({ done, total }) => {
    if (total < PROGRESS_FROM) return;
    process.stderr.write(`\r  imported ${count(done)} / ${count(total)}`);
    if (done >= total) process.stderr.write('\n');
  };
}

function printList(title: string, lines: string[]): void {
  if (!lines.length) return;
  print(title);
  for (const line of lines.slice(0, SHOWN_PROBLEMS)) print(`  ${line}`);
  if (lines.length > SHOWN_PROBLEMS) print(`  … and ${count(lines.length - SHOWN_PROBLEMS)} more`);
}

export function printImportSummary(summary: ImportSummary): void {
  print(`Directory import from ${summary.sources.join(', ')}: ${count(summary.records)} records`);
  print(
    `  created ${count(summary.created)}, updated ${count(summary.updated)}, ` +
      `unchanged ${count(summary.unchanged)}, disabled ${count(summary.disabled)}, skipped ${count(summary.skipped)}`,
  );
  if (summary.pruned) print(`  ${count(summary.pruned)} of the disabled were missing from the feed (--prune)`);
  if (summary.membershipsEnded) print(`  group memberships ended: ${count(summary.membershipsEnded)}`);
  printList(
    `Problems (${count(summary.skipped)} record${summary.skipped === 1 ? '' : 's'} skipped):`,
    summary.problems.map(formatProblem),
  );
  printList('Warnings:', summary.warnings.map(formatProblem));
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

interface ImportOptions {
  url?: string;
  file?: string;
  format?: FeedFormat;
  prune?: boolean;
}

export function registerDirectoryCommands(program: Command): void {
  const directory = program.command('directory').description('Staff directory: import people, clean up alumni.');

  directory
    .command('import')
    .description(
      'Import the staff feed (JSON or CSV): create or update people by directory id, disable those it disables.',
    )
    .addOption(new Option('--url <url>', 'read the feed from an http(s) address').conflicts('file'))
    .addOption(new Option('--file <path>', 'read the feed from a file'))
    .addOption(new Option('--format <format>', 'force the format instead of detecting it').choices(feedFormats))
    .option('--prune', 'also disable directory people missing from the feed (use only with a full feed)')
    .addHelpText('after', '\nWithout --url or --file, the feeds of directory.feeds in the configuration are imported.')
    .action(async (options: ImportOptions) => {
      const summary = await withContext(async (ctx) => {
        const source = options.url ?? options.file ?? ctx.config.directory.feeds;
        if (!source.length) {
          throw badRequest(
            'Give the feed with --file PATH or --url URL (or set directory.feeds in the configuration).',
          );
        }
        // An unreadable feed throws FeedUnreadable (an AppError): the CLI prints it and exits with 1.
        return importDirectory({
          db: ctx.database.db,
          source,
          format: options.format,
          prune: options.prune ?? false,
          defaultTimezone: ctx.config.defaultTimezone,
          onProgress: progressPrinter(),
        });
      });
      printImportSummary(summary);
      if (summary.created + summary.updated + summary.unchanged === 0) {
        fail(
          summary.records
            ? 'Nothing was imported: every record has a problem (listed above). Fix the feed and run the import again.'
            : 'Nothing was imported: the feed has no records. Check that the export that writes it succeeded.',
        );
      }
    });

  directory
    .command('cleanup')
    .description('Alumni clean-up: every disabled person leaves the groups they are still in (history stays).')
    .action(async () => {
      const result = await withContext((ctx) => cleanupAlumni({ db: ctx.database.db }));
      print(
        `Alumni clean-up: ${count(result.people)} disabled people; ` +
          `group memberships ended: ${count(result.membershipsEnded)}.`,
      );
    });
}
