import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../db/database.js';
import type { FrontAnswer } from '../../http/front.js';
import { listCacheFor } from './cache.js';
import { answerFromCache, PUBLIC_CACHE_CONTROL, PUBLIC_VARY } from './cachedAnswer.js';

const LOGS_REQUESTS = new Set(['info', 'debug', 'trace']);

/** Exactly the route's path (no trailing slash, as Fastify routes it), with any query string. */
const FEED_PATH = /^\/public\/talks\/events\/([A-Za-z0-9_-]{1,64})\/proposals(?:\?|$)/;

/**
 * The public proposal list, answered from the cache before Fastify when the event's list is in it:
 * the one answer that is the same bytes for every signed-out visitor and is asked for most, so it
 * skips routing, hooks and the reply pipeline (what lightning-talks needed a Varnish for). The
 * headers and bytes are the route's own (cachedAnswer), with the data security headers. A list not
 * yet in the cache, a bad id or any other request goes to the route, which fills the cache.
 */
export function frontFeed(db: Db, securityHeaders: Record<string, string>, log: FastifyBaseLogger): FrontAnswer {
  const cache = listCacheFor(db);
  const answer = answerFromCache(PUBLIC_CACHE_CONTROL, PUBLIC_VARY, securityHeaders);
  return (request, response) => {
    if (request.method !== 'GET') return false;
    const match = FEED_PATH.exec(request.url ?? '');
    const entry = match && cache.peek(match[1]!);
    if (!entry) return false;
    const started = LOGS_REQUESTS.has(log.level) ? performance.now() : 0;
    const { status, headers, body } = answer(entry, request.headers);
    response.writeHead(status, headers);
    response.end(body ?? undefined);
    // The access log line Fastify would have written, for the same operators' view.
    if (started)
      log.info(
        {
          req: { method: request.method, url: request.url, remoteAddress: request.socket.remoteAddress },
          res: { statusCode: status },
          responseTime: performance.now() - started,
          answeredBy: 'front cache',
        },
        'request completed',
      );
    return true;
  };
}
