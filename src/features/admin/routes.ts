import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  peoplePageSchema,
  peopleQuery,
  personActionParams,
  settingsViewSchema,
  updateSettingsBody,
} from '../../contract/admin.js';
import { adminPersonEnvelope } from '../../contract/people.js';
import { type AppContext, requireAdmin } from '../../http/context.js';
import { commonErrors } from '../../http/errorShape.js';
import { presentForAdmin } from '../people/presenters.js';
import { getSettings, updateSettings } from '../settings/service.js';
import { changePerson, listPeople } from './service.js';

export function adminRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const { db } = ctx.database;
  return async (app) => {
    app.get(
      '/admin/settings',
      { schema: { tags: ['admin'], response: { 200: settingsViewSchema, ...commonErrors } } },
      async (request) => {
        requireAdmin(request);
        return getSettings(db);
      },
    );

    app.patch(
      '/admin/settings',
      {
        schema: {
          tags: ['admin'],
          body: updateSettingsBody,
          response: { 200: settingsViewSchema, ...commonErrors },
        },
      },
      async (request) => {
        const admin = requireAdmin(request);
        return updateSettings({ db, actorId: admin.id, changes: request.body });
      },
    );

    app.get(
      '/admin/people',
      {
        schema: {
          tags: ['admin'],
          querystring: peopleQuery,
          response: { 200: peoplePageSchema, ...commonErrors },
        },
      },
      async (request) => {
        requireAdmin(request);
        const { people, total } = await listPeople(db, request.query);
        return { people: people.map(presentForAdmin), total };
      },
    );

    app.post(
      '/admin/people/:id/:action',
      {
        schema: {
          tags: ['admin'],
          params: personActionParams,
          response: { 200: adminPersonEnvelope, ...commonErrors },
        },
      },
      async (request) => {
        const admin = requireAdmin(request);
        const person = await changePerson({
          db,
          actorId: admin.id,
          personId: request.params.id,
          action: request.params.action,
        });
        return { person: presentForAdmin(person) };
      },
    );
  };
}
