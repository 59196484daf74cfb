import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { feedbackBody, feedbackEnvelope, feedbackParams } from '../../contract/meetings.js';
import { type AppContext, requirePerson } from '../../http/context.js';
import { commonErrors } from '../../http/errorShape.js';
import { badRequest, forbidden } from '../../lib/errors.js';
import { signingKey } from '../settings/service.js';
import { checkFeedbackToken, recordFeedback } from './feedback.js';

/**
 * "Did you meet?" answers from the web: the page a follow-up's one-click link opens posts here
 * (a GET never records anything, since mail scanners open links), and so can a signed-in
 * participant. The token authenticates on its own, so no sign-in is needed with it.
 */
export function feedbackRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const { db } = ctx.database;
  return async (app) => {
    app.post(
      '/meetings/:id/feedback',
      {
        schema: {
          tags: ['meetings'],
          params: feedbackParams,
          body: feedbackBody,
          response: { 200: feedbackEnvelope, ...commonErrors },
        },
      },
      async (request) => {
        const meetingId = request.params.id;
        const { answer, person, token } = request.body;
        let personId: string;
        if (token !== undefined || person !== undefined) {
          if (!token) throw badRequest('token: is required with person', 'token');
          if (!person) throw badRequest('person: is required with token', 'person');
          if (!checkFeedbackToken(await signingKey(db), meetingId, person, token))
            throw forbidden('This answer link is not valid for this meeting.');
          personId = person;
        } else {
          personId = requirePerson(request).id;
        }
        await recordFeedback(db, { meetingId, personId, answer, via: token ? 'email' : 'web' });
        return { feedback: { meetingId, answer } };
      },
    );
  };
}
