import { Command } from 'commander';
import { ConfigError } from './config.js';
import { AppError } from './lib/errors.js';

const program = new Command()
  .name('convene')
  .description('Convene: mixers, lightning talks, unconference scheduling and meetings for your organisation.')
  .showHelpAfterError('(run `convene --help` for the list of commands)');

// One file per capability under src/cli/ adds its commands. Only the file that defines the command
// being run is loaded: each file reaches its capability's modules, and loading all of them would cost
// every one-off command (`convene group list`) most of a second. A command not in this table (or
// `--help`) loads them all, so a command added to a file but not here still works, only slower.
const commandFiles: Array<{ commands: string[]; load: () => Promise<(program: Command) => void> }> = [
  {
    commands: ['serve', 'worker', 'migrate', 'admin'],
    load: async () => (await import('./cli/server.js')).registerServerCommands,
  },
  { commands: ['directory'], load: async () => (await import('./cli/directory.js')).registerDirectoryCommands },
  {
    commands: ['group', 'match', 'rounds', 'round'],
    load: async () => (await import('./cli/mixers.js')).registerMixerCommands,
  },
  { commands: ['member'], load: async () => (await import('./cli/members.js')).registerMemberCommands },
  { commands: ['talks'], load: async () => (await import('./cli/talks.js')).registerTalksCommands },
  {
    commands: ['unconference'],
    load: async () => (await import('./cli/unconference.js')).registerUnconferenceCommands,
  },
  { commands: ['consume'], load: async () => (await import('./cli/ingest.js')).registerIngestCommands },
  { commands: ['demo'], load: async () => (await import('./cli/demo.js')).registerDemoCommands },
  {
    commands: ['backup', 'restore', 'secrets'],
    load: async () => (await import('./cli/operations.js')).registerOperationsCommands,
  },
];
const named = process.argv[2];
const owner = commandFiles.find((file) => named !== undefined && file.commands.includes(named));
for (const file of owner ? [owner] : commandFiles) (await file.load())(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(
      `${error.message}\nFix the value in convene.config.json or the environment, then try again.\n`,
    );
    process.exit(2);
  }
  if (error instanceof AppError) {
    process.stderr.write(`Error: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
