import type { IncomingHttpHeaders } from 'node:http';
import { clientHas, pickRepresentation } from '../../http/precompressed.js';
import type { CachedList } from './cache.js';

// JSON is UTF-8 by definition; RFC 8259 defines no charset parameter for it.
const JSON_TYPE = 'application/json';

/** The public feed: a shared cache (a CDN) may keep it as long as this process does. */
export const PUBLIC_CACHE_CONTROL = 'public, max-age=0, s-maxage=5, must-revalidate';

export interface CachedAnswer {
  status: 200 | 304;
  headers: Record<string, string>;
  /** null for 304. */
  body: Buffer | null;
}

/**
 * What a cached list answers to a signed-out request: the bytes as they are, already compressed in
 * the encoding the client prefers (nothing serialised or compressed per request; they passed the
 * response schema when the cache was filled), or 304 when the client holds them already. One
 * function for the route and for the front answer (frontFeed.ts), so the two cannot drift apart.
 */
export function cachedAnswer(
  entry: CachedList<unknown>,
  request: IncomingHttpHeaders,
  cacheControl: string,
  vary: string,
): CachedAnswer {
  const chosen = entry.encoded
    ? pickRepresentation(entry.encoded, request['accept-encoding'])
    : { body: entry.body, etag: entry.etag, encoding: null };
  const headers: Record<string, string> = { etag: chosen.etag, 'cache-control': cacheControl, vary };
  if (clientHas(request['if-none-match'], chosen.etag)) return { status: 304, headers, body: null };
  headers['content-type'] = JSON_TYPE;
  if (chosen.encoding) headers['content-encoding'] = chosen.encoding;
  return { status: 200, headers, body: chosen.body };
}
