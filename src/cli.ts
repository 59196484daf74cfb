import { Command } from 'commander';
import { registerDemoCommands } from './cli/demo.js';
import { registerDirectoryCommands } from './cli/directory.js';
import { registerMemberCommands } from './cli/members.js';
import { registerMixerCommands } from './cli/mixers.js';
import { registerServerCommands } from './cli/server.js';
import { registerTalksCommands } from './cli/talks.js';
import { registerUnconferenceCommands } from './cli/unconference.js';
import { ConfigError } from './config.js';
import { AppError } from './lib/errors.js';

const program = new Command()
  .name('convene')
  .description('Convene: mixers, lightning talks, unconference scheduling and meetings for your organisation.')
  .showHelpAfterError('(run `convene --help` for the list of commands)');

// One file per capability under src/cli/ adds its commands here.
registerServerCommands(program);
registerDirectoryCommands(program);
registerMixerCommands(program);
registerMemberCommands(program);
registerTalksCommands(program);
registerUnconferenceCommands(program);
registerDemoCommands(program);

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
