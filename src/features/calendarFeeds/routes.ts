import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { publicUrlOf } from '../../config.js';
import {
  feedCreatedSchema,
  feedEventParams,
  feedRoomParams,
  feedStatusSchema,
} from '../../contract/unconferenceAttend.js';
import { type AppContext, noContent, requirePerson } from '../../http/context.js';
import { commonErrors, errorBody } from '../../http/errorShape.js';
import { notFound } from '../../lib/errors.js';
import type { PersonRow } from '../people/presenters.js';
import { feedOf, personOfFeedToken, revokeFeedToken, rotateFeedToken } from './service.js';
import { type UnconferenceFeedKind, unconferenceFeed } from './unconferenceFeeds.js';

const tags = ['calendar feeds'];

/** Where a person's feed URLs start; the token is the only secret in them. */
export const feedBaseUrl = (publicUrl: string, token: string) => `${publicUrl}/api/v1/feeds/${token}/`;

export function calendarFeedRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const { db } = ctx.database;
  const publicUrl = publicUrlOf(ctx.config);

  /** The token's owner, or the answer a calendar app gets: 404 for a token never issued, 410 once revoked. */
  async function feedPerson(token: string, reply: FastifyReply): Promise<PersonRow | null> {
    const found = await personOfFeedToken(db, token);
    if (found.status === 'ok') return found.person;
    if (found.status === 'gone') {
      reply.code(410).send({
        error: { code: 'gone', message: 'This calendar feed was revoked. Make a new feed URL in Convene.' },
      });
      return null;
    }
    throw notFound('No such calendar feed.');
  }

  async function sendFeed(reply: FastifyReply, token: string, eventId: string, feed: UnconferenceFeedKind) {
    const person = await feedPerson(token, reply);
    if (!person) return reply;
    const file = await unconferenceFeed(db, { eventId, person, feed, publicUrl });
    return reply
      .header('cache-control', 'private, max-age=300')
      .header('referrer-policy', 'no-referrer')
      .header('x-robots-tag', 'noindex')
      .header('content-disposition', `inline; filename="${file.filename}"`)
      .type('text/calendar; charset=utf-8')
      .send(file.content);
  }

  const feedResponses = { 410: errorBody, ...commonErrors };

  return async (app) => {
    app.get(
      '/me/calendar-feed',
      {
        schema: {
          tags,
          summary: 'Whether I have a calendar feed URL (its token is never shown again).',
          response: { 200: feedStatusSchema, ...commonErrors },
        },
      },
      async (request) => ({ feed: await feedOf(db, requirePerson(request).id) }),
    );

    app.post(
      '/me/calendar-feed',
      {
        schema: {
          tags,
          summary:
            'Makes my calendar feed token, revoking the previous one (its URLs then answer 410). ' +
            'The token is in this answer only.',
          response: { 201: feedCreatedSchema, ...commonErrors },
        },
      },
      async (request, reply) => {
        const person = requirePerson(request);
        const made = await rotateFeedToken({ db, personId: person.id, actorId: person.id });
        return reply.code(201).send({
          id: made.id,
          createdAt: made.createdAt,
          token: made.token,
          baseUrl: feedBaseUrl(publicUrl, made.token),
        });
      },
    );

    app.delete(
      '/me/calendar-feed',
      {
        schema: {
          tags,
          summary: 'Revokes my calendar feed token: every feed URL made with it answers 410.',
          response: { 204: z.null(), ...commonErrors },
        },
      },
      async (request, reply) => {
        const person = requirePerson(request);
        const revoked = await revokeFeedToken({ db, personId: person.id, actorId: person.id });
        if (!revoked) throw notFound('You have no calendar feed to revoke.');
        return noContent(reply);
      },
    );

    // The feeds themselves: no cookie, the token in the path is the credential.

    app.get(
      '/feeds/:token/unconference/:id/agenda.ics',
      {
        schema: {
          tags,
          summary: "The token owner's agenda of an unconference: the session they'd attend in each slot.",
          params: feedEventParams,
          produces: ['text/calendar'],
          response: feedResponses,
        },
      },
      async (request, reply) => sendFeed(reply, request.params.token, request.params.id, { kind: 'agenda' }),
    );

    app.get(
      '/feeds/:token/unconference/:id/event.ics',
      {
        schema: {
          tags,
          summary: 'Every session of an unconference.',
          params: feedEventParams,
          produces: ['text/calendar'],
          response: feedResponses,
        },
      },
      async (request, reply) => sendFeed(reply, request.params.token, request.params.id, { kind: 'event' }),
    );

    app.get(
      '/feeds/:token/unconference/:id/rooms/:roomId/room.ics',
      {
        schema: {
          tags,
          summary: 'The sessions in one room of an unconference.',
          params: feedRoomParams,
          produces: ['text/calendar'],
          response: feedResponses,
        },
      },
      async (request, reply) =>
        sendFeed(reply, request.params.token, request.params.id, { kind: 'room', roomId: request.params.roomId }),
    );
  };
}
