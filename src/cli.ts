import { Command, InvalidArgumentError } from 'commander';
import { openContext, startConvene } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { resetPassword } from './features/auth/service.js';
import { AppError } from './lib/errors.js';

const program = new Command()
  .name('convene')
  .description('Convene: mixers, lightning talks, unconference scheduling and meetings for your organisation.')
  .showHelpAfterError('(run `convene --help` for the list of commands)');

const portOption = (value: string) => {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidArgumentError('must be a port number 0–65535');
  return port;
};

program
  .command('serve')
  .description('Start the web server and the background jobs.')
  .option('-p, --port <port>', 'port to listen on (default 3000, or PORT)', portOption)
  .option('--host <host>', 'address to listen on (default 0.0.0.0, or HOST)')
  .option('--no-jobs', 'serve HTTP only; let another process run the background jobs')
  .action(async (options: { port?: number; host?: string; jobs: boolean }) => {
    const config = loadConfig({
      overrides: { port: options.port, host: options.host, 'jobs.enabled': options.jobs ? undefined : false },
    });
    const convene = await startConvene(config);
    process.stdout.write(`Convene is ready at ${convene.url} (database: ${convene.ctx.database.engine})\n`);
    const shutdown = (signal: string) => {
      convene.app.log.info({ signal }, 'shutting down');
      const force = setTimeout(() => process.exit(1), 15_000);
      force.unref();
      convene.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  });

program
  .command('migrate')
  .description('Bring the database schema up to date (also done at every start).')
  .action(async () => {
    const database = openDatabase(loadConfig().databaseUrl);
    try {
      const applied = await migrateToLatest(database.db);
      for (const name of applied) process.stdout.write(`Applied ${name}\n`);
      process.stdout.write(`Schema is current (${database.engine}).\n`);
    } finally {
      await database.close();
    }
  });

const admin = program.command('admin').description('Administrator account tools.');
admin
  .command('reset-password')
  .description('Give an account a new random password (printed once) and sign it out everywhere.')
  .option('-u, --username <username>', 'the account', 'admin')
  .action(async (options: { username: string }) => {
    const ctx = await openContext(loadConfig());
    try {
      const password = await resetPassword({ db: ctx.database.db, username: options.username });
      process.stdout.write(`New password for ${options.username}: ${password}\n`);
    } finally {
      await ctx.database.close();
    }
  });

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
