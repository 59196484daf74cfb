import type { Config } from '../config.js';

/**
 * Unexpected errors (a 500, a failed job, a crashed service) reported to Sentry when
 * `errorReports.sentryDsn` is set, through the official SDK, loaded only then. Logs stay JSON on
 * stdout either way. Every event passes `scrubEvent` first: no credential, cookie, request body or
 * personal detail (e-mail address, name, IP address) leaves the process.
 */

type Json = unknown;
type SentryModule = typeof import('@sentry/node');

let sentry: SentryModule | null = null;

const SECRET_KEY =
  /pass(word)?|secret|token|api[-_]?key|auth|cookie|session|csrf|signature|dsn|smtp|credential|private|jwt|bearer/i;
const PERSONAL_KEY =
  /^(e-?mail|username|user_?name|name|first_?name|last_?name|display_?name|phone|ip(_address)?|address)$/i;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+(:[^/\s@]*)?@/gi;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const SECRET_VALUE = /\b(whsec_[A-Za-z0-9+/=]+|xox[abpr]-[A-Za-z0-9-]+|convene_[a-z]+_[A-Za-z0-9_-]{16,})/g;
const IPV4 = /\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b/g;
const QUERY_SECRET = /([?&](?:[^=&#\s]*(?:token|secret|key|password|code|signature)[^=&#\s]*)=)[^&#\s]*/gi;

/** Text with e-mail and IP addresses, credentials in URLs, bearer tokens and known secret shapes replaced. */
export function scrubText(text: string): string {
  return text
    .replace(URL_CREDENTIALS, '$1[redacted]@')
    .replace(BEARER, '$1 [redacted]')
    .replace(SECRET_VALUE, '[redacted]')
    .replace(QUERY_SECRET, '$1[redacted]')
    .replace(EMAIL, '[email]')
    .replace(IPV4, '[ip]');
}

function scrubValue(value: Json, depth: number): Json {
  if (typeof value === 'string') return scrubText(value);
  if (depth > 12 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, depth + 1));
  const out: Record<string, Json> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (SECRET_KEY.test(key) || PERSONAL_KEY.test(key)) out[key] = '[redacted]';
    else out[key] = scrubValue(inner, depth + 1);
  }
  return out;
}

/**
 * What may leave for the error service. The request keeps its method and its URL (scrubbed), never
 * its body, cookies, query values that look secret, or headers other than a harmless few; the user
 * keeps an id at most; everything else is walked and scrubbed by key and by value.
 */
export function scrubEvent<T extends Record<string, Json>>(event: T): T {
  const copy = { ...event } as Record<string, Json>;
  const request = copy.request as Record<string, Json> | undefined;
  if (request) {
    const headers = (request.headers ?? {}) as Record<string, string>;
    const kept: Record<string, string> = {};
    for (const name of ['content-type', 'accept', 'user-agent', 'content-length']) {
      const found = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
      if (found) kept[name] = found[1];
    }
    copy.request = {
      ...(request.method ? { method: request.method } : {}),
      ...(typeof request.url === 'string' ? { url: scrubText(request.url) } : {}),
      headers: kept,
    };
  }
  const user = copy.user as Record<string, Json> | undefined;
  if (user) copy.user = typeof user.id === 'string' || typeof user.id === 'number' ? { id: user.id } : {};
  for (const key of Object.keys(copy)) {
    if (key === 'request' || key === 'user') continue;
    copy[key] = scrubValue(copy[key], 0);
  }
  delete copy.server_name;
  return copy as T;
}

/** Starts the SDK when a DSN is configured; idempotent. Returns whether reports are on. */
export async function startErrorReports(config: Config): Promise<boolean> {
  const { sentryDsn, environment } = config.errorReports;
  if (!sentryDsn) return false;
  if (sentry) return true;
  const loaded = await import('@sentry/node');
  loaded.init({
    dsn: sentryDsn,
    environment,
    sendDefaultPii: false,
    tracesSampleRate: 0,
    // Convene reports what it catches; the SDK's own handlers and instrumentation stay out of the way.
    defaultIntegrations: false,
    integrations: [loaded.linkedErrorsIntegration(), loaded.dedupeIntegration()],
    beforeSend: (event) => scrubEvent(event as unknown as Record<string, Json>) as unknown as typeof event,
    beforeBreadcrumb: (crumb) => scrubValue(crumb, 0) as typeof crumb,
  });
  sentry = loaded;
  return true;
}

/** Reports an unexpected error with a little context (scrubbed like the rest); a no-op when off. */
export function reportError(
  error: unknown,
  context: { request?: { method: string; url: string }; job?: string; tags?: Record<string, string> } = {},
): void {
  if (!sentry) return;
  sentry.captureException(error, (scope) => {
    if (context.request)
      scope.setContext('request', { method: context.request.method, url: scrubText(context.request.url) });
    if (context.job) scope.setTag('job', context.job);
    for (const [key, value] of Object.entries(context.tags ?? {})) scope.setTag(key, value);
    return scope;
  });
}

/** Sends what is queued (at shutdown, and in tests). */
export async function flushErrorReports(timeoutMs = 2000): Promise<void> {
  await sentry?.flush(timeoutMs);
}
