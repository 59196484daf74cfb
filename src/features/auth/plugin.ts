import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { isSecureRequest } from '../../http/context.js';
import { unauthorized } from '../../lib/errors.js';
import { findPersonByUsername } from '../people/queries.js';
import { bearerToken, callerForToken } from './apiTokens.js';
import { checkCsrf, issueCsrfCookie } from './csrf.js';
import { personForSession, SESSION_CHANGES, SESSION_COOKIE, SessionCache } from './sessions.js';
import { cleanHeaderUsername, proxyMatcher } from './trustedHeader.js';

/** Decorates every request with the signed-in person, once, before any route runs. */
export function registerAuthentication(app: FastifyInstance, ctx: AppContext): void {
  const { db } = ctx.database;
  const headerName = ctx.config.auth.header?.toLowerCase();
  const fromTrustedProxy = proxyMatcher(ctx.config.auth.trustedProxies);
  const changeStamp = ctx.database.changeStamp?.(SESSION_CHANGES);
  const sessions = changeStamp ? new SessionCache(changeStamp) : undefined;

  app.decorateRequest('person', null);
  app.decorateRequest('authSource', null);
  app.decorateRequest('sessionId', null);
  app.decorateRequest('ssoUsername', null);
  app.decorateRequest('apiCaller', null);

  // Pages, assets and the public feed carry no credentials to look up: they pass without a promise.
  app.addHook('onRequest', (request, reply, done) => {
    if (!request.url.startsWith('/api/')) return done();
    authenticate(request, reply).then(() => done(), done);
  });

  async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    // An API token is the whole credential: no session, and no CSRF (nothing a browser attaches).
    const bearer = bearerToken(request);
    if (bearer) {
      request.apiCaller = await callerForToken(db, bearer);
      if (!request.apiCaller) throw unauthorized('The API token is unknown or revoked.');
      return;
    }
    issueCsrfCookie(request, reply, isSecureRequest(request, ctx.config));

    // The header is honoured only from the proxy's own address; from anyone else it is ignored.
    if (headerName && fromTrustedProxy(request.socket.remoteAddress)) {
      const username = cleanHeaderUsername(request.headers[headerName]);
      if (username) {
        request.ssoUsername = username;
        const person = await findPersonByUsername(db, username);
        if (person && person.enabled === 1) {
          request.person = person;
          request.authSource = 'header';
        }
      }
    }
    const token = request.cookies[SESSION_COOKIE];
    if (!request.person && token) {
      const found = await personForSession(db, token, sessions);
      if (found) {
        request.person = found.person;
        request.sessionId = found.sessionId;
        request.authSource = 'cookie';
      }
    }
    checkCsrf(request);
  }
}
