import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditPageSchema, auditQuery } from '../../contract/audit.js';
import { type AppContext, requireAdmin } from '../../http/context.js';
import { commonErrors } from '../../http/errorShape.js';
import { toCsv } from '../../lib/csv.js';
import { readAuditLog } from './auditLog.js';

/** The audit log page (administrators only; registered behind adminOnly). */
export function auditRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const { db } = ctx.database;
  return async (app) => {
    app.get(
      '/admin/audit',
      { schema: { tags: ['admin'], querystring: auditQuery, response: { 200: auditPageSchema, ...commonErrors } } },
      async (request) => {
        requireAdmin(request);
        return readAuditLog(db, request.query);
      },
    );

    app.get(
      '/admin/audit.csv',
      {
        schema: {
          tags: ['admin'],
          summary: 'The filtered audit log as CSV (at most 10,000 entries).',
          querystring: auditQuery.omit({ limit: true, offset: true }),
          produces: ['text/csv'],
        },
      },
      async (request, reply) => {
        requireAdmin(request);
        const { entries } = await readAuditLog(db, { ...request.query, limit: 10_000, offset: 0 });
        const csv = toCsv(
          ['at', 'actor', 'action', 'subject_type', 'subject_id', 'ip', 'data'],
          entries.map((e) => [
            e.at,
            e.actor?.username ?? (e.apiToken ? `token:${e.apiToken.name}` : ''),
            e.action,
            e.subjectType,
            e.subjectId,
            e.ip,
            e.data ? JSON.stringify(e.data) : '',
          ]),
        );
        return reply
          .header('cache-control', 'private, no-store')
          .header('content-disposition', 'attachment; filename="convene-audit.csv"')
          .type('text/csv; charset=utf-8')
          .send(csv);
      },
    );
  };
}
