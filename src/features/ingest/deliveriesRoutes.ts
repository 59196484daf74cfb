import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type AppContext, requireAdmin } from '../../http/context.js';
import { commonErrors } from '../../http/errorShape.js';

const OUTCOMES = ['processing', 'ok', 'ignored', 'rejected', 'failed'] as const;
const PAGE_SIZE = 50;

const deliveryView = z.object({
  id: z.string(),
  source: z.string(),
  deliveryId: z.string(),
  receivedAt: z.string(),
  outcome: z.enum(OUTCOMES),
  statusCode: z.number().nullable(),
  error: z.string().nullable(),
  summary: z.string().nullable(),
  meetingId: z.string().nullable(),
});

/** The admin's "Inbound" page: what arrived from outside and how each delivery ended. */
export function deliveriesRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const { db } = ctx.database;
  return async (app) => {
    app.get(
      '/admin/deliveries',
      {
        schema: {
          tags: ['admin'],
          querystring: z
            .object({
              outcome: z.enum(OUTCOMES).optional(),
              source: z.string().max(40).optional(),
              page: z.coerce.number().int().min(1).max(10_000).default(1),
            })
            .strict(),
          response: {
            200: z.object({ deliveries: z.array(deliveryView), page: z.number(), hasMore: z.boolean() }),
            ...commonErrors,
          },
        },
      },
      async (request) => {
        requireAdmin(request);
        const { outcome, source, page } = request.query;
        const rows = await db
          .selectFrom('deliveries')
          .selectAll()
          .$if(outcome !== undefined, (q) => q.where('outcome', '=', outcome as (typeof OUTCOMES)[number]))
          .$if(Boolean(source), (q) => q.where('source', '=', source as string))
          .orderBy('received_at', 'desc')
          .orderBy('id')
          .limit(PAGE_SIZE + 1)
          .offset((page - 1) * PAGE_SIZE)
          .execute();
        return {
          page,
          hasMore: rows.length > PAGE_SIZE,
          deliveries: rows.slice(0, PAGE_SIZE).map((r) => ({
            id: r.id,
            source: r.source,
            deliveryId: r.delivery_id,
            receivedAt: r.received_at,
            outcome: r.outcome,
            statusCode: r.status_code,
            error: r.error,
            summary: r.summary,
            meetingId: r.meeting_id,
          })),
        };
      },
    );
  };
}
