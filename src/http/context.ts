import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { AccountLinkLimiter, SigninLimiter, VerificationCodeLimiter } from '../features/auth/rateLimit.js';
import type { RefusalLog } from '../features/ingest/refusals.js';
import type { PersonRow } from '../features/people/presenters.js';
import { forbidden, unauthorized } from '../lib/errors.js';

/** What every feature's routes receive: the shared services of this process. */
export interface AppContext {
  config: Config;
  database: Database;
  signinLimiter: SigninLimiter;
  codeLimiter: VerificationCodeLimiter;
  /** Forgot-password and verification links sent by e-mail. */
  linkLimiter: AccountLinkLimiter;
  /** Inbound deliveries refused before they were read (webhook and queue), counted for the admin. */
  inboundRefusals: RefusalLog;
}

export type AuthSource = 'cookie' | 'header';

declare module 'fastify' {
  interface FastifyRequest {
    person: PersonRow | null;
    authSource: AuthSource | null;
    sessionId: string | null;
    /** Username vouched for by a trusted proxy, whether or not Convene knows the person yet. */
    ssoUsername: string | null;
  }
}

export function requirePerson(request: FastifyRequest): PersonRow {
  if (!request.person) throw unauthorized();
  return request.person;
}

export function requireAdmin(request: FastifyRequest): PersonRow {
  const person = requirePerson(request);
  if (person.role !== 'admin') throw forbidden('Only administrators can do that.');
  return person;
}

/**
 * An administration context: the plugin's routes are registered behind one guard that admits
 * administrators only, before validation and before any handler — a route added there later cannot
 * forget it.
 */
export function adminOnly(plugin: FastifyPluginAsyncZod): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('onRequest', async (request) => {
      requireAdmin(request);
    });
    await app.register(plugin);
  };
}

export function isSecureRequest(request: FastifyRequest, config: Config): boolean {
  return request.protocol === 'https' || (config.publicUrl?.startsWith('https://') ?? false);
}

export const noContent = (reply: FastifyReply) => reply.code(204).send();
