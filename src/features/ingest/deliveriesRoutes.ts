import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { publicUrlOf } from '../../config.js';
import {
  deliveriesPage,
  deliveriesQuery,
  inboundSetupQuery,
  inboundSetupView,
  refusalsList,
  refusalsQuery,
} from '../../contract/ingest.js';
import { type AppContext, requireAdmin } from '../../http/context.js';
import { commonErrors } from '../../http/errorShape.js';
import { listDeliveries } from './deliveries.js';
import { parseWebhookSecrets, SCALE_TEAM_EVENTS } from './intra42Contract.js';
import { listRefusals } from './refusals.js';

/** The admin's "Inbound" page: what arrived from outside, how each delivery ended, and what was refused unread. */
export function deliveriesRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const { db } = ctx.database;
  return async (app) => {
    app.get(
      '/admin/deliveries',
      { schema: { tags: ['admin'], querystring: deliveriesQuery, response: { 200: deliveriesPage, ...commonErrors } } },
      async (request) => {
        requireAdmin(request);
        return listDeliveries(db, request.query);
      },
    );
    // Refused before they were read, so never among the deliveries: a wrong secret shows here.
    app.get(
      '/admin/inbound/refusals',
      { schema: { tags: ['admin'], querystring: refusalsQuery, response: { 200: refusalsList, ...commonErrors } } },
      async (request) => {
        requireAdmin(request);
        return { refusals: await listRefusals(db) };
      },
    );
    // Without it a fresh install's page says "Nothing has arrived yet" while every delivery is a 401.
    app.get(
      '/admin/inbound/setup',
      {
        schema: {
          tags: ['admin'],
          querystring: inboundSetupQuery,
          response: { 200: inboundSetupView, ...commonErrors },
        },
      },
      async (request) => {
        requireAdmin(request);
        const settings = ctx.config.intra42;
        const secrets = parseWebhookSecrets(settings.webhooks);
        return {
          intra42: {
            webhookUrl: `${publicUrlOf(ctx.config)}/webhooks/42`,
            publicUrlSet: Boolean(ctx.config.publicUrl),
            events: SCALE_TEAM_EVENTS.map((e) => `scale_team.${e}`).map((event) => ({
              event,
              secret: Boolean(secrets.get(event)),
            })),
            api: Boolean(settings.appId && settings.appSecret),
            queue: settings.amqp.url ? settings.amqp.queue : null,
          },
        };
      },
    );
  };
}
