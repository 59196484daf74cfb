import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { FastifyServerFactory } from 'fastify';

/**
 * An answer given before Fastify sees the request: true when it answered. Only for answers that
 * are the same bytes for everyone and already in memory (what a Varnish in front of the app would
 * serve); anything it does not recognise, or has no answer for yet, goes to Fastify as usual.
 */
export type FrontAnswer = (request: IncomingMessage, response: ServerResponse) => boolean;

/**
 * Fastify's server, with the front answers tried first. Fastify's own timeouts are applied as it
 * would apply them to a server it made itself.
 */
export function serverWithFront(fronts: () => FrontAnswer[]): FastifyServerFactory {
  return (handler, fastifyOptions) => {
    const options = fastifyOptions as {
      keepAliveTimeout?: number;
      requestTimeout?: number;
      connectionTimeout?: number;
    };
    let answers: FrontAnswer[] | undefined;
    const requestTimeout = options.requestTimeout ?? 0;
    const server: Server = createServer(
      {
        requestTimeout,
        // Node's own rule: headers within 60 s, and never later than the whole request.
        headersTimeout: requestTimeout > 0 ? Math.min(60_000, requestTimeout) : 60_000,
        // Overdue requests are found by a check every 30 s by default: a short timeout needs it sooner.
        connectionsCheckingInterval:
          requestTimeout > 0 ? Math.min(30_000, Math.max(100, Math.floor(requestTimeout / 4))) : 30_000,
      },
      (request, response) => {
        answers ??= fronts();
        // A URL with percent-escapes may decode to text the API refuses (a NUL): Fastify's checks
        // decide on it, never a front answer that would serve it the cached bytes.
        if (!request.url?.includes('%')) for (const answer of answers) if (answer(request, response)) return;
        handler(request, response);
      },
    );
    if (options.keepAliveTimeout !== undefined) server.keepAliveTimeout = options.keepAliveTimeout;
    if (options.connectionTimeout !== undefined) server.setTimeout(options.connectionTimeout);
    return server;
  };
}
