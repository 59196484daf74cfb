import { createHmac } from 'node:crypto';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../http/context.js';
import { findBadText } from '../../http/textGuard.js';
import { slackUserEmail } from '../../integrations/slack.js';
import { AppError, unauthorized } from '../../lib/errors.js';
import { constantTimeEqual } from '../../lib/ids.js';
import { issuePath } from '../../lib/zodMessage.js';
import { recordFeedback } from '../meetings/feedback.js';
import { loadChannels } from './channels.js';

/** Slack's advice: refuse requests signed more than five minutes from now (replays). */
export const SLACK_MAX_SKEW_SECONDS = 5 * 60;

export function slackSignature(signingSecret: string, timestamp: string, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

/** Checks X-Slack-Signature over the exact bytes received; throws 401 when it does not hold. */
export function verifySlackRequest(
  signingSecret: string,
  headers: FastifyRequest['headers'],
  rawBody: string,
  now = Date.now(),
): void {
  const timestamp = headers['x-slack-request-timestamp'];
  const signature = headers['x-slack-signature'];
  if (typeof timestamp !== 'string' || !/^\d{1,12}$/.test(timestamp) || typeof signature !== 'string')
    throw unauthorized('Missing Slack signature headers.');
  if (Math.abs(now / 1000 - Number(timestamp)) > SLACK_MAX_SKEW_SECONDS)
    throw unauthorized('The Slack request timestamp is too far from now.');
  if (!constantTimeEqual(slackSignature(signingSecret, timestamp, rawBody), signature))
    throw unauthorized('The Slack signature does not match.');
}

/** The part of Slack's interaction payload this endpoint reads; other fields are let through. */
const blockAction = z.object({
  type: z.string().optional(),
  response_url: z.string().optional(),
  user: z.object({ id: z.string().optional() }).optional(),
  actions: z.array(z.object({ action_id: z.string().optional(), value: z.string().optional() })).optional(),
});
type BlockAction = z.infer<typeof blockAction>;

/** The signed body's `payload` field, parsed; a 400 naming the part that is not what Slack sends. */
function parsePayload(raw: string): BlockAction {
  let json: unknown;
  try {
    json = JSON.parse(new URLSearchParams(raw).get('payload') ?? '');
  } catch {
    throw new AppError('bad_request', 'payload: must be the JSON Slack sends.', 'payload');
  }
  const parsed = blockAction.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issuePath(['payload', ...(issue?.path ?? [])]);
    throw new AppError('bad_request', `${field}: ${issue?.message ?? 'is not what Slack sends'}`, field);
  }
  const bad = findBadText(parsed.data);
  if (bad) {
    const field = bad.path ? `payload.${bad.path}` : 'payload';
    throw new AppError('bad_request', `${field}: ${bad.problem}`, field);
  }
  return parsed.data;
}

const ANSWERS: Record<string, 'yes' | 'no'> = { convene_met_yes: 'yes', convene_met_no: 'no' };

/**
 * Slack shows nothing for the JSON an interactivity request answers with: the clicking person
 * learns what happened from a message sent to the click's response_url, seen only by them. Sent
 * without waiting (Slack wants its answer within 3 s); a lost one costs only the confirmation.
 */
function tellClicker(responseUrl: string | undefined, text: string): void {
  if (!responseUrl || !/^https?:\/\//.test(responseUrl)) return;
  fetch(responseUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text }),
    signal: AbortSignal.timeout(5000),
  }).catch(() => {});
}

/**
 * Slack's interactivity endpoint: the Yes/No buttons of a follow-up post here. Outside cookie
 * sign-in and CSRF (Slack's servers carry neither): the signing secret is the authentication.
 * Answers 200 quickly once the request is Slack's, whatever the click turns out to mean, since
 * Slack shows the clicking person an error for anything else.
 */
export function slackInteractionRoutes(ctx: AppContext): FastifyPluginAsync {
  const { db } = ctx.database;
  return async (app: FastifyInstance) => {
    // The signature covers the raw bytes: keep every body as text in this plugin (encapsulated).
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string' }, (_request, text, done) => done(null, text));

    app.post('/integrations/slack/interactions', { schema: { hide: true } }, async (request, reply) => {
      const slack = (await loadChannels(db)).find((c) => c.channel === 'slack' && c.enabled);
      const secret = slack?.secrets.signingSecret;
      if (!slack || !secret) throw new AppError('not_found', 'Slack interactivity is not configured.');
      const raw = typeof request.body === 'string' ? request.body : '';
      verifySlackRequest(secret, request.headers, raw);

      const payload = parsePayload(raw);
      const action = payload.actions?.find((a) => a.action_id && a.action_id in ANSWERS);
      const userId = payload.user?.id;
      if (payload.type !== 'block_actions' || !action?.value || !userId) return reply.send({ ok: true, ignored: true });

      const token = slack.secrets.token;
      const email = token
        ? await slackUserEmail(
            { token, apiUrl: slack.settings.apiUrl ?? ctx.config.notifications.slack.apiUrl },
            userId,
          ).catch(() => null)
        : null;
      const person = email
        ? await db
            .selectFrom('people')
            .select('id')
            .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
            .where('enabled', '=', 1)
            .executeTakeFirst()
        : undefined;
      if (!person) {
        tellClicker(
          payload.response_url,
          'Convene could not match your Slack account to a person in its directory, so your answer was not saved.',
        );
        return reply.send({ ok: false, reason: 'unknown_user' });
      }
      const answer = ANSWERS[action.action_id as string] as 'yes' | 'no';
      try {
        await recordFeedback(db, { meetingId: action.value, personId: person.id, answer, via: 'slack' });
      } catch (error) {
        if (error instanceof AppError) {
          tellClicker(payload.response_url, 'Only the people in this meeting can say whether it took place.');
          return reply.send({ ok: false, reason: error.code });
        }
        throw error;
      }
      tellClicker(
        payload.response_url,
        answer === 'yes'
          ? 'Thanks! Noted: you met. (Changed your mind? Press the other button.)'
          : 'Thanks! Noted: you didn’t meet. (Changed your mind? Press the other button.)',
      );
      return reply.send({ ok: true });
    });
  };
}
