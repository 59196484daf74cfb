import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  invitationEnvelope,
  invitationParams,
  invitationsPageSchema,
  invitationsQuery,
  invitationViewSchema,
  inviteBody,
  inviteResultSchema,
  messageSchema,
} from '../../contract/accounts.js';
import { personActionParams } from '../../contract/admin.js';
import { type AppContext, requireAdmin } from '../../http/context.js';
import { commonErrors } from '../../http/errorShape.js';
import { invitePeople, listInvitations, resendInvitation, revokeInvitation } from './invitations.js';
import { sendResetLink } from './passwordReset.js';

/** Invitations and reset links, for administrators (registered behind adminOnly). */
export function accountAdminRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const { db } = ctx.database;
  return async (app) => {
    app.get(
      '/admin/invitations',
      {
        schema: {
          tags: ['admin'],
          querystring: invitationsQuery,
          response: { 200: invitationsPageSchema, ...commonErrors },
        },
      },
      async (request) => {
        requireAdmin(request);
        return { invitations: await listInvitations(db, request.query) };
      },
    );

    app.post(
      '/admin/invitations',
      {
        schema: {
          tags: ['admin'],
          summary: 'Invites one address or a pasted list / CSV; each gets a single-use link that expires.',
          body: inviteBody,
          response: { 201: inviteResultSchema, ...commonErrors },
        },
      },
      async (request, reply) => {
        const admin = requireAdmin(request);
        const result = await invitePeople({
          db,
          config: ctx.config,
          actorId: admin.id,
          ip: request.ip,
          input: request.body,
        });
        return reply.code(201).send(result);
      },
    );

    app.post(
      '/admin/invitations/:id/resend',
      {
        schema: {
          tags: ['admin'],
          params: invitationParams,
          response: { 200: invitationEnvelope, ...commonErrors },
        },
      },
      async (request) => {
        const admin = requireAdmin(request);
        return resendInvitation({ db, config: ctx.config, actorId: admin.id, ip: request.ip, id: request.params.id });
      },
    );

    app.post(
      '/admin/invitations/:id/revoke',
      {
        schema: {
          tags: ['admin'],
          params: invitationParams,
          response: { 200: z.object({ invitation: invitationViewSchema }), ...commonErrors },
        },
      },
      async (request) => {
        const admin = requireAdmin(request);
        return { invitation: await revokeInvitation({ db, actorId: admin.id, ip: request.ip, id: request.params.id }) };
      },
    );

    app.post(
      '/admin/people/:id/reset-link',
      {
        schema: {
          tags: ['admin'],
          summary: 'E-mails the person a single-use link (one hour) to choose a new password.',
          params: personActionParams.pick({ id: true }),
          response: { 200: messageSchema, ...commonErrors },
        },
      },
      async (request) => {
        const admin = requireAdmin(request);
        return sendResetLink({
          db,
          config: ctx.config,
          actorId: admin.id,
          personId: request.params.id,
          ip: request.ip,
        });
      },
    );
  };
}
