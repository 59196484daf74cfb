import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiTokenView, createApiTokenBody } from '../../contract/ingest.js';
import { type AppContext, requireAdmin } from '../../http/context.js';
import { commonErrors } from '../../http/errorShape.js';
import { createApiToken, listApiTokens, revokeApiToken } from './apiTokens.js';

const tags = ['admin'];

/** Admins make, list and revoke the API tokens machine callers use. */
export function apiTokenRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const { db } = ctx.database;
  return async (app) => {
    app.get(
      '/admin/api-tokens',
      { schema: { tags, response: { 200: z.object({ tokens: z.array(apiTokenView) }), ...commonErrors } } },
      async (request) => {
        requireAdmin(request);
        return { tokens: await listApiTokens(db) };
      },
    );

    app.post(
      '/admin/api-tokens',
      {
        schema: {
          tags,
          description: 'Makes an API token. The token is in this answer only: it is stored hashed.',
          body: createApiTokenBody,
          response: { 201: z.object({ token: z.string(), apiToken: apiTokenView }), ...commonErrors },
        },
      },
      async (request, reply) => {
        const admin = requireAdmin(request);
        const made = await createApiToken({ db, ...request.body, actorId: admin.id });
        return reply.code(201).send(made);
      },
    );

    app.post(
      '/admin/api-tokens/:id/revoke',
      {
        schema: {
          tags,
          params: z.object({ id: z.string().min(1).max(64) }),
          response: { 200: z.object({ apiToken: apiTokenView }), ...commonErrors },
        },
      },
      async (request) => {
        const admin = requireAdmin(request);
        return { apiToken: await revokeApiToken({ db, id: request.params.id, actorId: admin.id }) };
      },
    );
  };
}
