import type { FastifyRequest } from 'fastify';
import type { API_SCOPES } from '../../contract/ingest.js';
import { type ApiTokenRef, recordAudit } from '../../db/audit.js';
import type { Db } from '../../db/database.js';
import { conflict, forbidden, notFound, unauthorized } from '../../lib/errors.js';
import { constantTimeEqual, hashToken, newId, newToken } from '../../lib/ids.js';

/** What a token may be given; a route that accepts tokens names the one it needs. */
export type ApiScope = (typeof API_SCOPES)[number];

/** A machine caller, authenticated by `Authorization: Bearer <token>`. */
export interface ApiCaller {
  tokenId: string;
  name: string;
  scopes: string[];
  /** The sources it may use; null: any the meetings API accepts. */
  sources: string[] | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    apiCaller: ApiCaller | null;
  }
}

const PREFIX = 'cvn_';
/** Last use is written at most this often per token: one write a minute, not one per request. */
const LAST_USED_EVERY_MS = 60_000;

export interface ApiTokenView {
  id: string;
  name: string;
  scopes: string[];
  /** The sources it may use; null: any the meetings API accepts. */
  sources: string[] | null;
  createdAt: string;
  createdBy: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const view = (row: {
  id: string;
  name: string;
  scopes: string;
  sources: string | null;
  created_at: string;
  created_by: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}): ApiTokenView => ({
  id: row.id,
  name: row.name,
  scopes: JSON.parse(row.scopes) as string[],
  sources: parseSources(row.sources),
  createdAt: row.created_at,
  createdBy: row.created_by,
  lastUsedAt: row.last_used_at,
  revokedAt: row.revoked_at,
});

const parseSources = (stored: string | null): string[] | null =>
  stored === null ? null : (JSON.parse(stored) as string[]);

/** Names compare as people read them: "HR tool", "hr tool" and " HR  tool " are one name. */
const sameName = (a: string, b: string) =>
  a.trim().replace(/\s+/g, ' ').toLocaleLowerCase('en') === b.trim().replace(/\s+/g, ' ').toLocaleLowerCase('en');

/**
 * Makes a token; the token itself is in the answer only, never stored (its sha256 is). Its name is
 * how the list, the revoke dialog and the audit log tell tokens apart, so two active tokens never
 * share one (case and spaces aside): a 409 naming `name`. A revoked token's name may be used again.
 */
export async function createApiToken(props: {
  db: Db;
  name: string;
  scopes: ApiScope[];
  /** The sources it may use (checked as the meetings API checks `{source}`); none or empty: any. */
  sources?: string[] | null;
  actorId: string;
}): Promise<{ token: string; apiToken: ApiTokenView }> {
  const token = `${PREFIX}${newToken()}`;
  const scopes = [...new Set(props.scopes)];
  const sources = props.sources?.length ? [...new Set(props.sources)] : null;
  const row = {
    id: newId(),
    name: props.name,
    token_hash: hashToken(token),
    scopes: JSON.stringify(scopes),
    sources: sources && JSON.stringify(sources),
    created_by: props.actorId,
    created_at: new Date().toISOString(),
    last_used_at: null,
    revoked_at: null,
  };
  await props.db.transaction().execute(async (trx) => {
    // Admins make a handful of tokens: the active names are few, and compared here as sameName says.
    const active = await trx.selectFrom('api_tokens').select('name').where('revoked_at', 'is', null).execute();
    const taken = active.find((other) => sameName(other.name, props.name));
    if (taken)
      throw conflict(
        `name: An active token is already called “${taken.name}”: give this one another name, or revoke that one first.`,
        'name',
      );
    await trx.insertInto('api_tokens').values(row).execute();
    await recordAudit(trx, {
      actorId: props.actorId,
      action: 'api_token.create',
      subjectType: 'api_token',
      subjectId: row.id,
      // The list itself, not its stored text: the audit log shows ["meetings:write"], not a quoted string.
      // sources null: any source.
      data: { name: row.name, scopes, sources },
    });
  });
  return { token, apiToken: view(row) };
}

export async function listApiTokens(db: Db): Promise<ApiTokenView[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'scopes', 'sources', 'created_at', 'created_by', 'last_used_at', 'revoked_at'])
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map(view);
}

export async function revokeApiToken(props: { db: Db; id: string; actorId: string }): Promise<ApiTokenView> {
  return props.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('api_tokens').selectAll().where('id', '=', props.id).executeTakeFirst();
    if (!row) throw notFound('No such API token.');
    if (!row.revoked_at) {
      row.revoked_at = new Date().toISOString();
      await trx.updateTable('api_tokens').set({ revoked_at: row.revoked_at }).where('id', '=', row.id).execute();
      await recordAudit(trx, {
        actorId: props.actorId,
        action: 'api_token.revoke',
        subjectType: 'api_token',
        subjectId: row.id,
        data: { name: row.name },
      });
    }
    return view(row);
  });
}

/**
 * The caller a bearer token names, or null. Looked up by its hash (the index finds the row) and
 * compared again in constant time; a revoked token is nobody.
 */
export async function callerForToken(db: Db, token: string, now = new Date()): Promise<ApiCaller | null> {
  if (!token.startsWith(PREFIX) || token.length > 200) return null;
  const hashed = hashToken(token);
  const row = await db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'scopes', 'sources', 'token_hash', 'last_used_at', 'revoked_at'])
    .where('token_hash', '=', hashed)
    .executeTakeFirst();
  if (!row || row.revoked_at || !constantTimeEqual(row.token_hash, hashed)) return null;
  if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) >= LAST_USED_EVERY_MS) {
    await db.updateTable('api_tokens').set({ last_used_at: now.toISOString() }).where('id', '=', row.id).execute();
  }
  return {
    tokenId: row.id,
    name: row.name,
    scopes: JSON.parse(row.scopes) as string[],
    sources: parseSources(row.sources),
  };
}

/**
 * For routes that accept tokens: a token caller must hold the scope; a signed-in admin may too. Who
 * it is, for the audit: the admin, or the token (no person).
 */
export function requireScope(
  request: FastifyRequest,
  scope: ApiScope,
): { actorId: string | null; apiToken: ApiTokenRef | null } {
  if (request.apiCaller) {
    if (!request.apiCaller.scopes.includes(scope)) throw forbidden(`This token lacks the ${scope} scope.`);
    return { actorId: null, apiToken: { id: request.apiCaller.tokenId, name: request.apiCaller.name } };
  }
  if (request.person?.role === 'admin') return { actorId: request.person.id, apiToken: null };
  if (request.person) throw forbidden('Only administrators and API tokens can do that.');
  throw unauthorized('Send an API token: Authorization: Bearer <token>.');
}

/**
 * For routes about one source's meetings: a token limited to some sources may use only those (a
 * 403 naming them); a token without a limit, and a signed-in admin, may use any.
 */
export function requireSource(request: FastifyRequest, source: string): void {
  const allowed = request.apiCaller?.sources;
  if (!allowed || allowed.includes(source)) return;
  const list = allowed.map((s) => `“${s}”`).join(', ');
  throw forbidden(
    `This token may only be used for the source${allowed.length === 1 ? '' : 's'} ${list}, not “${source}”.`,
  );
}

export function bearerToken(request: FastifyRequest): string | null {
  const value = request.headers.authorization;
  if (typeof value !== 'string') return null;
  const match = /^Bearer\s+(\S+)$/i.exec(value);
  return match?.[1] ?? null;
}
