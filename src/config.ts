import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ipaddr from 'ipaddr.js';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { DEFAULT_PASSWORD_HASH_COST } from './contract/auth.js';
import { HTTP_URL, SMTP_URL, serviceUrl } from './lib/serviceUrl.js';
import { isValidTimeZone } from './lib/time.js';
import { issuePath } from './lib/zodMessage.js';

const cidr = z.string().refine(
  (value) => {
    try {
      value.includes('/') ? ipaddr.parseCIDR(value) : ipaddr.parse(value);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be an IP address or CIDR range such as 10.0.0.0/8' },
);

const databaseUrl = z.string().refine((url) => url.startsWith('sqlite:') || /^postgres(ql)?:\/\//.test(url), {
  message: 'must start with sqlite: or postgres://',
});

const AMQP_DEFAULTS = {
  queue: 'intra42.scale_team',
  prefetch: 1000,
  deadLetterExchange: 'convene.dead-letter',
  deadLetterQueue: 'intra42.scale_team.dead',
};

export const configSchema = z
  .object({
    port: z.coerce.number().int().min(0).max(65535).default(3000),
    host: z.string().min(1).default('0.0.0.0'),
    publicUrl: z.url().optional(),
    databaseUrl: databaseUrl.default('sqlite:./data/convene.db'),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /**
     * The longest a client may take to send a whole request (headers and body): a body that never
     * ends (slowloris) is cut off. The largest upload, a 20 MB directory feed, needs about 1.4 Mbit/s
     * at the default; raise it for slower links.
     */
    requestTimeoutSeconds: z.coerce.number().int().min(1).max(3600).default(120),
    adminPassword: z.string().min(8).optional(),
    defaultTimezone: z
      .string()
      .refine(isValidTimeZone, { message: 'must be an IANA time zone such as Europe/Paris' })
      .default('UTC'),
    directory: z
      .object({
        /** Staff feeds (JSON or CSV) synced on `syncCron`: URLs or file paths. */
        feeds: z.array(z.string().min(1)).default([]),
        syncCron: z.string().min(1).optional(),
        /** With a full feed, people missing from it are disabled at each sync. */
        prune: z.boolean().default(false),
        /** Titles that count as managers for managers-only groups, besides is_manager. */
        managerTitlePattern: z.string().default('Manager|Director|Principal|Head of|VP|Chief'),
      })
      .strict()
      .default({ feeds: [], prune: false, managerTitlePattern: 'Manager|Director|Principal|Head of|VP|Chief' }),
    /** Video rooms for meetings: Jitsi (public or self-hosted with JWT), a URL template, or none. */
    video: z
      .object({
        provider: z.enum(['jitsi', 'template', 'none']).default('jitsi'),
        jitsi: z
          .object({
            baseUrl: z.url().default('https://meet.jit.si'),
            /** Token authentication of a self-hosted Jitsi (jitsi-meet-tokens, HS256). */
            jwt: z
              .object({
                appId: z.string().min(1),
                secret: z.string().min(16),
                audience: z.string().min(1).default('jitsi'),
                ttlMinutes: z.coerce
                  .number()
                  .int()
                  .min(1)
                  .max(7 * 24 * 60)
                  .default(180),
              })
              .strict()
              .optional(),
          })
          .strict()
          .default({ baseUrl: 'https://meet.jit.si' }),
        /** With provider "template": a URL holding {room}, e.g. https://video.example.org/{room}. */
        template: z
          .string()
          .refine((t) => t.includes('{room}') && /^https?:\/\//.test(t), {
            message: 'must be an http(s) URL containing {room}',
          })
          .optional(),
      })
      .strict()
      .refine((v) => v.provider !== 'template' || v.template, {
        message: 'video.template is required when video.provider is "template"',
        path: ['template'],
      })
      .default({ provider: 'jitsi', jitsi: { baseUrl: 'https://meet.jit.si' } }),
    /** Channels set here are written to the database at start; others are set on the admin page. */
    notifications: z
      .object({
        email: z
          .object({
            /** smtp://user:pass@host:587 or smtps://…; absent: e-mail is configured on the admin page. */
            smtpUrl: serviceUrl(SMTP_URL).optional(),
            from: z.string().min(3).default('Convene <convene@localhost>'),
          })
          .strict()
          .default({ from: 'Convene <convene@localhost>' }),
        slack: z
          .object({
            token: z.string().min(1).optional(),
            /** The Web API's base URL (tests point it at a local server). */
            apiUrl: serviceUrl(HTTP_URL).default('https://slack.com/api/'),
            /** Verifies the button clicks Slack sends to /api/v1/integrations/slack/interactions. */
            signingSecret: z.string().min(8).optional(),
          })
          .strict()
          .default({ apiUrl: 'https://slack.com/api/' }),
        /** Mattermost REST API v4: the server's base URL and a bot account's access token. */
        mattermost: z
          .object({
            url: serviceUrl(HTTP_URL).optional(),
            token: z.string().min(1).optional(),
          })
          .strict()
          .refine((m) => !m.url === !m.token, { message: 'url and token go together' })
          .default({}),
        /** An outgoing webhook signed per Standard Webhooks with a whsec_… secret. */
        webhook: z
          .object({
            url: serviceUrl(HTTP_URL).optional(),
            secret: z
              .string()
              .regex(/^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/, 'must be whsec_ followed by base64 of 24 to 64 random bytes')
              .optional(),
          })
          .strict()
          .refine((w) => !w.url === !w.secret, { message: 'url and secret go together' })
          .default({}),
        outbox: z
          .object({
            everyMs: z.coerce.number().int().min(100).default(2000),
            batchSize: z.coerce.number().int().min(1).max(1000).default(100),
            concurrency: z.coerce.number().int().min(1).max(200).default(16),
            maxAttempts: z.coerce.number().int().min(1).max(100).default(8),
            leaseSeconds: z.coerce.number().int().min(5).default(300),
            baseDelaySeconds: z.coerce.number().min(0).default(30),
            maxDelaySeconds: z.coerce
              .number()
              .min(0)
              .default(6 * 3600),
            /** Messages per second each worker sends per channel; absent or 0: as fast as the channel allows. */
            ratePerSecond: z
              .object({
                email: z.coerce.number().min(0).optional(),
                slack: z.coerce.number().min(0).optional(),
                mattermost: z.coerce.number().min(0).optional(),
                webhook: z.coerce.number().min(0).optional(),
              })
              .strict()
              .default({}),
          })
          .strict()
          .default({
            ratePerSecond: {},
            everyMs: 2000,
            batchSize: 100,
            concurrency: 16,
            maxAttempts: 8,
            leaseSeconds: 300,
            baseDelaySeconds: 30,
            maxDelaySeconds: 6 * 3600,
          }),
      })
      .strict()
      .default({
        email: { from: 'Convene <convene@localhost>' },
        slack: { apiUrl: 'https://slack.com/api/' },
        mattermost: {},
        webhook: {},
        outbox: {
          ratePerSecond: {},
          everyMs: 2000,
          batchSize: 100,
          concurrency: 16,
          maxAttempts: 8,
          leaseSeconds: 300,
          baseDelaySeconds: 30,
          maxDelaySeconds: 6 * 3600,
        },
      }),
    mixers: z
      .object({
        /** Cadences making rounds closer together than this are refused (pairs would repeat). */
        minRoundIntervalHours: z.coerce
          .number()
          .min(1)
          .max(24 * 28)
          .default(24),
        /** How long after it was made an admin may undo a round (its meetings cancelled, people told). */
        undoRoundHours: z.coerce
          .number()
          .min(0)
          .max(24 * 28)
          .default(24),
      })
      .strict()
      .default({ minRoundIntervalHours: 24, undoRoundHours: 24 }),
    /** The 42 intranet: scale_team webhooks, the RabbitMQ queue and the 42 API for team members. */
    intra42: z
      .object({
        /** "scale_team.create:s1,scale_team.update:s2,…": the secret the intranet sends per model.event. */
        webhooks: z
          .string()
          .default('')
          .superRefine((value, ctx) => {
            // A mistyped model.event would make every delivery of that event a 401, silently.
            for (const pair of value.split(',')) {
              if (!pair.trim()) continue;
              const [, key] = /^\s*([^:]*):(.+)$/.exec(pair) ?? [];
              if (key === undefined) {
                ctx.addIssue({ code: 'custom', message: `"${pair.trim().slice(0, 40)}" is not model.event:secret` });
              } else if (!/^scale_team\.(create|update|destroy)$/.test(key.trim())) {
                ctx.addIssue({
                  code: 'custom',
                  message: `"${key.trim().slice(0, 40)}" is not scale_team.create, scale_team.update or scale_team.destroy (pairs are separated by commas: a secret cannot hold one)`,
                });
              }
            }
          }),
        apiUrl: serviceUrl(HTTP_URL).default('https://api.intra.42.fr/'),
        appId: z.string().min(1).optional(),
        appSecret: z.string().min(1).optional(),
        /** People created from a 42 login with no e-mail from the API get login@emailDomain. */
        emailDomain: z.string().min(1).default('student.42.fr'),
        amqp: z
          .object({
            url: z
              .string()
              .regex(/^amqps?:\/\//, 'must start with amqp:// or amqps://')
              .optional(),
            queue: z.string().min(1).max(200).default('intra42.scale_team'),
            /**
             * Messages in flight at once (AMQP prefetch); acknowledged only after their commit. The
             * acks commit in a broker transaction, which waits for RabbitMQ's disk (40–260 ms
             * measured): the window must hold that long's worth of messages, or the consumer idles
             * (200 left it idle a quarter of the time; 1,000 raised one consumer 40 % on SQLite).
             */
            prefetch: z.coerce.number().int().min(1).max(10_000).default(1000),
            /** Where refused messages go, with an `x-convene-reason` header: exchange and its queue. */
            deadLetterExchange: z.string().min(1).max(200).default('convene.dead-letter'),
            deadLetterQueue: z.string().min(1).max(200).default('intra42.scale_team.dead'),
          })
          .strict()
          .default(AMQP_DEFAULTS),
        /**
         * How long a delivery being processed stays claimed: a redelivery within it waits (the queue
         * requeues it with backoff), one after it takes over from a process that died mid-delivery.
         */
        leaseSeconds: z.coerce.number().int().min(1).max(3600).default(60),
      })
      .strict()
      .default({
        webhooks: '',
        apiUrl: 'https://api.intra.42.fr/',
        emailDomain: 'student.42.fr',
        amqp: AMQP_DEFAULTS,
        leaseSeconds: 60,
      }),
    /** Unconference scheduler runs (a worker thread each): the longest time budget an admin may ask for. */
    unconferenceRuns: z
      .object({
        maxSeconds: z.coerce.number().int().min(1).max(3600).default(120),
        /** A run whose heartbeat is older than this lost its process and is marked failed. */
        staleSeconds: z.coerce.number().int().min(1).max(3600).default(15),
        /**
         * Annealing steps per run, on top of the time budget: a run then ends when either is spent,
         * and the same seed gives the same schedule on any machine. Unset, the time budget alone.
         */
        iterations: z.coerce.number().int().min(1).max(1_000_000_000).optional(),
      })
      .strict()
      .default({ maxSeconds: 120, staleSeconds: 15 }),
    /** `convene backup` without --out/--to, and the scheduled backup job (when `cron` is set). */
    backups: z
      .object({
        dir: z.string().min(1).optional(),
        /** Cron pattern (in defaultTimezone) of the scheduled backup; needs `dir`. */
        cron: z.string().min(1).optional(),
        /** How many backups the folder keeps; older ones are removed after each new one. */
        keep: z.coerce.number().int().min(1).max(10_000).default(7),
      })
      .strict()
      .refine((b) => !b.cron || b.dir, { message: 'backups.dir is required when backups.cron is set', path: ['dir'] })
      .default({ keep: 7 }),
    /** GET /metrics in Prometheus text: off unless enabled, and then only with the bearer token. */
    metrics: z
      .object({
        enabled: z.boolean().default(false),
        token: z.string().min(16, 'must be at least 16 characters').optional(),
      })
      .strict()
      .refine((m) => !m.enabled || m.token, {
        message: 'metrics.token is required when metrics are enabled',
        path: ['token'],
      })
      .default({ enabled: false }),
    /** Unexpected errors reported to Sentry (or a compatible service) when a DSN is set. */
    errorReports: z
      .object({
        sentryDsn: z.url().optional(),
        environment: z.string().min(1).default('production'),
      })
      .strict()
      .default({ environment: 'production' }),
    /**
     * Channel credentials stored in the database are encrypted (AES-256-GCM) with `key` when one is
     * set: 32 random bytes in base64 or hex. `previousKeys` still decrypt, for `convene secrets rotate`.
     */
    secrets: z
      .object({
        key: z.string().min(1).optional(),
        previousKeys: z.array(z.string().min(1)).default([]),
      })
      .strict()
      .default({ previousKeys: [] }),
    jobs: z
      .object({ enabled: z.boolean().default(true) })
      .strict()
      .default({ enabled: true }),
    auth: z
      .object({
        /** Header set by a trusted reverse proxy that has already authenticated the user (SSO). */
        header: z.string().min(1).optional(),
        trustedProxies: z.array(cidr).default([]),
        sessionDays: z.coerce.number().int().min(1).max(365).default(30),
        /** log2 of scrypt's N for new password hashes; lower only to make tests quick. */
        passwordHashCost: z.coerce.number().int().min(10).max(20).default(DEFAULT_PASSWORD_HASH_COST),
        signinLimit: z
          .object({
            perIp: z.coerce.number().int().min(1).default(30),
            perAccount: z.coerce.number().int().min(1).default(10),
            windowSeconds: z.coerce.number().int().min(1).default(900),
          })
          .strict()
          .default({ perIp: 30, perAccount: 10, windowSeconds: 900 }),
      })
      .strict()
      .default({
        trustedProxies: [],
        sessionDays: 30,
        passwordHashCost: DEFAULT_PASSWORD_HASH_COST,
        signinLimit: { perIp: 30, perAccount: 10, windowSeconds: 900 },
      }),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Environment variables and the config keys they set; the environment wins over the file. */
const envKeys: Array<[string, string[], (raw: string) => unknown]> = [
  ['PORT', ['port'], String],
  ['HOST', ['host'], String],
  ['CONVENE_PUBLIC_URL', ['publicUrl'], String],
  ['DATABASE_URL', ['databaseUrl'], String],
  ['LOG_LEVEL', ['logLevel'], String],
  ['CONVENE_REQUEST_TIMEOUT_SECONDS', ['requestTimeoutSeconds'], String],
  ['CONVENE_ADMIN_PASSWORD', ['adminPassword'], String],
  ['CONVENE_DEFAULT_TIMEZONE', ['defaultTimezone'], String],
  ['CONVENE_JOBS', ['jobs', 'enabled'], parseBoolean],
  ['CONVENE_AUTH_HEADER', ['auth', 'header'], String],
  ['CONVENE_AUTH_TRUSTED_PROXIES', ['auth', 'trustedProxies'], splitList],
  ['CONVENE_SESSION_DAYS', ['auth', 'sessionDays'], String],
  ['CONVENE_PASSWORD_HASH_COST', ['auth', 'passwordHashCost'], String],
  ['CONVENE_DIRECTORY_FEEDS', ['directory', 'feeds'], splitList],
  ['CONVENE_DIRECTORY_SYNC_CRON', ['directory', 'syncCron'], String],
  ['CONVENE_VIDEO_PROVIDER', ['video', 'provider'], String],
  ['CONVENE_JITSI_URL', ['video', 'jitsi', 'baseUrl'], String],
  ['CONVENE_SMTP_URL', ['notifications', 'email', 'smtpUrl'], String],
  ['CONVENE_MAIL_FROM', ['notifications', 'email', 'from'], String],
  ['CONVENE_SLACK_TOKEN', ['notifications', 'slack', 'token'], String],
  ['CONVENE_SLACK_API_URL', ['notifications', 'slack', 'apiUrl'], String],
  ['CONVENE_SLACK_SIGNING_SECRET', ['notifications', 'slack', 'signingSecret'], String],
  ['CONVENE_MATTERMOST_URL', ['notifications', 'mattermost', 'url'], String],
  ['CONVENE_MATTERMOST_TOKEN', ['notifications', 'mattermost', 'token'], String],
  ['CONVENE_WEBHOOK_URL', ['notifications', 'webhook', 'url'], String],
  ['CONVENE_WEBHOOK_SECRET', ['notifications', 'webhook', 'secret'], String],
  ['CONVENE_INTRA42_WEBHOOKS', ['intra42', 'webhooks'], String],
  ['CONVENE_INTRA42_API_URL', ['intra42', 'apiUrl'], String],
  ['CONVENE_INTRA42_APP_ID', ['intra42', 'appId'], String],
  ['CONVENE_INTRA42_APP_SECRET', ['intra42', 'appSecret'], String],
  ['CONVENE_INTRA42_EMAIL_DOMAIN', ['intra42', 'emailDomain'], String],
  ['CONVENE_INTRA42_AMQP_URL', ['intra42', 'amqp', 'url'], String],
  ['CONVENE_INTRA42_AMQP_QUEUE', ['intra42', 'amqp', 'queue'], String],
  ['CONVENE_INTRA42_AMQP_PREFETCH', ['intra42', 'amqp', 'prefetch'], String],
  ['CONVENE_INTRA42_AMQP_DEAD_LETTER_EXCHANGE', ['intra42', 'amqp', 'deadLetterExchange'], String],
  ['CONVENE_INTRA42_AMQP_DEAD_LETTER_QUEUE', ['intra42', 'amqp', 'deadLetterQueue'], String],
  ['CONVENE_INTRA42_LEASE_SECONDS', ['intra42', 'leaseSeconds'], String],
  ['CONVENE_BACKUP_DIR', ['backups', 'dir'], String],
  ['CONVENE_BACKUP_CRON', ['backups', 'cron'], String],
  ['CONVENE_BACKUP_KEEP', ['backups', 'keep'], String],
  ['CONVENE_METRICS', ['metrics', 'enabled'], parseBoolean],
  ['CONVENE_METRICS_TOKEN', ['metrics', 'token'], String],
  ['SENTRY_DSN', ['errorReports', 'sentryDsn'], String],
  ['SENTRY_ENVIRONMENT', ['errorReports', 'environment'], String],
  ['CONVENE_SECRETS_KEY', ['secrets', 'key'], String],
  ['CONVENE_SECRETS_PREVIOUS_KEYS', ['secrets', 'previousKeys'], splitList],
];

/** Variables of the CONVENE_ family that are not settings but are read elsewhere (tests, benches). */
const OTHER_CONVENE_VARIABLES = [/^CONVENE_CONFIG$/, /^CONVENE_TEST_/, /^CONVENE_BENCH_/];

/**
 * A warning for each CONVENE_* variable in the environment that sets nothing (a typo, or a name
 * guessed from another setting: CONVENE_PORT for PORT), with the name it probably meant. A config
 * file's unknown key stops start-up; a variable only warns, since the environment is shared with
 * other programs.
 */
export function unknownEnvSettings(env: NodeJS.ProcessEnv = process.env): string[] {
  const known = new Set(envKeys.map(([name]) => name));
  return Object.keys(env)
    .filter((name) => name.startsWith('CONVENE_') && !known.has(name))
    .filter((name) => !OTHER_CONVENE_VARIABLES.some((pattern) => pattern.test(name)))
    .sort()
    .map((name) => {
      const bare = name.slice('CONVENE_'.length);
      const meant = known.has(bare) ? ` (did you mean ${bare}?)` : '';
      return `${name} is not a setting and changes nothing${meant}; the settings and their variables are listed under Configuration in the README.`;
    });
}

function parseBoolean(raw: string): unknown {
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  return raw; // left as a string so zod reports the key
}

function splitList(raw: string): string[] {
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    node[key] = typeof next === 'object' && next !== null ? next : {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}

function readConfigFile(cwd: string, explicit?: string): { path?: string; data: Record<string, unknown> } {
  const candidates = explicit
    ? [resolve(cwd, explicit)]
    : ['convene.config.json', 'convene.config.yaml', 'convene.config.yml'].map((name) => resolve(cwd, name));
  const path = candidates.find((candidate) => existsSync(candidate));
  if (!path) {
    if (explicit) throw new ConfigError(`Config file ${explicit} does not exist.`);
    return { data: {} };
  }
  const text = readFileSync(path, 'utf8');
  let data: unknown;
  try {
    data = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigError(`Config file ${path} is not valid: ${(error as Error).message}`);
  }
  if (data === null || data === undefined) return { path, data: {} };
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigError(`Config file ${path} must hold an object of settings.`);
  }
  return { path, data: data as Record<string, unknown> };
}

/**
 * Reads the optional config file, overlays the environment and checks every value, so that a bad
 * value stops start-up with a message naming its key instead of failing later at run time.
 */
export function loadConfig(
  options: { env?: NodeJS.ProcessEnv; cwd?: string; overrides?: Record<string, unknown> } = {},
): Config {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const file = readConfigFile(cwd, env.CONVENE_CONFIG);
  const raw: Record<string, unknown> = structuredClone(file.data);
  for (const [name, path, convert] of envKeys) {
    const value = env[name];
    if (value !== undefined && value !== '') setPath(raw, path, convert(value));
  }
  for (const [key, value] of Object.entries(options.overrides ?? {})) {
    if (value !== undefined) setPath(raw, key.split('.'), value);
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const key = issuePath(issue.path) || '(root)';
      const envName = envKeys.find(([, path]) => path.join('.') === issuePath(issue.path))?.[0];
      return `  ${key}${envName ? ` (${envName})` : ''}: ${issue.message}`;
    });
    const source = file.path ? ` (file ${file.path} and environment)` : '';
    throw new ConfigError(`Invalid configuration${source}:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

export function publicUrlOf(config: Config): string {
  return (config.publicUrl ?? `http://localhost:${config.port}`).replace(/\/$/, '');
}
