import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * The security headers every answer carries, worked out once by helmet at start-up. The headers
 * never vary per request, and building helmet's middleware per request (as @fastify/helmet does)
 * cost more than everything else a cached answer does.
 */
export function fixedSecurityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: unknown) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  let done = false;
  helmet(options)({} as never, response as never, () => {
    done = true;
  });
  if (!done) throw new Error('helmet did not finish synchronously');
  return headers;
}

/**
 * The headers of an answer that is data (JSON, CSV, ICS), never a page: there are no scripts,
 * styles, frames, links or subresources for a document policy or a referrer policy to govern, so
 * what is left is refusing to be sniffed or rendered as a page, or framed (OWASP's set for REST
 * answers), and HSTS when the site is on HTTPS. Every header costs each client on each answer,
 * and the public feed is answered many thousand times a second.
 */
export function dataSecurityHeaders(documentHeaders: Record<string, string>): Record<string, string> {
  const headers: Record<string, string> = {
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
  };
  const hsts = documentHeaders['strict-transport-security'];
  if (hsts) headers['strict-transport-security'] = hsts;
  return headers;
}

/** Answers under these prefixes are data; everything else may be a page of the web app. */
const isDataUrl = (url: string) => url.startsWith('/api/') || url.startsWith('/public/');

export interface SecurityHeaders {
  /** For pages of the web app (helmet's document policy). */
  page: Record<string, string>;
  /** For data answers (see dataSecurityHeaders). */
  data: Record<string, string>;
}

export function securityHeaders(options: HelmetOptions): SecurityHeaders {
  const page = fixedSecurityHeaders(options);
  return { page, data: dataSecurityHeaders(page) };
}

export function registerSecurityHeaders(app: FastifyInstance, { page, data }: SecurityHeaders): void {
  // A callback hook rather than an async one: no promise and no microtask on every request.
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(isDataUrl(request.url) ? data : page);
    done();
  });
}
