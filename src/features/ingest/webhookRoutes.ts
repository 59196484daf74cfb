import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { MAX_BODY_BYTES } from './batch.js';
import { intra42Receiver } from './receive.js';

const ERROR_CODES: Record<number, string> = {
  401: 'unauthorized',
  413: 'payload_too_large',
  422: 'unprocessable',
  502: 'bad_gateway',
  503: 'unavailable',
};

/**
 * POST /webhooks/42: the 42 intranet's scale_team webhooks. Outside /api/v1 on purpose: no session,
 * no CSRF token; the X-Secret header is the credential.
 */
export function intra42WebhookRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    const receive = intra42Receiver({ db: ctx.database.db, config: ctx.config, refusals: ctx.inboundRefusals });
    // Refusals counted since the last write are not lost with the process.
    app.addHook('onClose', async () => ctx.inboundRefusals.flush());
    // The body is parsed by the receiver, so malformed JSON is its 400 and not Fastify's.
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES }, (_request, body, done) =>
      done(null, body),
    );
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES }, (_r, body, done) =>
      done(null, body),
    );
    app.post('/webhooks/42', { schema: { hide: true } }, async (request, reply) => {
      const receipt = await receive(request.headers, request.body ?? '', request.ip);
      const ok = receipt.status < 300;
      if (!ok && receipt.outcome === 'failed') reply.header('retry-after', '60');
      return reply.code(receipt.status).send(
        ok
          ? { status: receipt.outcome, message: receipt.message, meetingId: receipt.meetingId ?? null }
          : {
              error: {
                code: ERROR_CODES[receipt.status] ?? 'bad_request',
                message: receipt.message,
                field: receipt.field,
              },
            },
      );
    });
  };
}
