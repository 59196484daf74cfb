import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { accountAdminRoutes } from './features/accounts/adminRoutes.js';
import { personDataAdminRoutes, personDataRoutes } from './features/accounts/personDataRoutes.js';
import { accountRoutes } from './features/accounts/routes.js';
import { adminRoutes } from './features/admin/routes.js';
import { auditRoutes } from './features/audit/routes.js';
import { apiTokenRoutes } from './features/auth/apiTokenRoutes.js';
import { registerAuthentication } from './features/auth/plugin.js';
import { authRoutes } from './features/auth/routes.js';
import { calendarFeedRoutes } from './features/calendarFeeds/routes.js';
import { directoryRoutes } from './features/directory/routes.js';
import { deliveriesRoutes } from './features/ingest/deliveriesRoutes.js';
import { meetingsBySourceRoutes } from './features/ingest/meetingsBySource.js';
import { intra42WebhookRoutes } from './features/ingest/webhookRoutes.js';
import { feedbackRoutes } from './features/meetings/feedbackRoutes.js';
import { meetingRoutes } from './features/meetings/routes.js';
import { mixerRoutes } from './features/mixers/routes.js';
import { mattermostActionRoutes } from './features/notifications/mattermostActions.js';
import { notificationRoutes } from './features/notifications/routes.js';
import { slackInteractionRoutes } from './features/notifications/slackInteractions.js';
import { frontFeed } from './features/talks/frontFeed.js';
import { talksPublicRoutes, talksRoutes } from './features/talks/routes.js';
import { unconferenceAttendRoutes } from './features/unconference/attendRoutes.js';
import { unconferenceRoutes } from './features/unconference/routes.js';
import { unconferenceChangelogRoutes, unconferenceScheduleRoutes } from './features/unconference/scheduleRoutes.js';
import { type AppContext, adminOnly } from './http/context.js';
import { frameworkErrorAnswer, registerErrorHandling } from './http/errors.js';
import { serverWithFront } from './http/front.js';
import { registerMetrics } from './http/metrics.js';
import { registerSecurityHeaders, securityHeaders } from './http/securityHeaders.js';
import { registerTextGuard } from './http/textGuard.js';
import { withRequestAddress } from './lib/requestAddress.js';
import { childLoggerFactory, loggerOptions } from './logger.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The built web app, found from both src/ (tsx) and dist/ (compiled). */
export const webDistDir = resolve(here, '..', 'web', 'dist');

export async function buildServer(ctx: AppContext, options: { logger?: boolean } = {}): Promise<FastifyInstance> {
  const headers = securityHeaders({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'https:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    hsts: ctx.config.publicUrl?.startsWith('https://') ?? false,
  });
  const app: FastifyInstance = Fastify({
    logger: options.logger === false ? false : loggerOptions(ctx.config.logLevel),
    childLoggerFactory,
    trustProxy: ctx.config.auth.trustedProxies.length > 0 ? ctx.config.auth.trustedProxies : false,
    bodyLimit: 1024 * 1024,
    // Fastify's default is none: a request body that never ends would hold its connection for ever.
    requestTimeout: ctx.config.requestTimeoutSeconds * 1000,
    // The router measures a path parameter decoded, in UTF-16 units as zod does: above the longest
    // one a schema accepts (an externalId, 200), so a longer one gets the schema's 400 naming it.
    // In routerOptions: as a top-level option Fastify 5 warns at every start (FSTDEP022).
    routerOptions: { maxParamLength: 512 },
    frameworkErrors: frameworkErrorAnswer,
    // Called at the first request, when `app` exists.
    serverFactory: serverWithFront(() => [frontFeed(ctx.database.db, headers.data, app.log)]),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  // The rest of each request runs knowing its client address: the audit log records it.
  app.addHook('onRequest', (request, _reply, done) => withRequestAddress(request.ip, done));
  registerTextGuard(app);
  registerSecurityHeaders(app, headers);
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Convene API', version: '1', description: 'Mixers, talks, unconference and meetings.' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'convene_session' },
          csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
          bearer: { type: 'http', scheme: 'bearer', description: 'An API token made by an admin.' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });

  await registerMetrics(app, ctx);
  registerAuthentication(app, ctx);

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await sql`select 1`.execute(ctx.database.db);
      return { status: 'ready', database: ctx.database.engine };
    } catch {
      return reply.code(503).send({ status: 'unavailable', database: ctx.database.engine });
    }
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(
    async (api) => {
      await api.register(authRoutes(ctx));
      await api.register(adminOnly(adminRoutes(ctx)));
      await api.register(accountRoutes(ctx));
      await api.register(adminOnly(accountAdminRoutes(ctx)));
      await api.register(adminOnly(auditRoutes(ctx)));
      await api.register(personDataRoutes(ctx));
      await api.register(adminOnly(personDataAdminRoutes(ctx)));
      await api.register(adminOnly(directoryRoutes(ctx)));
      await api.register(notificationRoutes(ctx));
      await api.register(mixerRoutes(ctx));
      await api.register(feedbackRoutes(ctx));
      await api.register(slackInteractionRoutes(ctx));
      await api.register(meetingRoutes(ctx));
      await api.register(talksRoutes(ctx));
      await api.register(unconferenceRoutes(ctx));
      await api.register(mattermostActionRoutes(ctx));
      await api.register(adminOnly(apiTokenRoutes(ctx)));
      await api.register(meetingsBySourceRoutes(ctx));
      await api.register(adminOnly(deliveriesRoutes(ctx)));
      await api.register(adminOnly(unconferenceScheduleRoutes(ctx)));
      await api.register(unconferenceChangelogRoutes(ctx));
      await api.register(unconferenceAttendRoutes(ctx));
      await api.register(calendarFeedRoutes(ctx));
    },
    { prefix: '/api/v1' },
  );
  await app.register(talksPublicRoutes(ctx));
  await app.register(intra42WebhookRoutes(ctx));

  await registerWebApp(app);
  return app;
}

/**
 * A path that names a file, not a page: anything under /assets/ (Vite's hashed scripts and styles)
 * and any last segment with a file extension a browser fetches as a resource. A missing one is a
 * 404, never the app's page: a script answered with HTML is a blank page ("MIME type text/html"),
 * e.g. an old hashed script still asked for by a tab opened before an upgrade.
 */
const FILE_EXTENSION = /\.(?:m?js|css|map|json|png|jpe?g|gif|svg|ico|webp|avif|woff2?|ttf|otf|txt|webmanifest|wasm)$/i;
export function looksLikeStaticFile(path: string): boolean {
  return path.startsWith('/assets/') || FILE_EXTENSION.test(path);
}

async function registerWebApp(app: FastifyInstance): Promise<void> {
  const indexPath = join(webDistDir, 'index.html');
  // Read once at start, as @fastify/static lists the files it serves (wildcard: false) once: the page
  // then names only scripts this process serves, even if web/dist is rebuilt under it.
  const indexHtml = existsSync(indexPath) ? readFileSync(indexPath) : undefined;
  if (indexHtml) {
    await app.register(fastifyStatic, { root: webDistDir, wildcard: false, index: false });
  }
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (request.url.startsWith('/api/') || request.method !== 'GET') {
      return reply.code(404).send({
        error: { code: 'not_found', message: `No route for ${request.method} ${path}.` },
      });
    }
    if (looksLikeStaticFile(path)) {
      return reply.code(404).type('text/plain').send(`No file ${path}.`);
    }
    if (!indexHtml) {
      return reply
        .code(503)
        .type('text/plain')
        .send('The web app is not built yet. Run `npm run build`, then restart.');
    }
    // Client-side routes: every other page is the single-page app.
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(indexHtml);
  });
}
