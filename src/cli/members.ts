import type { Command } from 'commander';
import { managerPattern } from '../features/mixers/eligibility.js';
import {
  joinGroup,
  leaveGroup,
  type MembershipChange,
  pauseMembership,
  resumeMembership,
  skipNextRound,
} from '../features/mixers/members.js';
import { findGroupByNameOrId } from '../features/mixers/queries.js';
import { findPersonByLogin } from '../features/people/queries.js';
import type { AppContext } from '../http/context.js';
import { AppError } from '../lib/errors.js';
import { print, withContext } from './context.js';

interface MemberOptions {
  group: string;
  person: string;
  until?: string;
}

/** Bad input on the command line: the message names the option, and the exit code is 2. */
class UsageError extends Error {}

/** Which option a use case's field error is about. */
const optionOf: Record<string, string> = { until: '--until' };

async function change(ctx: AppContext, action: MembershipChange, options: MemberOptions): Promise<string> {
  const db = ctx.database.db;
  const group = await findGroupByNameOrId(db, options.group);
  if (!group) throw new UsageError(`--group: no group named "${options.group}" (\`convene group list\` shows them)`);
  const person = await findPersonByLogin(db, options.person);
  if (!person) throw new UsageError(`--person: no person with the username or e-mail "${options.person}"`);
  // The person acts for themselves, as on their own page: every rule of the page applies.
  const props = {
    db,
    actor: person,
    groupId: group.id,
    titlePattern: managerPattern(ctx.config.directory.managerTitlePattern),
  };
  const member =
    action === 'join'
      ? await joinGroup(props)
      : action === 'leave'
        ? await leaveGroup(props)
        : action === 'pause'
          ? await pauseMembership({ ...props, until: options.until ?? '' })
          : action === 'resume'
            ? await resumeMembership(props)
            : await skipNextRound(props);
  const until = member.status === 'paused' && member.paused_until ? ` until ${member.paused_until.slice(0, 10)}` : '';
  const skipping = member.skip_round_at ? `, skipping the round of ${member.skip_round_at}` : '';
  return `${person.username} in "${group.name}": ${member.status}${until}${skipping}`;
}

export function registerMemberCommands(program: Command): void {
  const member = program
    .command('member')
    .description('Change someone’s membership of a mixer group, with the same rules as their own page.')
    // A missing or unknown option is bad input too: exit 2, as for a group or person not found.
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));
  const actions: [MembershipChange, string][] = [
    ['join', 'Join the group (refused when the person is not eligible, as on the page).'],
    ['leave', 'Leave the group.'],
    ['pause', 'Sit out every round until a date (--until YYYY-MM-DD).'],
    ['resume', 'Take part again after a pause or a skip.'],
    ['skip', 'Skip the group’s next round.'],
  ];
  for (const [action, description] of actions) {
    const command = member
      .command(action)
      .description(description)
      .requiredOption('-g, --group <group>', 'group name or id')
      .requiredOption('-p, --person <person>', 'username or e-mail');
    if (action === 'pause') command.requiredOption('--until <date>', 'the first day they take part again');
    command.action(async (options: MemberOptions) => {
      try {
        await withContext(async (ctx) => print(await change(ctx, action, options)));
      } catch (error) {
        const badInput =
          error instanceof UsageError || (error instanceof AppError && error.status >= 400 && error.status < 500);
        if (!badInput) throw error;
        const option =
          error instanceof AppError && error.field ? ` (option ${optionOf[error.field] ?? `--${error.field}`})` : '';
        process.stderr.write(`Error: ${error.message}${option}\n`);
        process.exit(2);
      }
    });
  }
}
