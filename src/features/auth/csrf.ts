import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../lib/errors.js';
import { constantTimeEqual, newToken } from '../../lib/ids.js';

export const CSRF_COOKIE = 'convene_csrf';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Gives every browser a CSRF token cookie the page's script can read and echo back. */
export function issueCsrfCookie(request: FastifyRequest, reply: FastifyReply, secure: boolean): void {
  if (request.cookies[CSRF_COOKIE]) return;
  reply.setCookie(CSRF_COOKIE, newToken(), { path: '/', sameSite: 'lax', secure, httpOnly: false });
}

/**
 * Double-submit check. It applies to requests authenticated by something the browser attaches on
 * its own (the session cookie, or a proxy's SSO header); a request with no such credential
 * cannot act as anyone, so there is nothing to forge.
 */
export function checkCsrf(request: FastifyRequest): void {
  if (SAFE_METHODS.has(request.method) || !request.authSource) return;
  const cookie = request.cookies[CSRF_COOKIE];
  const header = request.headers[CSRF_HEADER];
  if (!cookie || typeof header !== 'string' || !constantTimeEqual(cookie, header)) {
    throw new AppError(
      'forbidden',
      `Missing or wrong CSRF token: send the ${CSRF_COOKIE} cookie's value in the ${CSRF_HEADER} header.`,
    );
  }
}
