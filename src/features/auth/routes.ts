import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authOptionsSchema, signinBody, signupBody, updateMeBody } from '../../contract/auth.js';
import { personEnvelope } from '../../contract/people.js';
import { type AppContext, isSecureRequest, noContent, requirePerson } from '../../http/context.js';
import { commonErrors } from '../../http/errorShape.js';
import { sendVerificationLink } from '../accounts/emailVerification.js';
import { accountMailConfigured } from '../notifications/accountMail.js';
import { presentSelf } from '../people/presenters.js';
import { findPersonByUsername } from '../people/queries.js';
import { getSettings } from '../settings/service.js';
import { signIn, signUp, updateProfile } from './service.js';
import { createSession, deleteSession, SESSION_COOKIE } from './sessions.js';

export function authRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const { db } = ctx.database;

  async function startSession(request: FastifyRequest, reply: FastifyReply, personId: string) {
    const session = await createSession(db, {
      personId,
      days: ctx.config.auth.sessionDays,
      ip: request.ip,
      userAgent: request.headers['user-agent'],
    });
    reply.setCookie(SESSION_COOKIE, session.token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: isSecureRequest(request, ctx.config),
      expires: session.expiresAt,
    });
  }

  return async (app) => {
    app.get(
      '/auth/options',
      {
        schema: {
          tags: ['auth'],
          summary: 'What the sign-up page needs: the registration policy and any SSO pre-fill.',
          response: {
            200: authOptionsSchema,
          },
        },
      },
      async (request) => {
        const settings = await getSettings(db);
        const unknownSsoUser =
          request.ssoUsername && !request.person && !(await findPersonByUsername(db, request.ssoUsername));
        return {
          registration: settings.registration,
          passwordReset: await accountMailConfigured(db, ctx.config),
          sso:
            unknownSsoUser && request.ssoUsername ? { username: request.ssoUsername, email: null, name: null } : null,
        };
      },
    );

    app.post(
      '/auth/signup',
      { schema: { tags: ['auth'], body: signupBody, response: { 201: personEnvelope, ...commonErrors } } },
      async (request, reply) => {
        const ssoUsername =
          request.ssoUsername && !(await findPersonByUsername(db, request.ssoUsername))
            ? request.ssoUsername
            : undefined;
        const person = await signUp({
          db,
          input: request.body,
          ip: request.ip,
          ssoUsername,
          defaultTimezone: ctx.config.defaultTimezone,
          codeLimiter: ctx.codeLimiter,
        });
        await startSession(request, reply, person.id);
        // Open registration vouches for nobody: the address is confirmed by a link, when e-mail is set up.
        if (person.verified !== 1) {
          await sendVerificationLink({ db, config: ctx.config, personId: person.id, ip: request.ip }).catch(
            (error: unknown) => request.log.warn({ err: error }, 'could not send the confirmation link'),
          );
        }
        return reply.code(201).send({ person: presentSelf(person) });
      },
    );

    app.post(
      '/auth/signin',
      { schema: { tags: ['auth'], body: signinBody, response: { 200: personEnvelope, ...commonErrors } } },
      async (request, reply) => {
        const person = await signIn({
          db,
          login: request.body.email,
          password: request.body.password,
          ip: request.ip,
          limiter: ctx.signinLimiter,
        });
        await startSession(request, reply, person.id);
        return { person: presentSelf(person) };
      },
    );

    app.post(
      '/auth/signout',
      { schema: { tags: ['auth'], response: { 204: z.null(), ...commonErrors } } },
      async (request, reply) => {
        const token = request.cookies[SESSION_COOKIE];
        if (token) await deleteSession(db, token);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return noContent(reply);
      },
    );

    app.get(
      '/me',
      { schema: { tags: ['auth'], response: { 200: personEnvelope, ...commonErrors } } },
      async (request) => ({
        person: presentSelf(requirePerson(request)),
      }),
    );

    app.patch(
      '/me',
      { schema: { tags: ['auth'], body: updateMeBody, response: { 200: personEnvelope, ...commonErrors } } },
      async (request) => {
        const me = requirePerson(request);
        const person = await updateProfile({
          db,
          personId: me.id,
          sessionId: request.sessionId ?? undefined,
          input: request.body,
        });
        return { person: presentSelf(person) };
      },
    );
  };
}
