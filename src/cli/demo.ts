import type { Command } from 'commander';
import { publicUrlOf } from '../config.js';
import { ensureAdmin } from '../features/auth/service.js';
import { seedDemo } from '../features/demo/demo.js';
import { managerPattern } from '../features/mixers/eligibility.js';
import { print, withContext } from './context.js';

export function registerDemoCommands(program: Command): void {
  program
    .command('demo')
    .description(
      'Fill an empty database with a demo organisation: people, mixers with past rounds, a talks vote, a published unconference.',
    )
    .option('--force', 'add the demo organisation even though the database already has data')
    .action(async (options: { force?: boolean }) => {
      const started = Date.now();
      await withContext(async (ctx) => {
        const db = ctx.database.db;
        const admin = await ensureAdmin({
          db,
          password: ctx.config.adminPassword,
          defaultTimezone: ctx.config.defaultTimezone,
        });
        const summary = await seedDemo({
          db,
          titlePattern: managerPattern(ctx.config.directory.managerTitlePattern),
          defaultTimezone: ctx.config.defaultTimezone,
          force: options.force,
          progress: (line) => print(`  ${line}`),
        });
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        print('');
        print(`Demo ready in ${seconds} s (${ctx.database.engine}):`);
        print(`  ${summary.people} people, mixer groups ${summary.groups.map((g) => `"${g}"`).join(' and ')}`);
        print(`  with ${summary.rounds} past rounds, and the talks event "${summary.event.name}"`);
        print(`  in voting: ${summary.event.proposals} proposals, ${summary.event.votes} votes.`);
        print(
          `  The unconference "${summary.unconference.name}": ${summary.unconference.sessions} sessions placed by the scheduler from ${summary.unconference.ratings} ratings, published.`,
        );
        print('');
        print('Next:');
        print('  1. Start Convene: npm start   (or: npx convene serve)');
        // The address `convene serve` will be reached at with this same configuration (PORT, publicUrl).
        print(`  2. Open ${publicUrlOf(ctx.config)} and sign in as admin.`);
        if (admin.generatedPassword) {
          print(`     Username: admin  Password: ${admin.generatedPassword}   (shown once; keep it)`);
        } else if (!admin.created) {
          print(
            '     Its password was printed when Convene first started; `npx convene admin reset-password` makes a new one.',
          );
        }
        if (summary.member) {
          print(
            `  3. To see a member's view, sign in as ${summary.member.username} with password ${summary.member.password}`,
          );
        }
        print(`  Talks → "${summary.event.name}" → Manage shows the results, with a suspicious-voting hint.`);
        print(`  Its timetable: ${publicUrlOf(ctx.config)}/unconference/events/${summary.unconference.id}/schedule`);
      });
    });
}
