import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type AppContext, requireAdmin } from '../../http/context.js';
import { commonErrors } from '../../http/errorShape.js';
import { type AdminPersonDetails, type PersonRow, presentForAdmin } from '../people/presenters.js';
import { adminPersonEnvelope, adminPersonViewSchema } from '../people/schemas.js';
import {
  getSettings,
  registrationPolicies,
  type Settings,
  updateSettings,
  verificationCodeProblem,
} from '../settings/service.js';
import { editPersonBody } from './schemas.js';
import { adminDetailsOf, changePerson, editPerson, listPeople, personActions } from './service.js';

const settingsView = z.object({
  registration: z.enum(registrationPolicies),
  verificationCode: z.string(),
  /** True for a code set before codes had to be strong: it still works, but should be replaced. */
  verificationCodeWeak: z.boolean(),
});

const presentSettings = (settings: Settings): z.infer<typeof settingsView> => ({
  ...settings,
  verificationCodeWeak: verificationCodeProblem(settings.verificationCode) !== null,
});

export function adminRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const { db } = ctx.database;
  const presentOne = async (person: PersonRow) =>
    presentForAdmin(person, (await adminDetailsOf(db, [person])).get(person.id) as AdminPersonDetails);
  return async (app) => {
    app.get(
      '/admin/settings',
      { schema: { tags: ['admin'], response: { 200: settingsView, ...commonErrors } } },
      async (request) => {
        requireAdmin(request);
        return presentSettings(await getSettings(db));
      },
    );

    app.patch(
      '/admin/settings',
      {
        schema: {
          tags: ['admin'],
          body: z
            .object({
              registration: z.enum(registrationPolicies).optional(),
              verificationCode: z
                .string()
                .trim()
                .min(1, 'is required')
                .max(64, 'must be at most 64 characters')
                .regex(/^[A-Za-z0-9-]+$/, 'may hold only letters, digits and dashes')
                .optional(),
            })
            .strict(),
          response: { 200: settingsView, ...commonErrors },
        },
      },
      async (request) => {
        const admin = requireAdmin(request);
        return presentSettings(await updateSettings({ db, actorId: admin.id, changes: request.body }));
      },
    );

    app.get(
      '/admin/people',
      {
        schema: {
          tags: ['admin'],
          querystring: z
            .object({
              q: z.string().trim().max(100).optional(),
              role: z.enum(['admin', 'member']).optional(),
              state: z.enum(['enabled', 'disabled']).optional(),
              limit: z.coerce.number().int().min(1).max(200).default(50),
              offset: z.coerce.number().int().min(0).default(0),
            })
            .strict(),
          response: { 200: z.object({ people: z.array(adminPersonViewSchema), total: z.number() }), ...commonErrors },
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
          params: z.object({ id: z.string().min(1).max(64), action: z.enum(personActions) }),
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
          params: z.object({ id: z.string().min(1).max(64) }),
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
