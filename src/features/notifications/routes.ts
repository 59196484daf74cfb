import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  channelEnvelope,
  channelListSchema,
  channelParams,
  messageOriginsSchema,
  messageParams,
  messagesPageSchema,
  messagesQuery,
  notificationPrefsSchema,
  reachabilitySchema,
  resendFailedBody,
  resentSchema,
  testChannelBody,
  testChannelResultSchema,
  updateChannelBody,
  updatePrefsBody,
} from '../../contract/notifications.js';
import { type AppContext, adminOnly, requireAdmin, requirePerson } from '../../http/context.js';
import { commonErrors } from '../../http/errorShape.js';
import { listChannelViews, sendTestMessage, updateChannel } from './channelAdmin.js';
import { listMessageOrigins, listMessages, resendFailed, resendMessage } from './messages.js';
import { getNotificationPrefs, updateNotificationPrefs } from './prefs.js';
import { listUnreachable } from './reachability.js';

/** Notification channels, the message log and each person's own channel choices. */
export function notificationRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const { db } = ctx.database;
  return async (app) => {
    // Channels, the Messages log and who cannot be reached: administrators only, behind one guard.
    await app.register(
      adminOnly(async (app) => {
        app.get(
          '/admin/channels',
          {
            schema: {
              tags: ['notifications'],
              response: { 200: channelListSchema, ...commonErrors },
            },
          },
          async (request) => {
            requireAdmin(request);
            return { channels: await listChannelViews(db) };
          },
        );

        app.put(
          '/admin/channels/:channel',
          {
            schema: {
              tags: ['notifications'],
              params: channelParams,
              body: updateChannelBody,
              response: { 200: channelEnvelope, ...commonErrors },
            },
          },
          async (request) => {
            const admin = requireAdmin(request);
            const { enabled, ...values } = request.body;
            const channel = await updateChannel({
              db,
              actorId: admin.id,
              channel: request.params.channel,
              enabled,
              values: values as Record<string, string>,
            });
            return { channel };
          },
        );

        app.post(
          '/admin/channels/:channel/test',
          {
            schema: {
              tags: ['notifications'],
              params: channelParams,
              body: testChannelBody,
              response: { 200: testChannelResultSchema, ...commonErrors },
            },
          },
          async (request) => {
            const admin = requireAdmin(request);
            const { channel } = request.params;
            return sendTestMessage({ db, config: ctx.config, channel, admin, to: request.body?.to });
          },
        );

        app.get(
          '/admin/messages',
          {
            schema: {
              tags: ['notifications'],
              querystring: messagesQuery,
              response: { 200: messagesPageSchema, ...commonErrors },
            },
          },
          async (request) => {
            requireAdmin(request);
            return { ...(await listMessages(db, request.query)), page: request.query.page };
          },
        );

        app.get(
          '/admin/messages/origins',
          {
            schema: {
              tags: ['notifications'],
              summary: 'Every origin (mixer group, unconference, source) that has messages, with its name.',
              response: { 200: messageOriginsSchema, ...commonErrors },
            },
          },
          async (request) => {
            requireAdmin(request);
            return { origins: await listMessageOrigins(db) };
          },
        );

        app.get(
          '/admin/messages/unreachable',
          {
            schema: {
              tags: ['notifications'],
              response: { 200: reachabilitySchema, ...commonErrors },
            },
          },
          async (request) => {
            requireAdmin(request);
            return listUnreachable(db);
          },
        );

        app.post(
          '/admin/messages/:id/resend',
          {
            schema: {
              tags: ['notifications'],
              params: messageParams,
              response: { 200: resentSchema, ...commonErrors },
            },
          },
          async (request) => {
            const admin = requireAdmin(request);
            await resendMessage({ db, actorId: admin.id, id: request.params.id });
            return { resent: 1 };
          },
        );

        app.post(
          '/admin/messages/resend',
          {
            schema: {
              tags: ['notifications'],
              body: resendFailedBody,
              response: { 200: resentSchema, ...commonErrors },
            },
          },
          async (request) => {
            const admin = requireAdmin(request);
            const { channel, group, origin, kind, meeting } = request.body;
            return {
              resent: await resendFailed({ db, actorId: admin.id, filter: { channel, group, origin, kind, meeting } }),
            };
          },
        );
      }),
    );
    app.get(
      '/me/notifications',
      { schema: { tags: ['notifications'], response: { 200: notificationPrefsSchema, ...commonErrors } } },
      async (request) => getNotificationPrefs(db, requirePerson(request).id),
    );

    app.put(
      '/me/notifications',
      {
        schema: {
          tags: ['notifications'],
          body: updatePrefsBody,
          response: { 200: notificationPrefsSchema, ...commonErrors },
        },
      },
      async (request) => {
        const me = requirePerson(request);
        return updateNotificationPrefs({ db, personId: me.id, ...request.body });
      },
    );
  };
}
