import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type AppContext, requireAdmin, requirePerson } from '../../http/context.js';
import { commonErrors } from '../../http/errorShape.js';
import { badRequest, notFound } from '../../lib/errors.js';
import { setAssistant } from '../people/service.js';
import { syncBeforeRound } from './chatSync.js';
import { managerPattern } from './eligibility.js';
import { exportRounds } from './export.js';
import { createGroup, updateGroup } from './groups.js';
import { joinGroup, leaveGroup, pauseMembership, resumeMembership, skipNextRound } from './members.js';
import { findGroup } from './queries.js';
import { runRound } from './rounds.js';
import {
  createGroupBody,
  groupEnvelope,
  groupsEnvelope,
  looseEnvelope,
  matchesEnvelope,
  onBehalfOf,
  pauseBody,
  runRoundBody,
  updateGroupBody,
} from './schemas.js';
import { groupStats } from './stats.js';
import { groupViews, matchesOf, subjectFor } from './views.js';

const groupParams = z.object({ id: z.string().min(1).max(64) });
const forQuery = z.object({ personId: z.string().min(1).max(64).optional() }).strict();

export function mixerRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const { db } = ctx.database;
  const titlePattern = managerPattern(ctx.config.directory.managerTitlePattern);

  const groupView = async (subjectId: string, groupId: string, viewer: Parameters<typeof subjectFor>[1]) => {
    const subject = await subjectFor(db, viewer, subjectId);
    const [view] = await groupViews({ db, subject, titlePattern, includeArchived: true, groupId });
    if (!view) throw notFound('No such group.');
    return view;
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
        const subject = await subjectFor(db, viewer, request.query.personId);
        const includeArchived = request.query.archived === 'true' && viewer.role === 'admin';
        return { groups: await groupViews({ db, subject, titlePattern, includeArchived }) };
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
        return { group: await groupView(request.query.personId ?? viewer.id, request.params.id, viewer) };
      },
    );

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
          await change({ db, actor, groupId: request.params.id, personId, titlePattern });
          return { group: await groupView(personId ?? actor.id, request.params.id, actor) };
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
        await pauseMembership({ db, actor, groupId: request.params.id, personId, until, titlePattern });
        return { group: await groupView(personId ?? actor.id, request.params.id, actor) };
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
          response: { 200: looseEnvelope, ...commonErrors },
        },
      },
      async (request) => {
        const me = requirePerson(request);
        const assistant = await setAssistant({ db, personId: me.id, assistantUsername: request.body.username });
        return { assistant };
      },
    );

    app.get(
      '/mixers/assisting',
      { schema: { tags: ['mixers'], response: { 200: looseEnvelope, ...commonErrors } } },
      async (request) => {
        const me = requirePerson(request);
        const people = await db
          .selectFrom('people')
          .select(['id', 'name', 'username'])
          .where('assistant_id', '=', me.id)
          .where('enabled', '=', 1)
          .orderBy('name')
          .execute();
        const assistant = me.assistant_id
          ? await db
              .selectFrom('people')
              .select(['id', 'name', 'username'])
              .where('id', '=', me.assistant_id)
              .executeTakeFirst()
          : undefined;
        return { people, assistant: assistant ?? null };
      },
    );

    // Administration
    app.post(
      '/mixers/groups',
      { schema: { tags: ['mixers'], body: createGroupBody, response: { 201: groupEnvelope, ...commonErrors } } },
      async (request, reply) => {
        const admin = requireAdmin(request);
        const group = await createGroup({ db, actorId: admin.id, input: request.body });
        return reply.code(201).send({ group: await groupView(admin.id, group.id, admin) });
      },
    );

    app.patch(
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
        const admin = requireAdmin(request);
        await updateGroup({ db, actorId: admin.id, groupId: request.params.id, changes: request.body });
        return { group: await groupView(admin.id, request.params.id, admin) };
      },
    );

    app.post(
      '/mixers/groups/:id/members',
      {
        schema: {
          tags: ['mixers'],
          params: groupParams,
          body: z.object({ personId: z.string().min(1).max(64) }).strict(),
          response: { 200: looseEnvelope, ...commonErrors },
        },
      },
      async (request) => {
        const admin = requireAdmin(request);
        await joinGroup({
          db,
          actor: admin,
          groupId: request.params.id,
          personId: request.body.personId,
          titlePattern,
        });
        return { group: await groupView(admin.id, request.params.id, admin) };
      },
    );

    app.get(
      '/mixers/groups/:id/members',
      { schema: { tags: ['mixers'], params: groupParams, response: { 200: looseEnvelope, ...commonErrors } } },
      async (request) => {
        requireAdmin(request);
        if (!(await findGroup(db, request.params.id))) throw notFound('No such group.');
        const members = await db
          .selectFrom('group_members')
          .innerJoin('people', 'people.id', 'group_members.person_id')
          .select([
            'people.id',
            'people.name',
            'people.username',
            'people.team',
            'people.title',
            'people.enabled',
            'group_members.status',
            'group_members.paused_until as pausedUntil',
            'group_members.joined_at as joinedAt',
          ])
          .where('group_members.group_id', '=', request.params.id)
          .orderBy('people.name')
          .execute();
        return { members: members.map((m) => ({ ...m, enabled: m.enabled === 1 })) };
      },
    );

    app.get(
      '/mixers/groups/:id/rounds',
      { schema: { tags: ['mixers'], params: groupParams, response: { 200: looseEnvelope, ...commonErrors } } },
      async (request) => {
        requireAdmin(request);
        if (!(await findGroup(db, request.params.id))) throw notFound('No such group.');
        const rounds = await exportRounds(db, request.params.id);
        return { rounds: rounds.reverse() };
      },
    );

    app.post(
      '/mixers/groups/:id/rounds',
      {
        schema: {
          tags: ['mixers'],
          params: groupParams,
          body: runRoundBody.nullish(),
          response: { 200: looseEnvelope, ...commonErrors },
        },
      },
      async (request) => {
        const admin = requireAdmin(request);
        const group = await findGroup(db, request.params.id);
        if (!group) throw notFound('No such group.');
        if (group.archived) throw badRequest('This group is archived.');
        const dryRun = request.body?.dryRun ?? false;
        // As the scheduler and `convene match` do; a preview changes nothing, so it reads no chat.
        // syncBeforeRound logs and audits a failing chat and the round goes on with the members it has.
        if (group.chat_channel && !dryRun) await syncBeforeRound({ db, groupId: group.id, log: request.log });
        const outcome = await runRound({
          db,
          groupId: group.id,
          scheduledFor: new Date(),
          titlePattern,
          actorId: admin.id,
          dryRun,
          seed: request.body?.seed,
        });
        return { round: outcome };
      },
    );

    app.get(
      '/mixers/groups/:id/stats',
      { schema: { tags: ['mixers'], params: groupParams, response: { 200: looseEnvelope, ...commonErrors } } },
      async (request) => {
        requireAdmin(request);
        if (!(await findGroup(db, request.params.id))) throw notFound('No such group.');
        return { stats: await groupStats(db, request.params.id) };
      },
    );
  };
}
