import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import pino from 'pino';
import { type Config, publicUrlOf, unknownEnvSettings } from './config.js';
import { DEFAULT_PASSWORD_HASH_COST } from './contract/auth.js';
import { type Database, openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { configurePasswordHashing } from './features/auth/password.js';
import { AccountLinkLimiter, SigninLimiter, VerificationCodeLimiter } from './features/auth/rateLimit.js';
import { refusalLog } from './features/ingest/refusals.js';
import { applyChannelConfig } from './features/notifications/channels.js';
import { ensureSettings } from './features/settings/service.js';
import type { AppContext } from './http/context.js';
import { type Job, type RestartPolicy, startJobs } from './jobs/runner.js';
import { flushErrorReports, startErrorReports } from './lib/errorReports.js';
import { closeMarkdownPool, markdownPool } from './lib/markdown/index.js';
import { configureSecrets } from './lib/secretBox.js';
import { loggerOptions } from './logger.js';

/**
 * Opens the database, brings its schema up to date and fixes first-run settings. A long-running
 * process (server, worker) also gets SQLite's checkpoints on a thread of their own.
 */
export async function openContext(config: Config, options: { longRunning?: boolean } = {}): Promise<AppContext> {
  configureSecrets(config.secrets);
  configurePasswordHashing(config.auth.passwordHashCost);
  const database: Database = openDatabase(config.databaseUrl, {
    ...(options.longRunning ? { backgroundCheckpoints: checkpointErrorsTo(config) } : {}),
  });
  try {
    await migrateToLatest(database.db);
    await ensureSettings(database.db);
    await applyChannelConfig(database.db, config);
  } catch (error) {
    await database.close();
    throw error;
  }
  return {
    config,
    database,
    signinLimiter: new SigninLimiter(config.auth.signinLimit),
    codeLimiter: new VerificationCodeLimiter(),
    linkLimiter: new AccountLinkLimiter(),
    inboundRefusals: refusalLog({
      db: database.db,
      onError: lazyWarning(config, 'could not record refused inbound deliveries'),
    }),
  };
}

/** A logger made at the first failure only: most processes never need it. */
function lazyWarning(config: Config, message: string) {
  let log: pino.Logger | undefined;
  return (error: unknown) => {
    log ??= pino(loggerOptions(config.logLevel));
    log.warn({ err: error }, message);
  };
}

function checkpointErrorsTo(config: Config) {
  const log = pino(loggerOptions(config.logLevel));
  return { onError: (message: string) => log.error({ error: message }, 'SQLite background checkpoint failed') };
}

export interface RunningConvene {
  app: FastifyInstance;
  ctx: AppContext;
  url: string;
  stop(): Promise<void>;
}

// Loaded by the commands that run jobs only: the registry reaches every capability's modules, which a
// one-off CLI command (`convene group list`) would otherwise load at each start.
const registry = () => import('./jobs/registry.js');

/** `convene serve`: the HTTP server and, unless switched off, the background jobs. */
export async function startConvene(
  config: Config,
  options: { print?: (line: string) => void; logger?: boolean } = {},
): Promise<RunningConvene> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const ctx = await openContext(config, { longRunning: true });
  await startErrorReports(config);
  // Loaded here (with the web server below): the worker and the other commands never need the accounts code.
  const { ensureAdmin } = await import('./features/auth/service.js');
  const admin = await ensureAdmin({
    db: ctx.database.db,
    password: config.adminPassword,
    defaultTimezone: config.defaultTimezone,
  });
  if (admin.generatedPassword) {
    // Printed once, to the terminal, never to the log.
    print(`Created the first administrator. Username: admin  Password: ${admin.generatedPassword}`);
    print('Keep it safe: it is not shown again. `convene admin reset-password` makes a new one.');
  }
  // Loaded here, not at the top: the worker and the other commands never need the web server's
  // modules, and loading them costs most of a second at every start.
  const { buildServer } = await import('./server.js');
  const app = await buildServer(ctx, { logger: options.logger });
  for (const warning of unknownEnvSettings()) app.log.warn(warning);
  if (config.auth.passwordHashCost < DEFAULT_PASSWORD_HASH_COST) {
    app.log.warn(
      `auth.passwordHashCost is ${config.auth.passwordHashCost}, below the default of ${DEFAULT_PASSWORD_HASH_COST}: ` +
        'new password hashes are cheaper to guess. Keep the default outside tests.',
    );
  }
  await app.listen({ port: config.port, host: config.host });
  markdownPool().warm();
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://localhost:${port}`;
  const jobs = config.jobs.enabled ? startJobs((await registry()).backgroundJobs(ctx, app.log), app.log) : undefined;
  let stopping: Promise<void> | undefined;
  return {
    app,
    ctx,
    url,
    stop() {
      stopping ??= (async () => {
        // The jobs are told to stop at once, not after the last HTTP request: the outbox stops
        // claiming, hands back what it has not started and finishes what it is sending meanwhile.
        await Promise.all([app.close(), jobs?.stop()]);
        await closeMarkdownPool();
        await ctx.database.close();
        await flushErrorReports();
      })();
      return stopping;
    },
  };
}

/**
 * `convene worker`: the background jobs without the web server, for running them in processes of
 * their own (several may run at once: rounds are made once and messages claimed atomically).
 */
export async function startWorker(
  config: Config,
  options: {
    /** The jobs to run; the registry's by default. */
    jobs?: (ctx: AppContext, log: FastifyBaseLogger) => Job[];
    restart?: RestartPolicy;
  } = {},
): Promise<{ ctx: AppContext; stop(): Promise<void> }> {
  const ctx = await openContext(config, { longRunning: true });
  await startErrorReports(config);
  const log = pino(loggerOptions(config.logLevel)) as unknown as FastifyBaseLogger;
  for (const warning of unknownEnvSettings()) log.warn(warning);
  if (!config.publicUrl) {
    // The worker writes the links in messages; it cannot know the address people reach the server at.
    log.warn(
      `publicUrl is not set: links in messages point to ${publicUrlOf(config)}. Set CONVENE_PUBLIC_URL (or publicUrl) to the address people open Convene at.`,
    );
  }
  const jobs = startJobs((options.jobs ?? (await registry()).backgroundJobs)(ctx, log), log, {
    ...(options.restart ? { restart: options.restart } : {}),
  });
  let stopping: Promise<void> | undefined;
  return {
    ctx,
    stop() {
      stopping ??= (async () => {
        // Services and runs in flight end first: they may still write to the database.
        await jobs.stop();
        await ctx.database.close();
        await flushErrorReports();
      })();
      return stopping;
    },
  };
}
