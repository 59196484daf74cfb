import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  acceptInvitationBody,
  forgotPasswordBody,
  invitationLookupSchema,
  messageSchema,
  resetPasswordBody,
  tokenBody,
} from '../../contract/accounts.js';
import { personEnvelope } from '../../contract/people.js';
import { type AppContext, isSecureRequest, requirePerson } from '../../http/context.js';
import { commonErrors } from '../../http/errorShape.js';
import { createSession, SESSION_COOKIE } from '../auth/sessions.js';
import { presentSelf } from '../people/presenters.js';
import { sendVerificationLink, verifyEmailWithLink } from './emailVerification.js';
import { acceptInvitation, lookupInvitation } from './invitations.js';
import { checkResetLink, requestPasswordReset, resetPasswordWithLink } from './passwordReset.js';

/** The pages a link in an account e-mail opens, and "forgot password". No session needed. */
export function accountRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const { db } = ctx.database;
  return async (app) => {
    app.post(
      '/auth/invitation',
      {
        schema: {
          tags: ['auth'],
          summary: 'What an invitation link is for: the invited address (the token is in the body, never a URL).',
          body: tokenBody,
          response: { 200: invitationLookupSchema, ...commonErrors },
        },
      },
      async (request) => lookupInvitation(db, request.body.token),
    );

    app.post(
      '/auth/invitation/accept',
      {
        schema: {
          tags: ['auth'],
          summary: 'The invited person chooses a name and password; the account starts verified and signed in.',
          body: acceptInvitationBody,
          response: { 201: personEnvelope, ...commonErrors },
        },
      },
      async (request, reply) => {
        const person = await acceptInvitation({
          db,
          input: request.body,
          ip: request.ip,
          defaultTimezone: ctx.config.defaultTimezone,
        });
        const session = await createSession(db, {
          personId: person.id,
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
        return reply.code(201).send({ person: presentSelf(person) });
      },
    );

    app.post(
      '/auth/password/forgot',
      {
        schema: {
          tags: ['auth'],
          summary: 'Sends a reset link if the address has an account; the answer is the same either way.',
          body: forgotPasswordBody,
          response: { 202: messageSchema, ...commonErrors },
        },
      },
      async (request, reply) => {
        const { message } = await requestPasswordReset({
          db,
          config: ctx.config,
          email: request.body.email,
          ip: request.ip,
          limiter: ctx.linkLimiter,
        });
        return reply.code(202).send({ message });
      },
    );

    app.post(
      '/auth/password/check',
      {
        schema: {
          tags: ['auth'],
          summary: 'Whether a reset link still works (not used, not expired), without using it.',
          body: tokenBody,
          response: { 200: messageSchema, ...commonErrors },
        },
      },
      async (request) => {
        await checkResetLink(db, request.body.token);
        return { message: 'This link works: choose a new password.' };
      },
    );

    app.post(
      '/auth/password/reset',
      {
        schema: {
          tags: ['auth'],
          summary: 'Sets a new password from a reset link; every session of the account ends.',
          body: resetPasswordBody,
          response: { 200: messageSchema, ...commonErrors },
        },
      },
      async (request, reply) => {
        await resetPasswordWithLink({ db, token: request.body.token, password: request.body.password, ip: request.ip });
        // This browser's session (if any) ended with the others.
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return { message: 'Your password is changed and your account is signed out everywhere. Sign in again.' };
      },
    );

    app.post(
      '/auth/verify-email',
      {
        schema: {
          tags: ['auth'],
          summary: 'Confirms the address a verification link was sent to.',
          body: tokenBody,
          response: { 200: personEnvelope, ...commonErrors },
        },
      },
      async (request) => ({
        person: presentSelf(await verifyEmailWithLink({ db, token: request.body.token, ip: request.ip })),
      }),
    );

    app.post(
      '/me/verification',
      {
        schema: {
          tags: ['auth'],
          summary: 'Sends a new confirmation link to the signed-in person (rate-limited).',
          response: { 202: messageSchema, ...commonErrors },
        },
      },
      async (request, reply) => {
        const me = requirePerson(request);
        const sent = await sendVerificationLink({
          db,
          config: ctx.config,
          personId: me.id,
          ip: request.ip,
          limiter: ctx.linkLimiter,
        });
        return reply.code(202).send({
          message: sent
            ? `A confirmation link is on its way to ${me.email}.`
            : me.verified === 1
              ? 'Your address is already confirmed.'
              : 'E-mail is not set up here: ask an administrator to verify your account.',
        });
      },
    );
  };
}
