import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  peoplePageSchema,
  peopleQuery,
  personActionParams,
  type SettingsView,
  settingsViewSchema,
  updateSettingsBody,
} from '../../contract/admin.js';
import { adminPersonEnvelope } from '../../contract/people.js';
import { type AppContext, requireAdmin } from '../../http/context.js';
import { commonErrors } from '../../http/errorShape.js';
import { accountMailConfigured } from '../notifications/accountMail.js';
import { type AdminPersonDetails, type PersonRow, presentForAdmin } from '../people/presenters.js';
import { getSettings, type Settings, updateSettings, verificationCodeProblem } from '../settings/service.js';
import { editPersonBody, personParams } from './schemas.js';
import { adminDetailsOf, changePerson, editPerson, listPeople } from './service.js';

const presentSettings = (settings: Settings, emailConfigured: boolean): SettingsView => ({
  ...settings,
  verificationCodeWeak: verificationCodeProblem(settings.verificationCode) !== null,
  emailConfigured,
});

export function adminRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const { db } = ctx.database;
  const presentOne = async (person: PersonRow) =>
    presentForAdmin(person, (await adminDetailsOf(db, [person])).get(person.id) as AdminPersonDetails);
  return async (app) => {
    app.get(
      '/admin/settings',
      { schema: { tags: ['admin'], response: { 200: settingsViewSchema, ...commonErrors } } },
      async (request) => {
        requireAdmin(request);
        return presentSettings(await getSettings(db), await accountMailConfigured(db, ctx.config));
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
        return presentSettings(
          await updateSettings({ db, actorId: admin.id, changes: request.body }),
          await accountMailConfigured(db, ctx.config),
        );
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
        const details = await adminDetailsOf(db, people);
        return { people: people.map((p) => presentForAdmin(p, details.get(p.id) as AdminPersonDetails)), total };
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
        return { person: await presentOne(person) };
      },
    );

    app.patch(
      '/admin/people/:id',
      {
        schema: {
          tags: ['admin'],
          params: personParams,
          body: editPersonBody,
          response: { 200: adminPersonEnvelope, ...commonErrors },
        },
      },
      async (request) => {
        const admin = requireAdmin(request);
        const person = await editPerson({ db, actorId: admin.id, personId: request.params.id, input: request.body });
        return { person: await presentOne(person) };
      },
    );
  };
}
