import { type Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../config.js';
import { type BackupResult, backupDatabase, backupToFolder, restoreDatabase } from '../db/backup.js';
import { LockBusyError } from '../db/processLock.js';
import { resealChannelSecrets } from '../features/notifications/channels.js';
import { resealSigningKey } from '../features/settings/service.js';
import { AppError } from '../lib/errors.js';
import { secretsKeyId } from '../lib/secretBox.js';
import { print, withContext } from './context.js';

const positive = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of at least 1');
  return n;
};

const size = (bytes: number) =>
  bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} kB`;

const describe = (result: BackupResult) =>
  `Backed up the ${result.engine} database to ${result.path} (${size(result.bytes)}, schema ${result.schema}, verified).`;

/** A restore refused because a process has the database open: exit 3, as `serve` does for its lock. */
function lockRefusal(error: unknown): never {
  if (error instanceof LockBusyError) {
    process.stderr.write(`${error.message}\nNothing was changed.\n`);
    process.exit(3);
  }
  if (error instanceof AppError) throw new AppError(error.code, `${error.message}\nNothing was changed.`);
  throw error;
}

export function registerOperationsCommands(program: Command): void {
  program
    .command('secrets')
    .description(
      'Channel credentials and the link signing key stored in the database, encrypted with CONVENE_SECRETS_KEY.',
    )
    .command('rotate')
    .description(
      'Encrypt every stored credential and the link signing key with CONVENE_SECRETS_KEY (old keys listed in CONVENE_SECRETS_PREVIOUS_KEYS still open them).',
    )
    .action(async () => {
      const result = await withContext(async (ctx) => {
        const keyId = secretsKeyId();
        if (!keyId)
          throw new AppError('bad_request', 'Set CONVENE_SECRETS_KEY first (make one with: openssl rand -base64 32).');
        const channels = await resealChannelSecrets(ctx.database.db);
        await resealSigningKey(ctx.database.db, { underPreviousKeys: true });
        return { keyId, ...channels };
      });
      print(
        `Encrypted the credentials of ${result.resealed} channel(s) and the link signing key with key ${result.keyId}.`,
      );
      print('Old keys are no longer needed for them: remove them from CONVENE_SECRETS_PREVIOUS_KEYS.');
    });

  program
    .command('backup')
    .description(
      'Copy the database while Convene runs: verified (integrity check), timestamped in a folder with --to, or to one file with --out.',
    )
    .option('--out <file>', 'write the backup to this file (must not exist)')
    .option('--to <dir>', 'write a timestamped backup into this folder (default: backups.dir from the config)')
    .option('--keep <n>', 'with --to: keep only the newest N backups in the folder', positive)
    .action(async (options: { out?: string; to?: string; keep?: number }) => {
      const config = loadConfig();
      if (options.out && (options.to || options.keep))
        throw new AppError('bad_request', 'Use --out alone, or --to with --keep.');
      if (options.out) {
        print(describe(await backupDatabase({ databaseUrl: config.databaseUrl, out: options.out })));
        return;
      }
      const dir = options.to ?? config.backups.dir;
      if (!dir) throw new AppError('bad_request', 'Say where: --out FILE, --to DIR, or backups.dir in the config.');
      const result = await backupToFolder({
        databaseUrl: config.databaseUrl,
        dir,
        keep: options.keep ?? (options.to ? undefined : config.backups.keep),
      });
      print(describe(result));
      for (const file of result.removed) print(`Removed the older backup ${file}`);
    });

  program
    .command('restore')
    .description(
      'Replace the database with a backup (stop every server and worker on it first); the next start migrates an older backup forward.',
    )
    .argument('<file>', 'a file made by `convene backup`')
    .action(async (file: string) => {
      const config = loadConfig();
      const { schema } = await restoreDatabase({ databaseUrl: config.databaseUrl, file }).catch(lockRefusal);
      print(`Restored ${file} (schema ${schema}). Start Convene again: it brings the schema up to date.`);
    });
}
