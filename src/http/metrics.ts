import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/database.js';
import { enableMetrics, recordRequest } from '../lib/metrics.js';
import type { AppContext } from './context.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Compares the Authorization header with the token in constant time (digests of equal length). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return timingSafeEqual(digest(match?.[1] ?? ''), digest(token)) && !!match;
}

/** What `/metrics` reads from the database at each scrape: indexed counts, small tables. */
async function databaseGauges(db: Db) {
  const now = new Date().toISOString();
  const [outbox, oldest, rounds, deliveries, schedulerRuns] = await Promise.all([
    db
      .selectFrom('notifications')
      .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
      .where('status', 'in', ['pending', 'sending'])
      .groupBy('status')
      .execute(),
    db
      .selectFrom('notifications')
      .select((eb) => eb.fn.min('next_attempt_at').as('at'))
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .executeTakeFirst(),
    db
      .selectFrom('rounds')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('deliveries')
      .select(['source', 'outcome', (eb) => eb.fn.countAll<number>().as('count')])
      .groupBy(['source', 'outcome'])
      .execute(),
    db
      .selectFrom('unconf_runs')
      .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
      .groupBy('status')
      .execute(),
  ]);
  const oldestAt = oldest?.at ? Date.parse(String(oldest.at)) : Number.NaN;
  return {
    outbox: outbox.map((row) => ({ status: row.status, count: Number(row.count) })),
    outboxLagSeconds: Number.isNaN(oldestAt) ? 0 : Math.max(0, (Date.now() - oldestAt) / 1000),
    rounds: Number(rounds.count),
    deliveries: deliveries.map((row) => ({ source: row.source, outcome: row.outcome, count: Number(row.count) })),
    schedulerRuns: schedulerRuns.map((row) => ({ status: row.status, count: Number(row.count) })),
  };
}

/**
 * `GET /metrics` in Prometheus text, only when `metrics.enabled`, and only for a caller with
 * `Authorization: Bearer <metrics.token>` (401 otherwise). Disabled, the path is an ordinary 404.
 * Request durations are labelled by route pattern (`/api/v1/groups/:id`), never by the raw URL, so
 * the number of series stays bounded whatever clients send.
 */
export async function registerMetrics(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const { enabled, token } = ctx.config.metrics;
  if (!enabled || !token) return;
  const registry = await enableMetrics(() => databaseGauges(ctx.database.db));
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return;
    recordRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (!bearerMatches(request.headers.authorization, token)) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="metrics"')
        .send({ error: { code: 'unauthorized', message: 'Send Authorization: Bearer <metrics.token>.' } });
    }
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}
