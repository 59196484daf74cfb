import type { FastifyInstance, FastifyPluginAsync, FastifyReply } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { MAX_BODY_BYTES, Oversized } from './batch.js';
import { intra42Receiver, type Receipt } from './receive.js';

const ERROR_CODES: Record<number, string> = {
  401: 'unauthorized',
  409: 'conflict',
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
    const answer = (reply: FastifyReply, receipt: Receipt) => {
      const ok = receipt.status < 300;
      if (!ok && receipt.outcome === 'failed') {
        reply.header('retry-after', '60');
        // The sender only learns to retry: why it failed (the 42 API, the database) is for the log.
        reply.log.warn({ err: receipt.cause, status: receipt.status }, `42 delivery not stored: ${receipt.message}`);
      }
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
    };
    app.route({
      method: 'POST',
      url: '/webhooks/42',
      schema: { hide: true },
      // The secret (then model, event, delivery id) before the body is read: a request without
      // it is answered 401 whatever its body, and costs no parsing.
      onRequest: async (request, reply) => {
        const refused = receive.refuse(request.headers, request.ip);
        if (refused) return answer(reply, refused);
      },
      handler: async (request, reply) => answer(reply, await receive(request.headers, request.body ?? '', request.ip)),
      // Too large for the parser: recorded and answered like any refused delivery, not Fastify's 413.
      errorHandler: async (error, request, reply) => {
        if ((error as { code?: string }).code !== 'FST_ERR_CTP_BODY_TOO_LARGE') throw error;
        const said = Number(request.headers['content-length']);
        const body = new Oversized(Number.isSafeInteger(said) && said > 0 ? said : null);
        return answer(reply, await receive(request.headers, body, request.ip));
      },
    });
    // A probe of the address learns it takes POST only, not a page of the web app.
    app.get('/webhooks/42', { schema: { hide: true } }, async (_request, reply) =>
      reply
        .code(405)
        .header('allow', 'POST')
        .send({ error: { code: 'method_not_allowed', message: 'POST scale_team events here (docs/sources.md).' } }),
    );
  };
}
