import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { NotificationChannel, NotificationKind, NotificationStatus } from '../../db/schema.js';
import { type AppContext, requireAdmin, requirePerson } from '../../http/context.js';
import { commonErrors } from '../../http/errorShape.js';
import { listChannelViews, sendTestMessage, updateChannel } from './channelAdmin.js';
import { CHANNELS } from './channels.js';
import { listMessages, MESSAGE_STATUSES, NOTIFICATION_KINDS, resendFailed, resendMessage } from './messages.js';
import { getNotificationPrefs, updateNotificationPrefs } from './prefs.js';
import { listUnreachable } from './reachability.js';

const channelEnum = z.enum(CHANNELS as [NotificationChannel, ...NotificationChannel[]]);
const statusEnum = z.enum(MESSAGE_STATUSES as [NotificationStatus, ...NotificationStatus[]]);
const kindEnum = z.enum(NOTIFICATION_KINDS as [NotificationKind, ...NotificationKind[]]);
const id = z.string().min(1).max(64);

const channelView = z.object({
  channel: z.string(),
  label: z.string(),
  enabled: z.boolean(),
  source: z.enum(['config', 'admin', 'none']),
  reachesPeople: z.boolean(),
  fields: z.array(
    z.object({
      name: z.string(),
      label: z.string(),
      secret: z.boolean(),
      required: z.boolean(),
      hint: z.string().nullable(),
      placeholder: z.string().nullable(),
      secretsBound: z.array(z.string()),
    }),
  ),
  settings: z.record(z.string(), z.string()),
  secrets: z.record(z.string(), z.string()),
});

const messageView = z.object({
  id: z.string(),
  channel: z.string(),
  kind: z.string(),
  status: z.string(),
  attempts: z.number(),
  lastError: z.string().nullable(),
  recipients: z.array(z.string()),
  notFound: z.array(z.string()),
  meetingId: z.string().nullable(),
  meetingTitle: z.string().nullable(),
  groupId: z.string().nullable(),
  groupName: z.string().nullable(),
  origin: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  sentAt: z.string().nullable(),
  nextAttemptAt: z.string(),
});

const reachPerson = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  reasons: z.array(z.string()),
  warnings: z.array(z.string()),
});

const channelChoices = z.record(z.string().max(40), z.boolean());
const prefsView = z.object({
  channels: z.array(z.object({ channel: z.string(), label: z.string() })),
  defaults: z.record(z.string(), z.boolean()),
  origins: z.array(
    z.object({ origin: z.string(), name: z.string(), override: z.record(z.string(), z.boolean()).nullable() }),
  ),
});

/** Notification channels, the message log and each person's own channel choices. */
export function notificationRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const { db } = ctx.database;
  return async (app) => {
    app.get(
      '/admin/channels',
      {
        schema: {
          tags: ['notifications'],
          response: { 200: z.object({ channels: z.array(channelView) }), ...commonErrors },
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
          params: z.object({ channel: channelEnum }),
          // The channel's own fields are checked by its schema in channelAdmin.ts.
          body: z
            .object({ enabled: z.boolean().optional() })
            .catchall(z.string().max(2000, 'must be at most 2000 characters')),
          response: { 200: z.object({ channel: channelView }), ...commonErrors },
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
          params: z.object({ channel: channelEnum }),
          body: z
            .object({
              to: z
                .string()
                .trim()
                .max(254, 'must be at most 254 characters')
                .pipe(z.email('must be an e-mail address'))
                .optional(),
            })
            .strict()
            .nullish(),
          response: { 200: z.object({ ok: z.boolean(), message: z.string() }), ...commonErrors },
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
          querystring: z
            .object({
              status: statusEnum.optional(),
              channel: channelEnum.optional(),
              group: id.optional(),
              origin: z.string().min(1).max(200).optional(),
              kind: kindEnum.optional(),
              page: z.coerce.number().int().min(1).max(100_000).default(1),
            })
            .strict(),
          response: {
            200: z.object({
              messages: z.array(messageView),
              counts: z.record(z.string(), z.number()),
              total: z.number(),
              page: z.number(),
              pageSize: z.number(),
            }),
            ...commonErrors,
          },
        },
      },
      async (request) => {
        requireAdmin(request);
        return { ...(await listMessages(db, request.query)), page: request.query.page };
      },
    );

    app.get(
      '/admin/messages/unreachable',
      {
        schema: {
          tags: ['notifications'],
          response: {
            200: z.object({
              people: z.array(reachPerson),
              total: z.number(),
              warned: z.array(reachPerson),
              warnedTotal: z.number(),
            }),
            ...commonErrors,
          },
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
          params: z.object({ id }),
          response: { 200: z.object({ resent: z.number() }), ...commonErrors },
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
          body: z
            .object({
              status: z.literal('failed'),
              channel: channelEnum.optional(),
              group: id.optional(),
              origin: z.string().min(1).max(200).optional(),
            })
            .strict(),
          response: { 200: z.object({ resent: z.number() }), ...commonErrors },
        },
      },
      async (request) => {
        const admin = requireAdmin(request);
        const { channel, group, origin } = request.body;
        return { resent: await resendFailed({ db, actorId: admin.id, filter: { channel, group, origin } }) };
      },
    );

    app.get(
      '/me/notifications',
      { schema: { tags: ['notifications'], response: { 200: prefsView, ...commonErrors } } },
      async (request) => getNotificationPrefs(db, requirePerson(request).id),
    );

    app.put(
      '/me/notifications',
      {
        schema: {
          tags: ['notifications'],
          body: z
            .object({
              defaults: channelChoices.optional(),
              origins: z
                .array(z.object({ origin: z.string().min(1).max(200), override: channelChoices.nullable() }).strict())
                .max(500)
                .optional(),
            })
            .strict(),
          response: { 200: prefsView, ...commonErrors },
        },
      },
      async (request) => {
        const me = requirePerson(request);
        return updateNotificationPrefs({ db, personId: me.id, ...request.body });
      },
    );
  };
}
