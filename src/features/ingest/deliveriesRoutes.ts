import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { deliveriesPage, deliveriesQuery } from '../../contract/ingest.js';
import { type AppContext, requireAdmin } from '../../http/context.js';
import { commonErrors } from '../../http/errorShape.js';
import { listDeliveries } from './deliveries.js';

/** The admin's "Inbound" page: what arrived from outside and how each delivery ended. */
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
  };
}
