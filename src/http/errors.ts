import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isBusy } from '../db/errors.js';
import { reportError } from '../lib/errorReports.js';
import { AppError } from '../lib/errors.js';
import { issuePath } from '../lib/zodMessage.js';

const pathFromPointer = (pointer: string): string =>
  issuePath(
    pointer
      .split('/')
      .filter(Boolean)
      .map((part) => (/^\d+$/.test(part) ? Number(part) : part)),
  );

const fastifyCodes: Record<number, string> = {
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

const partName: Record<string, string> = { body: 'body', querystring: 'query', params: 'path', headers: 'header' };

/**
 * One shape for every error: `{ error: { code, message, field? } }`. Validation failures name the
 * field; anything unexpected is logged and answered with a generic 500 that leaks nothing.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) {
      for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
      return reply.code(error.status).send({ error: { code: error.code, message: error.message, field: error.field } });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const first = error.validation[0];
      // A key the schema does not know is named by the key itself, not by the object holding it.
      const unknown =
        first?.keyword === 'unrecognized_keys' ? (first.params as { keys?: string[] }).keys?.[0] : undefined;
      const pointer = unknown === undefined ? (first?.instancePath ?? '') : `${first?.instancePath ?? ''}/${unknown}`;
      const path = first ? pathFromPointer(pointer) : '';
      const where = partName[error.validationContext ?? 'body'] ?? 'body';
      const message = path
        ? `${path}: ${first?.message ?? 'is invalid'}`
        : `The request ${where} is not valid: ${first?.message ?? 'expected a JSON object'}.`;
      return reply.code(400).send({ error: { code: 'bad_request', message, field: path || undefined } });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // Fastify's own 4xx (malformed or empty JSON, unsupported media type, body too large…) get the
      // API's codes, not Fastify's internal ones (FST_ERR_…).
      const code = fastifyCodes[status] ?? 'bad_request';
      const message = status === 415 ? mediaTypeAnswer(request) : error.message;
      return reply.code(status).send({ error: { code, message } });
    }
    if (isBusy(error)) {
      // SQLite's write lock held past the busy timeout by another process: nothing was written
      // (the transaction rolled back), and the same request a moment later goes through.
      request.log.warn({ err: error }, 'database busy');
      return reply
        .code(503)
        .header('retry-after', '2')
        .send({ error: { code: 'busy', message: 'The database is busy; send the request again in a moment.' } });
    }
    request.log.error({ err: error }, 'request failed');
    // The route's pattern, not its URL: no ids, codes or addresses from the path.
    reportError(error, { request: { method: request.method, url: request.routeOptions.url ?? 'unmatched' } });
    return reply
      .code(500)
      .send({ error: { code: 'internal', message: 'Something went wrong on our side. It has been logged.' } });
  });
}

/**
 * A 415 says what to send: the types the route takes (its schema's `consumes`; JSON otherwise), and
 * what came instead (no Content-Type at all, or another, such as the form type curl -d sends).
 */
function mediaTypeAnswer(request: FastifyRequest): string {
  const consumes = (request.routeOptions.schema as { consumes?: string[] } | undefined)?.consumes;
  const wanted = consumes?.length
    ? `send the body with Content-Type ${consumes.join(', ')}`
    : 'send the body as JSON, with the header Content-Type: application/json';
  const sent = request.headers['content-type']?.split(';')[0]?.trim();
  return sent
    ? `The request's Content-Type ${JSON.stringify(sent.slice(0, 60))} is not accepted here: ${wanted}.`
    : `The request has a body but no Content-Type header: ${wanted}.`;
}

/**
 * Fastify's router answers a path it cannot decode (`%E0%A4%A`) or a path parameter longer than
 * its limit itself, in its own shape (FST_ERR_BAD_URL, FST_ERR_MAX_PARAM_LENGTH): given as the
 * server's `frameworkErrors`, this answers them in the API's shape instead.
 */
export function frameworkErrorAnswer(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const message =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? 'The path is not valid: one of its parts is too long.'
      : error.code === 'FST_ERR_BAD_URL'
        ? 'The path is not valid: it is not correctly percent-encoded.'
        : 'The request could not be routed.';
  request.log.info({ code: error.code }, 'request refused by the router');
  void reply.code(400).send({ error: { code: 'bad_request', message } });
}
