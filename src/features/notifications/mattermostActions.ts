import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Executor } from '../../db/database.js';
import type { AppContext } from '../../http/context.js';
import { commonErrors } from '../../http/errorShape.js';
import { MattermostFailure, mattermostClient } from '../../integrations/mattermost.js';
import { AppError, forbidden } from '../../lib/errors.js';
import { checkFeedbackToken, recordFeedback } from '../meetings/feedback.js';
import { findPersonByEmail } from '../people/queries.js';
import { signingKey } from '../settings/service.js';
import { loadChannels } from './channels.js';

/** What Mattermost POSTs when someone clicks a button; fields we do not use are dropped. */
export const mattermostActionBody = z.object({
  user_id: z.string().min(1).max(64),
  context: z.object({
    meetingId: z.string().min(1).max(64),
    answer: z.enum(['yes', 'no']),
    sig: z.string().min(1).max(128),
  }),
});

const actionAnswer = z.object({ ephemeral_text: z.string() });

/**
 * A click on a follow-up's Yes / No. The signature proves the buttons are ours (for this meeting);
 * who clicked comes from Mattermost, and only a participant's answer is recorded.
 */
export async function answerMattermostAction(
  db: Executor,
  body: z.infer<typeof mattermostActionBody>,
): Promise<{ ephemeral_text: string }> {
  const { meetingId, answer, sig } = body.context;
  if (!checkFeedbackToken(await signingKey(db), meetingId, '*', sig)) {
    throw forbidden('This button’s signature is not valid.');
  }
  const settings = (await loadChannels(db)).find((c) => c.channel === 'mattermost');
  if (!settings?.settings.url || !settings.secrets.token) {
    return { ephemeral_text: 'Mattermost is no longer set up in Convene, so your answer could not be recorded.' };
  }
  const mm = mattermostClient({ url: settings.settings.url, token: settings.secrets.token, timeoutMs: 5000 });
  let email: string | undefined;
  try {
    email = (await mm.user(body.user_id))?.email;
  } catch (error) {
    if (!(error instanceof MattermostFailure)) throw error;
    return { ephemeral_text: 'Convene could not check who you are on Mattermost just now. Please try again later.' };
  }
  const person = email ? await findPersonByEmail(db, email) : undefined;
  if (!person) return { ephemeral_text: 'Only the people in this meeting can answer, and Convene does not know you.' };
  try {
    await recordFeedback(db, { meetingId, personId: person.id, answer, via: 'mattermost' });
  } catch (error) {
    if (error instanceof AppError && (error.code === 'forbidden' || error.code === 'not_found')) {
      return { ephemeral_text: `Sorry, ${person.name}: only the people in this meeting can answer.` };
    }
    throw error;
  }
  return {
    ephemeral_text:
      answer === 'yes'
        ? `Thanks, ${person.name}! Glad you met.`
        : `Thanks, ${person.name}. Noted that you did not meet this time.`,
  };
}

/** No session or CSRF token here: Mattermost's server calls it, and the signature authenticates it. */
export function mattermostActionRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/integrations/mattermost/actions',
      {
        schema: {
          tags: ['integrations'],
          body: mattermostActionBody,
          response: { 200: actionAnswer, ...commonErrors },
        },
      },
      async (request) => answerMattermostAction(ctx.database.db, request.body),
    );
  };
}
