import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  adminEventEnvelope,
  archiveBody,
  createEventBody,
  createProposalBody,
  deletionSchema,
  eventDetailSchema,
  eventListQuery,
  eventListSchema,
  hideBody,
  idParams,
  phaseBody,
  proposalEnvelope,
  proposalListSchema,
  resultsSchema,
  updateEventBody,
  updateProposalBody,
  voteBody,
  voteResultSchema,
} from '../../contract/talks.js';
import { type AppContext, adminOnly, noContent, requireAdmin, requirePerson } from '../../http/context.js';
import { commonErrors } from '../../http/errorShape.js';
import { notFound } from '../../lib/errors.js';
import { nowIso } from '../../lib/time.js';
import type { CachedList } from './cache.js';
import { type AnswerFromCache, answerFromCache, PUBLIC_CACHE_CONTROL, PUBLIC_VARY } from './cachedAnswer.js';
import {
  createTalksEvent,
  deleteTalksEvent,
  setTalksArchived,
  setTalksPhase,
  talksEventDeletion,
  updateTalksEvent,
} from './events.js';
import { listForViewer, type ProposalList, publicProposalList } from './listing.js';
import { presentEvent, presentEventForAdmin, presentMyProposal, presentProposalDetail } from './presenters.js';
import { createProposal, setProposalHidden, updateProposal, withdrawProposal } from './proposals.js';
import {
  findProposalWithSpeaker,
  findTalksEvent,
  listTalksEvents,
  proposalCounts,
  proposalsOfSpeaker,
} from './queries.js';
import { eventResults, resultsCsv } from './results.js';
import { castVote } from './votes.js';

const tags = ['talks'];

/** The signed-out answer from the cache (see answerFromCache). */
function sendCached(request: FastifyRequest, reply: FastifyReply, entry: CachedList<unknown>, answer: AnswerFromCache) {
  const { status, headers, body } = answer(entry, request.headers);
  reply
    .code(status)
    .headers(headers)
    .send(body ?? undefined);
}

/**
 * The cached list for an event, answered without a promise when it is in the cache (the common
 * case: a handler that settles synchronously skips a promise and a microtask per request).
 */
function withCachedList(
  db: AppContext['database']['db'],
  eventId: string,
  answer: (entry: CachedList<ProposalList>) => void | Promise<void>,
): void | Promise<void> {
  const found = publicProposalList(db, eventId);
  if (!(found instanceof Promise)) return answer(found);
  return found.then((entry) => {
    if (!entry) throw notFound('No such event.');
    return answer(entry);
  });
}

// The signed-out API answer depends on the cookie (signed in or not) and on Accept-Encoding.
const API_LIST_VARY = 'Cookie, Accept-Encoding';
const signedOutApiList = answerFromCache('public, no-cache', API_LIST_VARY);
const publicFeed = answerFromCache(PUBLIC_CACHE_CONTROL, PUBLIC_VARY);

/** JSON already serialised (for answers built from schema-checked parts). */
const sendJson = (reply: FastifyReply, text: string) => reply.type('application/json; charset=utf-8').send(text);

export function talksRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const { db, engine } = ctx.database;

  async function eventOrThrow(id: string) {
    const event = await findTalksEvent(db, id);
    if (!event) throw notFound('No such event.');
    return event;
  }

  async function proposalView(request: FastifyRequest, id: string) {
    const row = await findProposalWithSpeaker(db, id);
    const event = row && (await findTalksEvent(db, row.event_id));
    if (!row || !event) throw notFound('No such proposal.');
    return presentProposalDetail(row, event, request.person, nowIso());
  }

  async function adminEventView(id: string) {
    const event = await eventOrThrow(id);
    const counts = await proposalCounts(db, [event.id]);
    return presentEventForAdmin(event, nowIso(), counts.get(event.id) ?? 0);
  }

  return async (app) => {
    // Reading: open to everyone, signed in or not.

    app.get(
      '/talks/events',
      {
        schema: {
          tags,
          summary: 'Talks events, newest first: the current ones, or with ?archived=true the archived ones.',
          querystring: eventListQuery,
          response: { 200: eventListSchema, ...commonErrors },
        },
      },
      async (request) => {
        const events = await listTalksEvents(db, { archived: request.query.archived === 'true' });
        const counts = await proposalCounts(
          db,
          events.map((event) => event.id),
        );
        const now = nowIso();
        return { events: events.map((event) => presentEvent(event, now, counts.get(event.id) ?? 0)) };
      },
    );

    app.get(
      '/talks/events/:id',
      {
        schema: {
          tags,
          summary: 'One event; for a signed-in viewer, also their own proposals (hidden ones with the reason).',
          params: idParams,
          response: { 200: eventDetailSchema, ...commonErrors },
        },
      },
      async (request) => {
        const event = await eventOrThrow(request.params.id);
        const counts = await proposalCounts(db, [event.id]);
        const now = nowIso();
        const viewer = request.person;
        const mine = viewer ? await proposalsOfSpeaker(db, event.id, viewer.id) : null;
        return {
          event: presentEvent(event, now, counts.get(event.id) ?? 0),
          myProposals: viewer && mine ? mine.map((row) => presentMyProposal(row, event, viewer, now)) : null,
        };
      },
    );

    app.get(
      '/talks/events/:id/proposals',
      {
        schema: {
          tags,
          summary:
            'The proposal list. Signed out: one cached list (ETag, 304), the same bytes for everyone. ' +
            'Signed in: shuffled for the viewer while voting, with their votes marked. Ranked once closed.',
          params: idParams,
          response: { 200: proposalListSchema, ...commonErrors },
        },
      },
      (request, reply) =>
        withCachedList(db, request.params.id, (entry) => {
          const viewer = request.person;
          if (!viewer) return sendCached(request, reply, entry, signedOutApiList);
          reply.header('vary', API_LIST_VARY).header('cache-control', 'private, no-store');
          // Built from the cached list, which passed the response schema when it was filled, plus
          // this viewer's booleans and counts: sent as it is rather than checked again field by field.
          return listForViewer(db, entry, viewer).then((list) => {
            sendJson(reply, JSON.stringify(list));
          });
        }),
    );

    app.get(
      '/talks/proposals/:id',
      {
        schema: {
          tags,
          summary: 'One proposal with its Markdown source. A hidden one only for its speaker and admins.',
          params: idParams,
          response: { 200: proposalEnvelope, ...commonErrors },
        },
      },
      async (request) => {
        const proposal = await proposalView(request, request.params.id);
        if (proposal.hidden && !proposal.mine && request.person?.role !== 'admin') throw notFound('No such proposal.');
        return { proposal };
      },
    );

    // Taking part: signed-in people.

    app.post(
      '/talks/events/:id/proposals',
      {
        schema: {
          tags,
          summary: 'Propose a talk (speaker: yourself; admins may name another person in `speaker`).',
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
      '/talks/proposals/:id',
      {
        schema: {
          tags,
          summary: 'Change a proposal: its speaker while proposals are open, admins at any time.',
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
      '/talks/proposals/:id',
      {
        schema: {
          tags,
          summary: 'Withdraw a proposal (its votes go with it): its speaker while proposals are open, admins.',
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

    app.post(
      '/talks/proposals/:id/vote',
      {
        schema: {
          tags,
          summary: 'Your vote on a proposal: toggles it, or sets it with {"voted": true|false}.',
          params: idParams,
          body: voteBody.nullish(),
          response: { 200: voteResultSchema, ...commonErrors },
        },
      },
      async (request) => {
        const actor = requirePerson(request);
        return castVote({ db, engine, actor, proposalId: request.params.id, voted: request.body?.voted });
      },
    );

    // Organising: administrators only, behind one guard.
    await app.register(
      adminOnly(async (app) => {
        app.post(
          '/talks/events',
          {
            schema: {
              tags,
              summary: 'Create a talks event.',
              body: createEventBody,
              response: { 201: adminEventEnvelope, ...commonErrors },
            },
          },
          async (request, reply) => {
            const admin = requireAdmin(request);
            const event = await createTalksEvent({ db, actorId: admin.id, input: request.body });
            return reply.code(201).send({ event: presentEventForAdmin(event, nowIso(), 0) });
          },
        );

        app.patch(
          '/talks/events/:id',
          {
            schema: {
              tags,
              summary: 'Change an event: name, description, top N, vote limit, switch times.',
              params: idParams,
              body: updateEventBody,
              response: { 200: adminEventEnvelope, ...commonErrors },
            },
          },
          async (request) => {
            const admin = requireAdmin(request);
            await updateTalksEvent({ db, actorId: admin.id, eventId: request.params.id, changes: request.body });
            return { event: await adminEventView(request.params.id) };
          },
        );

        app.post(
          '/talks/events/:id/phase',
          {
            schema: {
              tags,
              summary: 'Move the event to a phase now: proposals, voting or closed.',
              params: idParams,
              body: phaseBody,
              response: { 200: adminEventEnvelope, ...commonErrors },
            },
          },
          async (request) => {
            const admin = requireAdmin(request);
            await setTalksPhase({ db, actorId: admin.id, eventId: request.params.id, phase: request.body.phase });
            return { event: await adminEventView(request.params.id) };
          },
        );

        app.post(
          '/talks/events/:id/archive',
          {
            schema: {
              tags,
              summary: 'Archive an event (kept with its results, out of the everyday list), or bring it back.',
              params: idParams,
              body: archiveBody,
              response: { 200: adminEventEnvelope, ...commonErrors },
            },
          },
          async (request) => {
            const admin = requireAdmin(request);
            const { archived } = request.body;
            await setTalksArchived({ db, actorId: admin.id, eventId: request.params.id, archived });
            return { event: await adminEventView(request.params.id) };
          },
        );

        app.get(
          '/talks/events/:id/deletion',
          {
            schema: {
              tags,
              summary: 'What deleting the event would take with it (for the confirmation).',
              params: idParams,
              response: { 200: deletionSchema, ...commonErrors },
            },
          },
          async (request) => {
            requireAdmin(request);
            return talksEventDeletion(db, request.params.id);
          },
        );

        app.delete(
          '/talks/events/:id',
          {
            schema: {
              tags,
              summary: 'Delete an event with its proposals and votes.',
              params: idParams,
              response: { 204: z.null(), ...commonErrors },
            },
          },
          async (request, reply) => {
            const admin = requireAdmin(request);
            await deleteTalksEvent({ db, actorId: admin.id, eventId: request.params.id });
            return noContent(reply);
          },
        );

        app.post(
          '/talks/proposals/:id/hide',
          {
            schema: {
              tags,
              summary: 'Hide a proposal from every list, with a reason its speaker sees.',
              params: idParams,
              body: hideBody,
              response: { 200: proposalEnvelope, ...commonErrors },
            },
          },
          async (request) => {
            const admin = requireAdmin(request);
            const { reason } = request.body;
            await setProposalHidden({ db, actor: admin, proposalId: request.params.id, hidden: true, reason });
            return { proposal: await proposalView(request, request.params.id) };
          },
        );

        app.post(
          '/talks/proposals/:id/unhide',
          {
            schema: {
              tags,
              summary: 'Show a hidden proposal again.',
              params: idParams,
              response: { 200: proposalEnvelope, ...commonErrors },
            },
          },
          async (request) => {
            const admin = requireAdmin(request);
            await setProposalHidden({ db, actor: admin, proposalId: request.params.id, hidden: false });
            return { proposal: await proposalView(request, request.params.id) };
          },
        );

        app.get(
          '/talks/events/:id/results',
          {
            schema: {
              tags,
              summary: 'Results for organisers: ranking with counts, votes over time, hints of suspicious voting.',
              params: idParams,
              response: { 200: resultsSchema, ...commonErrors },
            },
          },
          async (request, reply) => {
            requireAdmin(request);
            reply.header('cache-control', 'private, no-store');
            return eventResults(db, request.params.id);
          },
        );

        app.get(
          '/talks/events/:id/results.csv',
          {
            schema: { tags, summary: 'The ranking as CSV.', params: idParams, produces: ['text/csv'] },
          },
          async (request, reply) => {
            requireAdmin(request);
            const results = await eventResults(db, request.params.id);
            const name = results.event.name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-|-$/g, '') || 'talks';
            return reply
              .header('cache-control', 'private, no-store')
              .header('content-disposition', `attachment; filename="${name}-results.csv"`)
              .type('text/csv; charset=utf-8')
              .send(resultsCsv(results));
          },
        );
      }),
    );
  };
}

/**
 * The public proposal list at a cookie-free address outside the API: what the event page loads
 * for signed-out visitors. It never reads or sets a cookie (the API's CSRF cookie and session
 * lookup happen only under /api/), so every visitor — and any cache in front of Convene, such as a
 * CDN — gets the same bytes; `s-maxage` lets a shared cache keep them as long as this process does.
 */
export function talksPublicRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const { db } = ctx.database;
  return async (app) => {
    app.get(
      '/public/talks/events/:id/proposals',
      {
        schema: {
          tags,
          summary: 'The public proposal list, cookie-free and cacheable: the same bytes for everyone (ETag, 304).',
          params: idParams,
          response: { 200: proposalListSchema, ...commonErrors },
        },
      },
      (request, reply) =>
        withCachedList(db, request.params.id, (entry) => sendCached(request, reply, entry, publicFeed)),
    );
  };
}
