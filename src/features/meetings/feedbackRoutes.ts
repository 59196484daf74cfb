import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type AppContext, requirePerson } from '../../http/context.js';
import { commonErrors } from '../../http/errorShape.js';
import { badRequest, forbidden } from '../../lib/errors.js';
import { signingKey } from '../settings/service.js';
import { checkFeedbackToken, recordFeedback } from './feedback.js';

const params = z.object({ id: z.string().min(1).max(64) }).strict();
const body = z
  .object({
    answer: z.enum(['yes', 'no']),
    /** With a token from a follow-up e-mail: whose answer it is. Without: the signed-in person's. */
    person: z.string().min(1).max(64).optional(),
    token: z.string().min(1).max(128).optional(),
  })
  .strict();
const answered = z.object({ feedback: z.object({ meetingId: z.string(), answer: z.enum(['yes', 'no']) }) });

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
      { schema: { tags: ['meetings'], params, body, response: { 200: answered, ...commonErrors } } },
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
