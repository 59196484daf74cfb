import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { publicUrlOf } from '../../config.js';
import {
  agendaSchema,
  gridSchema,
  idParams,
  sessionSchema,
  testModeBody,
  testModeSchema,
  timezoneQuery,
} from '../../contract/unconferenceAttend.js';
import { type AppContext, requireAdmin, requirePerson } from '../../http/context.js';
import { commonErrors } from '../../http/errorShape.js';
import { videoRooms } from '../../integrations/jitsi.js';
import { sessionPageUrl } from '../calendarFeeds/unconferenceFeeds.js';
import { myAgenda, sessionPage, timetableGrid } from './agenda.js';
import { frabJson, frabXml } from './frab.js';
import { loadPublishedSchedule, sessionDescriptions } from './publishedSchedule.js';
import { clearTestMode, fillTestMode } from './testMode.js';

const tags = ['unconference'];

/**
 * Attending an unconference: the published timetable, my agenda, a session's page and the
 * Frab/Pentabarf exports. Signed-out visitors read what the event shows publicly (website active and
 * schedule visible); admins read everything.
 */
export function unconferenceAttendRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const { db } = ctx.database;
  const video = videoRooms(ctx.config.video);
  const publicUrl = publicUrlOf(ctx.config);

  async function exportInput(eventId: string, viewer: Parameters<typeof loadPublishedSchedule>[2]) {
    const schedule = await loadPublishedSchedule(db, eventId, viewer);
    const descriptions = await sessionDescriptions(
      db,
      schedule.sessions.map((s) => s.id),
    );
    return {
      schedule,
      options: { publicUrl, descriptions, sessionUrl: (id: string) => sessionPageUrl(publicUrl, id) },
    };
  }

  return async (app) => {
    app.get(
      '/unconference/events/:id/published',
      {
        schema: {
          tags,
          summary:
            'The published timetable: per day its slots (breaks too) and sessions by room, with estimated ' +
            'attendance and, signed in, my interest in each.',
          params: idParams,
          querystring: timezoneQuery,
          response: { 200: gridSchema, ...commonErrors },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'private, no-cache');
        return timetableGrid(db, { eventId: request.params.id, viewer: request.person, tz: request.query.tz });
      },
    );

    app.get(
      '/unconference/events/:id/published/agenda',
      {
        schema: {
          tags,
          summary:
            "My agenda: in each slot the session I'd attend (my highest interest; owners 100) and the alternatives.",
          params: idParams,
          querystring: timezoneQuery,
          response: { 200: agendaSchema, ...commonErrors },
        },
      },
      async (request, reply) => {
        const viewer = requirePerson(request);
        reply.header('cache-control', 'private, no-store');
        return myAgenda(db, { eventId: request.params.id, viewer, tz: request.query.tz });
      },
    );

    app.get(
      '/unconference/sessions/:id',
      {
        schema: {
          tags,
          summary: "A published session: time, room and its link, and (signed in) the session's video room.",
          params: idParams,
          response: { 200: sessionSchema, ...commonErrors },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'private, no-store');
        return sessionPage(db, { sessionId: request.params.id, viewer: request.person, video });
      },
    );

    app.get(
      '/unconference/events/:id/published/schedule.xml',
      {
        schema: {
          tags,
          summary: 'The published schedule as Frab/Pentabarf schedule.xml (Giggity, ConfClerk, video teams).',
          params: idParams,
          produces: ['application/xml'],
        },
      },
      async (request, reply) => {
        const { schedule, options } = await exportInput(request.params.id, request.person);
        return reply
          .header('cache-control', 'public, max-age=300')
          .header('content-disposition', 'inline; filename="schedule.xml"')
          .type('application/xml; charset=utf-8')
          .send(frabXml(schedule, options));
      },
    );

    app.get(
      '/unconference/events/:id/published/schedule.json',
      {
        schema: {
          tags,
          summary: "The published schedule as Frab's schedule.json (C3VOC schema).",
          params: idParams,
          response: { 200: z.record(z.string(), z.unknown()), ...commonErrors },
        },
      },
      async (request, reply) => {
        const { schedule, options } = await exportInput(request.params.id, request.person);
        reply.header('cache-control', 'public, max-age=300');
        return frabJson(schedule, options);
      },
    );

    app.post(
      '/admin/unconference/events/:id/test-mode',
      {
        schema: {
          tags,
          summary:
            'Test mode: fills the event with fake people, proposals and ratings (most copy a model ' +
            "person's rating with probability 7/8). Refused while earlier test data is there.",
          params: idParams,
          body: testModeBody,
          response: { 201: testModeSchema, ...commonErrors },
        },
      },
      async (request, reply) => {
        const admin = requireAdmin(request);
        const made = await fillTestMode({ db, eventId: request.params.id, ...request.body, actorId: admin.id });
        return reply.code(201).send(made);
      },
    );

    app.delete(
      '/admin/unconference/events/:id/test-mode',
      {
        schema: {
          tags,
          summary: "Clears test mode: the event's fake people, fake proposals and their ratings.",
          params: idParams,
          response: { 200: testModeSchema, ...commonErrors },
        },
      },
      async (request) => {
        const admin = requireAdmin(request);
        return clearTestMode({ db, eventId: request.params.id, actorId: admin.id });
      },
    );
  };
}
