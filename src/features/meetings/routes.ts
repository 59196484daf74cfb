import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  adminMeetingsQuery,
  createMeetingBody,
  meetingEnvelope,
  meetingListEnvelope,
  meetingParams,
  meetingSourcesEnvelope,
  myMeetingsQuery,
  rescheduleBody,
} from '../../contract/meetings.js';
import type { Db } from '../../db/database.js';
import { type AppContext, adminOnly, requireAdmin, requirePerson } from '../../http/context.js';
import { commonErrors } from '../../http/errorShape.js';
import { videoRooms } from '../../integrations/jitsi.js';
import { notFound } from '../../lib/errors.js';
import type { Queued } from '../notifications/queue.js';
import type { PersonRow } from '../people/presenters.js';
import { meetingCalendarFile } from './calendar.js';
import { type MeetingAccess, meetingAccess } from './policy.js';
import { cancelMeeting, createMeeting, markMeetingDone, rescheduleMeeting } from './service.js';
import { adminMeetings, meetingDetail, meetingSources, myMeetings } from './views.js';

const tags = ['meetings'];

export function meetingRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const { db } = ctx.database;
  const video = videoRooms(ctx.config.video);

  const present = async (meetingId: string, viewer: PersonRow, access?: MeetingAccess) => {
    const meeting = await meetingDetail(db, {
      meetingId,
      viewer,
      access: access ?? (await meetingAccess(db, viewer, meetingId)),
      video,
    });
    if (!meeting) throw notFound('No such meeting.');
    return { meeting };
  };
  /** The meeting after a change, with whom its messages will reach (by name) and how. */
  const presentTold = async (
    meetingId: string,
    viewer: PersonRow,
    access: MeetingAccess,
    queued: Queued & { unaware?: string[] },
  ) => {
    const { meeting } = await present(meetingId, viewer, access);
    const names = new Map(meeting.participants.map((p) => [p.id, p.name]));
    const named = (ids: string[]) => ids.map((id) => names.get(id) ?? '').filter(Boolean);
    const told = {
      names: named(queued.told),
      channels: queued.channels,
      ...(queued.unaware && { unaware: named(queued.unaware) }),
    };
    return { meeting, told };
  };

  return async (app) => {
    app.get(
      '/meetings',
      {
        schema: {
          tags,
          summary: 'The signed-in person’s meetings, upcoming or past.',
          querystring: myMeetingsQuery,
          response: { 200: meetingListEnvelope, ...commonErrors },
        },
      },
      async (request) => {
        const person = requirePerson(request);
        return myMeetings(db, { person, when: request.query.when, page: request.query.page });
      },
    );

    app.get(
      '/meetings/:id',
      {
        schema: {
          tags,
          summary: 'One meeting, for its participants, their assistants and admins.',
          params: meetingParams,
          response: { 200: meetingEnvelope, ...commonErrors },
        },
      },
      async (request) => present(request.params.id, requirePerson(request)),
    );

    app.get(
      '/meetings/:id/calendar.ics',
      {
        schema: {
          tags,
          summary: 'The meeting as an iCalendar file.',
          params: meetingParams,
          produces: ['text/calendar'],
        },
      },
      async (request, reply) => {
        const viewer = requirePerson(request);
        await meetingAccess(db, viewer, request.params.id);
        const file = await meetingCalendarFile(db, ctx.config, { meetingId: request.params.id, viewer });
        return reply
          .header('cache-control', 'private, no-store')
          .header('content-disposition', `attachment; filename="${file.filename}"`)
          .type('text/calendar; charset=utf-8')
          .send(file.content);
      },
    );

    app.patch(
      '/meetings/:id',
      {
        schema: {
          tags,
          summary: 'Set or change the time; everyone is told, with a new calendar invitation.',
          params: meetingParams,
          body: rescheduleBody,
          response: { 200: meetingEnvelope, ...commonErrors },
        },
      },
      async (request) => {
        const viewer = requirePerson(request);
        const access = await meetingAccess(db, viewer, request.params.id);
        const { queued } = await rescheduleMeeting({
          db,
          meetingId: request.params.id,
          startsAt: request.body.startsAt,
          durationMinutes: request.body.durationMinutes,
          actorId: viewer.id,
        });
        return presentTold(request.params.id, viewer, access, queued);
      },
    );

    /** A change with no input of its own, answered with the meeting as the caller now sees it. */
    const statusChange = (
      path: string,
      summary: string,
      change: (props: { db: Db; meetingId: string; actorId: string }) => Promise<Queued | undefined>,
    ) =>
      app.post(
        path,
        {
          schema: {
            tags,
            summary,
            params: meetingParams,
            body: z.object({}).strict().nullish(),
            response: { 200: meetingEnvelope, ...commonErrors },
          },
        },
        async (request) => {
          const viewer = requirePerson(request);
          const access = await meetingAccess(db, viewer, request.params.id);
          const queued = await change({ db, meetingId: request.params.id, actorId: viewer.id });
          return queued
            ? presentTold(request.params.id, viewer, access, queued)
            : present(request.params.id, viewer, access);
        },
      );
    statusChange(
      '/meetings/:id/cancel',
      'Cancel the meeting; the people who had heard of it are told, the waiting introductions are dropped.',
      cancelMeeting,
    );
    statusChange(
      '/meetings/:id/done',
      'Mark the meeting as having taken place (no message is sent); 409 before its start time.',
      async (props) => {
        await markMeetingDone(props);
        return undefined;
      },
    );

    // Administration: administrators only, behind one guard.
    await app.register(
      adminOnly(async (app) => {
        app.get(
          '/admin/meetings',
          {
            schema: {
              tags,
              summary: 'Every meeting, newest first, by status, mixer group and source.',
              querystring: adminMeetingsQuery,
              response: { 200: meetingListEnvelope, ...commonErrors },
            },
          },
          async (request) => {
            requireAdmin(request);
            const { status, group, source, page } = request.query;
            return adminMeetings(db, { status, groupId: group, source, page });
          },
        );

        app.get(
          '/admin/meetings/sources',
          {
            schema: {
              tags,
              summary: 'The sources meetings have come from (round, manual, unconference, intra42, API callers’).',
              response: { 200: meetingSourcesEnvelope, ...commonErrors },
            },
          },
          async (request) => {
            requireAdmin(request);
            return { sources: await meetingSources(db) };
          },
        );

        app.post(
          '/admin/meetings',
          {
            schema: {
              tags,
              summary: 'Create a meeting: participants, an optional time; everyone gets an introduction.',
              body: createMeetingBody,
              response: { 201: meetingEnvelope, ...commonErrors },
            },
          },
          async (request, reply) => {
            const admin = requireAdmin(request);
            const { meetingId } = await createMeeting({
              db,
              title: request.body.title,
              participantIds: request.body.participantIds,
              startsAt: request.body.startsAt ? new Date(request.body.startsAt).toISOString() : null,
              durationMinutes: request.body.durationMinutes ?? null,
              actorId: admin.id,
              futureOnly: true,
            });
            return reply.code(201).send(await present(meetingId, admin));
          },
        );
      }),
    );
  };
}
