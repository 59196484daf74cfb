import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type AppContext, requirePerson } from '../../http/context.js';
import { commonErrors } from '../../http/errorShape.js';
import { forbidden } from '../../lib/errors.js';
import { setAssistant } from '../people/service.js';
import { assistingOf } from './assisting.js';
import { managerPattern } from './eligibility.js';
import { membersOfGroup, roundHistory, statsOfGroup } from './groupReports.js';
import { createGroup, updateGroup } from './groups.js';
import { joinGroup, leaveGroup, pauseMembership, resumeMembership, skipNextRound } from './members.js';
import { canAdministerMixers } from './policy.js';
import { announceLatestRound, groupReach } from './reach.js';
import {
  announcedRoundEnvelope,
  assistantEnvelope,
  assistingEnvelope,
  createGroupBody,
  groupEnvelope,
  groupReachEnvelope,
  groupsEnvelope,
  matchesEnvelope,
  membersEnvelope,
  onBehalfOf,
  pauseBody,
  roundEnvelope,
  roundsEnvelope,
  runRoundBody,
  statsEnvelope,
  undoneRoundEnvelope,
  updateGroupBody,
} from './schemas.js';
import { syncAndRunRound } from './syncAndRunRound.js';
import { undoLatestRound } from './undo.js';
import { groupListFor, groupViewFor, matchesOf, subjectFor } from './views.js';

const groupParams = z.object({ id: z.string().min(1).max(64) });
const forQuery = z.object({ personId: z.string().min(1).max(64).optional() }).strict();

/**
 * Each route: authenticate → validate (the schemas) → authorize (policy.ts) → one use case →
 * present. The administration routes share one context whose guard admits administrators only.
 */
export function mixerRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const { db } = ctx.database;
  const titlePattern = managerPattern(ctx.config.directory.managerTitlePattern);

  /** One context for administration: its guard runs before validation and before any handler. */
  const adminRoutes: FastifyPluginAsyncZod = async (admin) => {
    admin.addHook('onRequest', async (request) => {
      if (!canAdministerMixers(requirePerson(request))) throw forbidden('Only administrators can do that.');
    });

    admin.post(
      '/mixers/groups',
      { schema: { tags: ['mixers'], body: createGroupBody, response: { 201: groupEnvelope, ...commonErrors } } },
      async (request, reply) => {
        const viewer = requirePerson(request);
        const group = await createGroup({
          db,
          actorId: viewer.id,
          input: request.body,
          minIntervalHours: ctx.config.mixers.minRoundIntervalHours,
        });
        const view = await groupViewFor({ db, viewer, groupId: group.id, titlePattern });
        return reply.code(201).send({ group: view });
      },
    );

    admin.patch(
      '/mixers/groups/:id',
      {
        schema: {
          tags: ['mixers'],
          params: groupParams,
          body: updateGroupBody,
          response: { 200: groupEnvelope, ...commonErrors },
        },
      },
      async (request) => {
        const viewer = requirePerson(request);
        const groupId = request.params.id;
        await updateGroup({
          db,
          actorId: viewer.id,
          groupId,
          changes: request.body,
          minIntervalHours: ctx.config.mixers.minRoundIntervalHours,
        });
        return { group: await groupViewFor({ db, viewer, groupId, titlePattern }) };
      },
    );

    admin.post(
      '/mixers/groups/:id/members',
      {
        schema: {
          tags: ['mixers'],
          params: groupParams,
          body: z.object({ personId: z.string().min(1).max(64) }).strict(),
          response: { 200: groupEnvelope, ...commonErrors },
        },
      },
      async (request) => {
        const actor = requirePerson(request);
        const groupId = request.params.id;
        await joinGroup({ db, actor, groupId, personId: request.body.personId, titlePattern });
        return { group: await groupViewFor({ db, viewer: actor, groupId, titlePattern }) };
      },
    );

    admin.get(
      '/mixers/groups/:id/members',
      { schema: { tags: ['mixers'], params: groupParams, response: { 200: membersEnvelope, ...commonErrors } } },
      async (request) => ({ members: await membersOfGroup(db, request.params.id) }),
    );

    admin.get(
      '/mixers/groups/:id/rounds',
      { schema: { tags: ['mixers'], params: groupParams, response: { 200: roundsEnvelope, ...commonErrors } } },
      async (request) => ({ rounds: await roundHistory(db, request.params.id) }),
    );

    admin.post(
      '/mixers/groups/:id/rounds',
      {
        schema: {
          tags: ['mixers'],
          params: groupParams,
          body: runRoundBody.nullish(),
          response: { 200: roundEnvelope, ...commonErrors },
        },
      },
      async (request) => {
        const admin = requirePerson(request);
        const round = await syncAndRunRound({
          db,
          groupId: request.params.id,
          scheduledFor: new Date(),
          titlePattern,
          actorId: admin.id,
          dryRun: request.body?.dryRun ?? false,
          seed: request.body?.seed,
          manual: true,
          force: request.body?.force ?? false,
          log: request.log,
        });
        return { round };
      },
    );

    admin.post(
      '/mixers/groups/:id/rounds/latest/undo',
      { schema: { tags: ['mixers'], params: groupParams, response: { 200: undoneRoundEnvelope, ...commonErrors } } },
      async (request) => {
        const admin = requirePerson(request);
        const undone = await undoLatestRound({
          db,
          groupId: request.params.id,
          windowHours: ctx.config.mixers.undoRoundHours,
          actorId: admin.id,
        });
        return { undone };
      },
    );

    admin.post(
      '/mixers/groups/:id/rounds/latest/announce',
      { schema: { tags: ['mixers'], params: groupParams, response: { 200: announcedRoundEnvelope, ...commonErrors } } },
      async (request) => {
        const admin = requirePerson(request);
        return { announced: await announceLatestRound({ db, groupId: request.params.id, actorId: admin.id }) };
      },
    );

    admin.get(
      '/mixers/groups/:id/reach',
      { schema: { tags: ['mixers'], params: groupParams, response: { 200: groupReachEnvelope, ...commonErrors } } },
      async (request) => ({
        reach: await groupReach(db, request.params.id, {
          undoWindowHours: ctx.config.mixers.undoRoundHours,
          titlePattern,
        }),
      }),
    );

    admin.get(
      '/mixers/groups/:id/stats',
      { schema: { tags: ['mixers'], params: groupParams, response: { 200: statsEnvelope, ...commonErrors } } },
      async (request) => ({ stats: await statsOfGroup(db, request.params.id) }),
    );
  };

  return async (app) => {
    app.get(
      '/mixers/groups',
      {
        schema: {
          tags: ['mixers'],
          querystring: forQuery.extend({ archived: z.enum(['true', 'false']).optional() }).strict(),
          response: { 200: groupsEnvelope, ...commonErrors },
        },
      },
      async (request) => {
        const viewer = requirePerson(request);
        const { personId, archived } = request.query;
        return { groups: await groupListFor({ db, viewer, personId, archived: archived === 'true', titlePattern }) };
      },
    );

    app.get(
      '/mixers/groups/:id',
      {
        schema: {
          tags: ['mixers'],
          params: groupParams,
          querystring: forQuery,
          response: { 200: groupEnvelope, ...commonErrors },
        },
      },
      async (request) => {
        const viewer = requirePerson(request);
        const { personId } = request.query;
        return { group: await groupViewFor({ db, viewer, personId, groupId: request.params.id, titlePattern }) };
      },
    );

    // The member's own actions, or an assistant's or admin's on their behalf (the use cases check who may).
    for (const [action, change] of [
      ['join', joinGroup],
      ['leave', leaveGroup],
      ['skip', skipNextRound],
      ['resume', resumeMembership],
    ] as const) {
      app.post(
        `/mixers/groups/:id/${action}`,
        {
          schema: {
            tags: ['mixers'],
            params: groupParams,
            body: onBehalfOf.nullish(),
            response: { 200: groupEnvelope, ...commonErrors },
          },
        },
        async (request) => {
          const actor = requirePerson(request);
          const personId = request.body?.personId;
          const groupId = request.params.id;
          await change({ db, actor, groupId, personId, titlePattern });
          return { group: await groupViewFor({ db, viewer: actor, personId, groupId, titlePattern }) };
        },
      );
    }

    app.post(
      '/mixers/groups/:id/pause',
      {
        schema: {
          tags: ['mixers'],
          params: groupParams,
          body: pauseBody,
          response: { 200: groupEnvelope, ...commonErrors },
        },
      },
      async (request) => {
        const actor = requirePerson(request);
        const { personId, until } = request.body;
        const groupId = request.params.id;
        await pauseMembership({ db, actor, groupId, personId, until, titlePattern });
        return { group: await groupViewFor({ db, viewer: actor, personId, groupId, titlePattern }) };
      },
    );

    app.get(
      '/mixers/matches',
      { schema: { tags: ['mixers'], querystring: forQuery, response: { 200: matchesEnvelope, ...commonErrors } } },
      async (request) => {
        const viewer = requirePerson(request);
        const subject = await subjectFor(db, viewer, request.query.personId);
        return { matches: await matchesOf(db, subject) };
      },
    );

    app.put(
      '/mixers/assistant',
      {
        schema: {
          tags: ['mixers'],
          body: z.object({ username: z.string().trim().min(1).max(100).nullable() }).strict(),
          response: { 200: assistantEnvelope, ...commonErrors },
        },
      },
      async (request) => {
        const me = requirePerson(request);
        return { assistant: await setAssistant({ db, personId: me.id, assistantUsername: request.body.username }) };
      },
    );

    app.get(
      '/mixers/assisting',
      { schema: { tags: ['mixers'], response: { 200: assistingEnvelope, ...commonErrors } } },
      async (request) => assistingOf(db, requirePerson(request)),
    );

    await app.register(adminRoutes);
  };
}
