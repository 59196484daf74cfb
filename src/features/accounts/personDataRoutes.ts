import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  deleteAccountBody,
  deletedAccountSchema,
  personDataExportSchema,
  photoParams,
  photoQuery,
  photoSchema,
} from '../../contract/accountData.js';
import { personParams } from '../../contract/adminPeople.js';
import { type AppContext, noContent, requireAdmin, requirePerson } from '../../http/context.js';
import { commonErrors } from '../../http/errorShape.js';
import { badRequest, notFound } from '../../lib/errors.js';
import { SESSION_COOKIE } from '../auth/sessions.js';
import { deleteAccount } from './deleteAccount.js';
import { exportPersonData, type PersonDataExport } from './exportData.js';
import { MAX_PHOTO_BYTES, PHOTO_TYPES, readPhoto, removePhoto, setPhoto } from './photos.js';

const DELETED_MESSAGE =
  'The account is deleted: its name, address and photo are gone; its history is kept anonymously.';

function sendExport(reply: FastifyReply, data: PersonDataExport) {
  const date = data.exportedAt.slice(0, 10);
  reply.header('content-disposition', `attachment; filename="convene-data-${data.person.username}-${date}.json"`);
  reply.header('cache-control', 'no-store');
  return data;
}

/** One's own data (export, deletion, photo), and the photo everybody's avatars load. */
export function personDataRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const { db } = ctx.database;
  return async (app) => {
    // Photos come as the raw file (no multipart): the body is the image, its type says which.
    app.addContentTypeParser([...PHOTO_TYPES], { parseAs: 'buffer', bodyLimit: MAX_PHOTO_BYTES }, (_req, body, done) =>
      done(null, body),
    );

    app.get(
      '/me/export',
      {
        schema: {
          tags: ['auth'],
          summary: 'Everything Convene holds about the signed-in person, as one JSON download.',
          response: { 200: personDataExportSchema, ...commonErrors },
        },
      },
      async (request, reply) => {
        const me = requirePerson(request);
        return sendExport(reply, await exportPersonData({ db, personId: me.id, actorId: me.id, ip: request.ip }));
      },
    );

    app.post(
      '/me/delete-account',
      {
        schema: {
          tags: ['auth'],
          summary: 'Deletes the signed-in account by anonymising it (type the username to confirm).',
          body: deleteAccountBody,
          response: { 200: deletedAccountSchema, ...commonErrors },
        },
      },
      async (request, reply) => {
        const me = requirePerson(request);
        const result = await deleteAccount({
          db,
          personId: me.id,
          actor: me,
          confirm: request.body.confirm,
          defaultTimezone: ctx.config.defaultTimezone,
          ip: request.ip,
        });
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return { username: result.username, message: DELETED_MESSAGE };
      },
    );

    app.put(
      '/me/photo',
      {
        schema: {
          tags: ['auth'],
          summary: 'Uploads a profile photo: the body is a PNG, JPEG or WebP file; it is resized and kept.',
          consumes: [...PHOTO_TYPES],
          response: { 200: photoSchema, ...commonErrors },
        },
      },
      async (request) => {
        const me = requirePerson(request);
        if (!Buffer.isBuffer(request.body)) {
          throw badRequest(
            'photo: send the image file itself as the body, with Content-Type image/png, image/jpeg or image/webp',
            'photo',
          );
        }
        const bytes = request.body;
        return setPhoto({ db, personId: me.id, actorId: me.id, bytes, ip: request.ip });
      },
    );

    app.delete(
      '/me/photo',
      { schema: { tags: ['auth'], response: { 204: z.null(), ...commonErrors } } },
      async (request, reply) => {
        const me = requirePerson(request);
        await removePhoto({ db, personId: me.id, actorId: me.id, ip: request.ip });
        return noContent(reply);
      },
    );

    app.get(
      '/people/:id/photo',
      {
        schema: {
          tags: ['people'],
          summary: "A person's uploaded photo (the avatar URL points here, with its version).",
          params: photoParams,
          querystring: photoQuery,
        },
      },
      async (request, reply) => {
        requirePerson(request);
        const photo = await readPhoto(db, request.params.id);
        if (!photo) throw notFound('No photo.');
        // The URL carries the photo's version: a new photo is a new URL, so this one never changes.
        const cache = request.query.v === photo.etag ? 'private, max-age=31536000, immutable' : 'private, no-cache';
        return reply.header('cache-control', cache).type(photo.contentType).send(photo.bytes);
      },
    );
  };
}

/** The same for an administrator acting for a person (registered behind adminOnly). */
export function personDataAdminRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const { db } = ctx.database;
  return async (app) => {
    app.get(
      '/admin/people/:id/export',
      {
        schema: {
          tags: ['admin'],
          summary: 'Everything Convene holds about a person, as one JSON download (audited).',
          params: personParams,
          response: { 200: personDataExportSchema, ...commonErrors },
        },
      },
      async (request, reply) => {
        const admin = requireAdmin(request);
        return sendExport(
          reply,
          await exportPersonData({ db, personId: request.params.id, actorId: admin.id, ip: request.ip }),
        );
      },
    );

    app.post(
      '/admin/people/:id/delete-account',
      {
        schema: {
          tags: ['admin'],
          summary: "Deletes a person's account by anonymising it (type their username to confirm; not the last admin).",
          params: personParams,
          body: deleteAccountBody,
          response: { 200: deletedAccountSchema, ...commonErrors },
        },
      },
      async (request) => {
        const admin = requireAdmin(request);
        const result = await deleteAccount({
          db,
          personId: request.params.id,
          actor: admin,
          confirm: request.body.confirm,
          defaultTimezone: ctx.config.defaultTimezone,
          ip: request.ip,
        });
        return { username: result.username, message: DELETED_MESSAGE };
      },
    );
  };
}
