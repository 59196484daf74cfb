import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type AppContext, adminOnly, noContent, requireAdmin, requirePerson } from '../../http/context.js';
import { commonErrors } from '../../http/errorShape.js';
import { notFound } from '../../lib/errors.js';
import {
  createUnconferenceEvent,
  deleteUnconferenceEvent,
  setUnconferencePhase,
  updateUnconferenceEvent,
} from './events.js';
import { setInterest } from './interest.js';
import { authorize } from './policy.js';
import {
  presentEvent,
  presentEventForAdmin,
  presentTimetable,
  presentViewer,
  proposalsForViewer,
} from './presenters.js';
import {
  approveProposal,
  createProposal,
  eventTarget,
  loadProposal,
  rejectProposal,
  setAllowedSlots,
  updateProposal,
  withdrawProposal,
} from './proposals.js';
import { findUnconferenceEvent, listUnconferenceEvents, loadTimetable } from './queries.js';
import {
  adminEventEnvelope,
  allowedSlotsBody,
  createEventBody,
  createProposalBody,
  dayBody,
  eventDetailSchema,
  eventListSchema,
  idParams,
  interestBody,
  interestResultSchema,
  phaseBody,
  proposalEnvelope,
  proposalListSchema,
  roomBody,
  slotBody,
  timetableFile,
  timetableSchema,
  updateDayBody,
  updateEventBody,
  updateProposalBody,
  updateRoomBody,
  updateSlotBody,
} from './schemas.js';
import {
  addDay,
  addRoom,
  addSlot,
  deleteDay,
  deleteRoom,
  deleteSlot,
  exportTimetable,
  importTimetable,
  updateDay,
  updateRoom,
  updateSlot,
} from './timetable.js';

const tags = ['unconference'];
const timetableEnvelope = z.object({ timetable: timetableSchema });
const importResult = z.object({
  days: z.number(),
  slots: z.number(),
  rooms: z.number(),
  removed: z.number(),
  timetable: timetableSchema,
});

export function unconferenceRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const { db } = ctx.database;

  /** The event as the viewer may see it: a switched-off event is not found for members. */
  async function visibleEvent(request: FastifyRequest, id: string) {
    const event = await findUnconferenceEvent(db, id);
    if (!event) throw notFound('No such event.');
    authorize(request.person, 'view_event', eventTarget(event));
    return event;
  }

  async function proposalView(request: FastifyRequest, id: string) {
    const { proposal, event } = await loadProposal(db, id);
    authorize(request.person, 'view_event', eventTarget(event));
    const [view] = await proposalsForViewer(db, event, request.person, proposal.id);
    if (!view) throw notFound('No such proposal.');
    return view;
  }

  async function timetableView(eventId: string) {
    const event = await findUnconferenceEvent(db, eventId);
    if (!event) throw notFound('No such event.');
    return presentTimetable(event, await loadTimetable(db, eventId));
  }

  async function adminEventView(eventId: string) {
    const event = await findUnconferenceEvent(db, eventId);
    if (!event) throw notFound('No such event.');
    return presentEventForAdmin(db, event);
  }

  return async (app) => {
    // Reading: everyone, signed in or not (switched-off events only for admins).

    app.get(
      '/unconference/events',
      {
        schema: {
          tags,
          summary: 'Unconference events, newest first (switched-off ones for administrators only).',
          response: { 200: eventListSchema, ...commonErrors },
        },
      },
      async (request) => {
        const admin = request.person?.role === 'admin';
        const events = (await listUnconferenceEvents(db)).filter(
          (event) => admin || event.settings.website_active === 1,
        );
        return { events: await Promise.all(events.map((event) => presentEvent(db, event))) };
      },
    );

    app.get(
      '/unconference/events/:id',
      {
        schema: {
          tags,
          summary: 'One event with its timetable (days, slots, rooms) and what the signed-in viewer may do.',
          params: idParams,
          response: { 200: eventDetailSchema, ...commonErrors },
        },
      },
      async (request) => {
        const event = await visibleEvent(request, request.params.id);
        return {
          event: await presentEvent(db, event),
          timetable: presentTimetable(event, await loadTimetable(db, event.id)),
          viewer: await presentViewer(db, event, request.person),
        };
      },
    );

    app.get(
      '/unconference/events/:id/proposals',
      {
        schema: {
          tags,
          summary:
            'The proposals, in the signed-in viewer’s own shuffled order with their ratings; interest counts once the schedule is published.',
          params: idParams,
          response: { 200: proposalListSchema, ...commonErrors },
        },
      },
      async (request, reply) => {
        const event = await visibleEvent(request, request.params.id);
        reply.header('cache-control', 'private, no-store');
        return {
          event: await presentEvent(db, event),
          proposals: await proposalsForViewer(db, event, request.person),
          viewer: await presentViewer(db, event, request.person),
        };
      },
    );

    app.get(
      '/unconference/proposals/:id',
      {
        schema: {
          tags,
          summary: 'One proposal (a waiting one only for its owners and administrators).',
          params: idParams,
          response: { 200: proposalEnvelope, ...commonErrors },
        },
      },
      async (request) => ({ proposal: await proposalView(request, request.params.id) }),
    );

    // Taking part: signed-in people.

    app.post(
      '/unconference/events/:id/proposals',
      {
        schema: {
          tags,
          summary: 'Propose a session (you are its owner; name co-owners by username or e-mail).',
          params: idParams,
          body: createProposalBody,
          response: { 201: proposalEnvelope, ...commonErrors },
        },
      },
      async (request, reply) => {
        const actor = requirePerson(request);
        const proposal = await createProposal({ db, actor, eventId: request.params.id, input: request.body });
        return reply.code(201).send({ proposal: await proposalView(request, proposal.id) });
      },
    );

    app.patch(
      '/unconference/proposals/:id',
      {
        schema: {
          tags,
          summary: 'Change a proposal: its owners while proposals are open, administrators at any time.',
          params: idParams,
          body: updateProposalBody,
          response: { 200: proposalEnvelope, ...commonErrors },
        },
      },
      async (request) => {
        const actor = requirePerson(request);
        await updateProposal({ db, actor, proposalId: request.params.id, changes: request.body });
        return { proposal: await proposalView(request, request.params.id) };
      },
    );

    app.delete(
      '/unconference/proposals/:id',
      {
        schema: {
          tags,
          summary: 'Withdraw a proposal with its ratings: its proposer while proposals are open, administrators.',
          params: idParams,
          response: { 204: z.null(), ...commonErrors },
        },
      },
      async (request, reply) => {
        const actor = requirePerson(request);
        await withdrawProposal({ db, actor, proposalId: request.params.id });
        return noContent(reply);
      },
    );

    app.put(
      '/unconference/proposals/:id/interest',
      {
        schema: {
          tags,
          summary: 'Your interest in a proposal: 0, 25, 75 or 100 (None, A little, Yes, Very).',
          params: idParams,
          body: interestBody,
          response: { 200: interestResultSchema, ...commonErrors },
        },
      },
      async (request) => {
        const actor = requirePerson(request);
        return setInterest({ db, actor, proposalId: request.params.id, level: request.body.level });
      },
    );

    // Organising: administrators only, behind one guard.
    await app.register(
      adminOnly(async (app) => {
        app.post(
          '/unconference/events',
          {
            schema: {
              tags,
              summary: 'Create an unconference event.',
              body: createEventBody,
              response: { 201: adminEventEnvelope, ...commonErrors },
            },
          },
          async (request, reply) => {
            const admin = requireAdmin(request);
            const event = await createUnconferenceEvent({ db, actorId: admin.id, input: request.body });
            return reply.code(201).send({ event: await presentEventForAdmin(db, event) });
          },
        );

        app.get(
          '/unconference/events/:id/admin',
          {
            schema: {
              tags,
              summary: 'The event as administrators see it (settings as set, proposals waiting for approval).',
              params: idParams,
              response: { 200: adminEventEnvelope, ...commonErrors },
            },
          },
          async (request) => ({ event: await adminEventView(request.params.id) }),
        );

        app.patch(
          '/unconference/events/:id',
          {
            schema: {
              tags,
              summary: 'Change an event: name, description, time zone, visibility, proposal limit, phase times.',
              params: idParams,
              body: updateEventBody,
              response: { 200: adminEventEnvelope, ...commonErrors },
            },
          },
          async (request) => {
            const admin = requireAdmin(request);
            await updateUnconferenceEvent({ db, actorId: admin.id, eventId: request.params.id, changes: request.body });
            return { event: await adminEventView(request.params.id) };
          },
        );

        app.post(
          '/unconference/events/:id/phase',
          {
            schema: {
              tags,
              summary: 'Move the event to a phase now: proposals, scheduling, published or finished.',
              params: idParams,
              body: phaseBody,
              response: { 200: adminEventEnvelope, ...commonErrors },
            },
          },
          async (request) => {
            const admin = requireAdmin(request);
            await setUnconferencePhase({
              db,
              actorId: admin.id,
              eventId: request.params.id,
              phase: request.body.phase,
            });
            return { event: await adminEventView(request.params.id) };
          },
        );

        app.delete(
          '/unconference/events/:id',
          {
            schema: {
              tags,
              summary: 'Delete an event with its timetable, proposals, ratings and schedules.',
              params: idParams,
              response: { 204: z.null(), ...commonErrors },
            },
          },
          async (request, reply) => {
            const admin = requireAdmin(request);
            await deleteUnconferenceEvent({ db, actorId: admin.id, eventId: request.params.id });
            return noContent(reply);
          },
        );

        // Timetable.

        app.post(
          '/unconference/events/:id/days',
          {
            schema: {
              tags,
              summary: 'Add a day (a date in the event’s time zone).',
              params: idParams,
              body: dayBody,
              response: { 201: timetableEnvelope, ...commonErrors },
            },
          },
          async (request, reply) => {
            const admin = requireAdmin(request);
            await addDay({ db, actorId: admin.id, eventId: request.params.id, ...request.body });
            return reply.code(201).send({ timetable: await timetableView(request.params.id) });
          },
        );

        app.patch(
          '/unconference/days/:id',
          {
            schema: {
              tags,
              summary: 'Change a day’s label or date (its slots keep their times of day).',
              params: idParams,
              body: updateDayBody,
              response: { 200: timetableEnvelope, ...commonErrors },
            },
          },
          async (request) => {
            const admin = requireAdmin(request);
            const eventId = await updateDay({ db, actorId: admin.id, dayId: request.params.id, changes: request.body });
            return { timetable: await timetableView(eventId) };
          },
        );

        app.delete(
          '/unconference/days/:id',
          {
            schema: {
              tags,
              summary: 'Remove a day with its slots; refused (409) while one of them holds sessions.',
              params: idParams,
              response: { 200: timetableEnvelope, ...commonErrors },
            },
          },
          async (request) => {
            const admin = requireAdmin(request);
            const eventId = await deleteDay({ db, actorId: admin.id, dayId: request.params.id });
            return { timetable: await timetableView(eventId) };
          },
        );

        app.post(
          '/unconference/events/:id/slots',
          {
            schema: {
              tags,
              summary: 'Add a slot to a day (HH:MM in the event’s time zone); slots in a day must not overlap.',
              params: idParams,
              body: slotBody,
              response: { 201: timetableEnvelope, ...commonErrors },
            },
          },
          async (request, reply) => {
            const admin = requireAdmin(request);
            await addSlot({ db, actorId: admin.id, eventId: request.params.id, input: request.body });
            return reply.code(201).send({ timetable: await timetableView(request.params.id) });
          },
        );

        app.patch(
          '/unconference/slots/:id',
          {
            schema: {
              tags,
              summary: 'Change a slot’s times, label or break flag.',
              params: idParams,
              body: updateSlotBody,
              response: { 200: timetableEnvelope, ...commonErrors },
            },
          },
          async (request) => {
            const admin = requireAdmin(request);
            const eventId = await updateSlot({
              db,
              actorId: admin.id,
              slotId: request.params.id,
              changes: request.body,
            });
            return { timetable: await timetableView(eventId) };
          },
        );

        app.delete(
          '/unconference/slots/:id',
          {
            schema: {
              tags,
              summary: 'Remove a slot; refused (409) while it holds sessions.',
              params: idParams,
              response: { 200: timetableEnvelope, ...commonErrors },
            },
          },
          async (request) => {
            const admin = requireAdmin(request);
            const eventId = await deleteSlot({ db, actorId: admin.id, slotId: request.params.id });
            return { timetable: await timetableView(eventId) };
          },
        );

        app.post(
          '/unconference/events/:id/rooms',
          {
            schema: {
              tags,
              summary: 'Add a room (isPlace false for a hallway or an online room).',
              params: idParams,
              body: roomBody,
              response: { 201: timetableEnvelope, ...commonErrors },
            },
          },
          async (request, reply) => {
            const admin = requireAdmin(request);
            await addRoom({ db, actorId: admin.id, eventId: request.params.id, input: request.body });
            return reply.code(201).send({ timetable: await timetableView(request.params.id) });
          },
        );

        app.patch(
          '/unconference/rooms/:id',
          {
            schema: {
              tags,
              summary: 'Change a room.',
              params: idParams,
              body: updateRoomBody,
              response: { 200: timetableEnvelope, ...commonErrors },
            },
          },
          async (request) => {
            const admin = requireAdmin(request);
            const eventId = await updateRoom({
              db,
              actorId: admin.id,
              roomId: request.params.id,
              changes: request.body,
            });
            return { timetable: await timetableView(eventId) };
          },
        );

        app.delete(
          '/unconference/rooms/:id',
          {
            schema: {
              tags,
              summary: 'Remove a room; refused (409) while it holds sessions.',
              params: idParams,
              response: { 200: timetableEnvelope, ...commonErrors },
            },
          },
          async (request) => {
            const admin = requireAdmin(request);
            const eventId = await deleteRoom({ db, actorId: admin.id, roomId: request.params.id });
            return { timetable: await timetableView(eventId) };
          },
        );

        app.get(
          '/unconference/events/:id/timetable.json',
          {
            schema: {
              tags,
              summary: 'The timetable as a file (the format `convene unconference import` and PUT …/timetable read).',
              params: idParams,
              response: { 200: timetableFile, ...commonErrors },
            },
          },
          async (request, reply) => {
            const file = await exportTimetable(db, request.params.id);
            reply.header('content-disposition', 'attachment; filename="timetable.json"');
            return file;
          },
        );

        app.put(
          '/unconference/events/:id/timetable',
          {
            schema: {
              tags,
              summary:
                'Replace the timetable with a file’s: kept days, slots and rooms keep their ids; nothing changes if a removed one holds sessions.',
              params: idParams,
              body: timetableFile,
              response: { 200: importResult, ...commonErrors },
            },
          },
          async (request) => {
            const admin = requireAdmin(request);
            const counts = await importTimetable({
              db,
              actorId: admin.id,
              eventId: request.params.id,
              file: request.body,
            });
            return { ...counts, timetable: await timetableView(request.params.id) };
          },
        );

        // Moderation and availability.

        app.post(
          '/unconference/proposals/:id/approve',
          {
            schema: {
              tags,
              summary: 'Approve a waiting proposal, or the waiting edit of an approved one.',
              params: idParams,
              response: { 200: proposalEnvelope, ...commonErrors },
            },
          },
          async (request) => {
            const admin = requireAdmin(request);
            await approveProposal({ db, actorId: admin.id, proposalId: request.params.id });
            return { proposal: await proposalView(request, request.params.id) };
          },
        );

        app.post(
          '/unconference/proposals/:id/reject',
          {
            schema: {
              tags,
              summary: 'Turn down a waiting proposal, or discard the waiting edit of an approved one.',
              params: idParams,
              response: { 200: proposalEnvelope, ...commonErrors },
            },
          },
          async (request) => {
            const admin = requireAdmin(request);
            await rejectProposal({ db, actorId: admin.id, proposalId: request.params.id });
            return { proposal: await proposalView(request, request.params.id) };
          },
        );

        app.put(
          '/unconference/proposals/:id/allowed-slots',
          {
            schema: {
              tags,
              summary: 'The slots a proposal may be placed in (its owners’ availability); empty = any slot.',
              params: idParams,
              body: allowedSlotsBody,
              response: { 200: proposalEnvelope, ...commonErrors },
            },
          },
          async (request) => {
            const admin = requireAdmin(request);
            await setAllowedSlots({
              db,
              actorId: admin.id,
              proposalId: request.params.id,
              slotIds: request.body.slotIds,
            });
            return { proposal: await proposalView(request, request.params.id) };
          },
        );
      }),
    );
  };
}
