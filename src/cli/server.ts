import { type Command, InvalidArgumentError, Option } from 'commander';
import { startConvene, startWorker } from '../app.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { LockBusyError, type LockMode, lockForServe, lockOpen, lockOpenPostgres } from '../db/processLock.js';
import { resetPassword } from '../features/auth/service.js';
import { print, withContext } from './context.js';

const portOption = (value: string) => {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidArgumentError('must be a port number 0–65535');
  return port;
};

export function registerServerCommands(program: Command): void {
  program
    .command('serve')
    .description('Start the web server and the background jobs.')
    .option('-p, --port <port>', 'port to listen on (default 3000, or PORT)', portOption)
    .option('--host <host>', 'address to listen on (default 0.0.0.0, or HOST)')
    .option('--no-jobs', 'serve HTTP only; let another process run the background jobs')
    .addOption(
      new Option('--lock <mode>', 'SQLite: when another server has the file, quit (exit 3) or wait for it to stop')
        .choices(['quit', 'wait'])
        .default('quit'),
    )
    .action(async (options: { port?: number; host?: string; jobs: boolean; lock: LockMode }) => {
      const config = loadConfig({
        overrides: { port: options.port, host: options.host, 'jobs.enabled': options.jobs ? undefined : false },
      });
      // Held until the process ends (the operating system releases it however the process ends).
      await holdDatabase(config.databaseUrl, options.lock);
      const convene = await startConvene(config);
      print(`Convene is ready at ${convene.url} (database: ${convene.ctx.database.engine})`);
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
    .command('worker')
    .description('Run the background jobs (rounds, messages, directory sync) without the web server.')
    .action(async () => {
      const config = loadConfig({ overrides: { 'jobs.enabled': true } });
      // Workers run beside the server, but keep a restore from replacing the database under them.
      await holdDatabase(config.databaseUrl, null);
      const worker = await startWorker(config);
      print(`Convene worker is running (database: ${worker.ctx.database.engine})`);
      const shutdown = () => {
        const force = setTimeout(() => process.exit(1), 15_000);
        force.unref();
        worker.stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGTERM', shutdown);
      process.once('SIGINT', shutdown);
    });

  program
    .command('migrate')
    .description('Bring the database schema up to date (also done at every start).')
    .action(async () => {
      const database = openDatabase(loadConfig().databaseUrl);
      try {
        const applied = await migrateToLatest(database.db);
        for (const name of applied) print(`Applied ${name}`);
        print(`Schema is current (${database.engine}).`);
      } finally {
        await database.close();
      }
    });

  program
    .command('admin')
    .description('Administrator account tools.')
    .command('reset-password')
    .description('Give an account a new random password (printed once) and sign it out everywhere.')
    .option('-u, --username <username>', 'the account', 'admin')
    .action(async (options: { username: string }) => {
      const password = await withContext((ctx) => resetPassword({ db: ctx.database.db, username: options.username }));
      print(`New password for ${options.username}: ${password}`);
    });
}

/**
 * `serve` (mode set) takes the one-writer lock of a SQLite file; every long-running process holds the
 * database "open" so that `convene restore` refuses it. A second server on one SQLite file exits 3.
 */
async function holdDatabase(databaseUrl: string, mode: LockMode | null): Promise<void> {
  try {
    if (!databaseUrl.startsWith('sqlite:')) await lockOpenPostgres(databaseUrl);
    else if (mode)
      await lockForServe(databaseUrl, { mode, onWaiting: (message) => process.stderr.write(`${message}\n`) });
    else await lockOpen(databaseUrl);
  } catch (error) {
    if (!(error instanceof LockBusyError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(3);
  }
}
