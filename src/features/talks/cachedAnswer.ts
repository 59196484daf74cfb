import type { IncomingHttpHeaders } from 'node:http';
import { clientHas, pickRepresentation, type Representation } from '../../http/precompressed.js';
import type { CachedList } from './cache.js';

// JSON is UTF-8 by definition; RFC 8259 defines no charset parameter for it.
const JSON_TYPE = 'application/json';

/** The public feed: a shared cache (a CDN) may keep it as long as this process does. */
export const PUBLIC_CACHE_CONTROL = 'public, max-age=0, s-maxage=5, must-revalidate';
/** The feed's bytes depend on Accept-Encoding alone (never on a cookie). */
export const PUBLIC_VARY = 'Accept-Encoding';

export interface CachedAnswer {
  status: 200 | 304;
  /** The same object for every answer of one representation and status: never change it. */
  headers: Readonly<Record<string, string>>;
  /** null for 304. */
  body: Buffer | null;
}

export type AnswerFromCache = (entry: CachedList<unknown>, request: IncomingHttpHeaders) => CachedAnswer;

/**
 * What a cached list answers to a signed-out request: the bytes as they are, already compressed in
 * the encoding the client prefers (nothing serialised or compressed per request; they passed the
 * response schema when the cache was filled), or 304 when the client holds them already. One
 * function for the routes and for the front answer (frontFeed.ts), so they cannot drift apart.
 *
 * Each answer is built once per representation and kept with it (and dropped with it when the
 * list changes), so answering costs a negotiation and a lookup, not a set of new headers.
 * `fixed` headers (the front answer's security headers) come first.
 */
export function answerFromCache(
  cacheControl: string,
  vary: string,
  fixed: Readonly<Record<string, string>> = {},
): AnswerFromCache {
  const full = new WeakMap<Representation, CachedAnswer>();
  const notModified = new WeakMap<Representation, CachedAnswer>();
  const identity = new WeakMap<CachedList<unknown>, Representation>();

  const representationOf = (entry: CachedList<unknown>, accept: string | string[] | undefined) => {
    if (entry.encoded) return pickRepresentation(entry.encoded, accept);
    let only = identity.get(entry);
    if (!only) {
      only = { body: entry.body, etag: entry.etag, encoding: null };
      identity.set(entry, only);
    }
    return only;
  };

  return (entry, request) => {
    const chosen = representationOf(entry, request['accept-encoding']);
    const fresh = clientHas(request['if-none-match'], chosen.etag);
    const answers = fresh ? notModified : full;
    let answer = answers.get(chosen);
    if (!answer) {
      const headers: Record<string, string> = { ...fixed, etag: chosen.etag, 'cache-control': cacheControl, vary };
      if (fresh) answer = { status: 304, headers, body: null };
      else {
        headers['content-type'] = JSON_TYPE;
        if (chosen.encoding) headers['content-encoding'] = chosen.encoding;
        headers['content-length'] = String(chosen.body.length);
        answer = { status: 200, headers, body: chosen.body };
      }
      answers.set(chosen, answer);
    }
    return answer;
  };
}
