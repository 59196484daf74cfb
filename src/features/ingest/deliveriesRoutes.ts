import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { deliveriesPage, deliveriesQuery, refusalsList, refusalsQuery } from '../../contract/ingest.js';
import { type AppContext, requireAdmin } from '../../http/context.js';
import { commonErrors } from '../../http/errorShape.js';
import { listDeliveries } from './deliveries.js';
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
  };
}
