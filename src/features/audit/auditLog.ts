import type { z } from 'zod';
import type { AuditEntryView, auditQuery } from '../../contract/audit.js';
import type { Db } from '../../db/database.js';
import { likeText } from '../../db/like.js';
import { badRequest } from '../../lib/errors.js';
import { findPeopleBy, findPersonByLogin } from '../people/queries.js';

type Query = z.infer<typeof auditQuery>;

/** The audit log, newest first, filtered by action (or prefix), actor, subject and time. Read-only. */
export async function readAuditLog(db: Db, query: Query): Promise<{ entries: AuditEntryView[]; total: number }> {
  let base = db.selectFrom('audit_log');
  if (query.action) base = base.where(likeText('action', query.action, 'start'));
  if (query.actor) {
    const actor = await findPersonByLogin(db, query.actor);
    if (!actor) throw badRequest(`actor: nobody has the username or e-mail "${query.actor}"`, 'actor');
    base = base.where('actor_id', '=', actor.id);
  }
  if (query.subjectId) base = base.where('subject_id', '=', query.subjectId);
  if (query.since) base = base.where('at', '>=', new Date(query.since).toISOString());
  if (query.until) base = base.where('at', '<', new Date(query.until).toISOString());
  const [rows, count] = await Promise.all([
    base.selectAll().orderBy('at', 'desc').orderBy('id').limit(query.limit).offset(query.offset).execute(),
    base.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const actors = new Map(
    (
      await findPeopleBy(
        db,
        'id',
        rows.flatMap((row) => (row.actor_id ? [row.actor_id] : [])),
      )
    ).map((p) => [p.id, { id: p.id, name: p.name, username: p.username }]),
  );
  return {
    total: Number(count.n),
    entries: rows.map((row) => {
      const data = row.data ? (JSON.parse(row.data) as Record<string, unknown>) : null;
      return {
        id: row.id,
        at: row.at,
        actor: row.actor_id ? (actors.get(row.actor_id) ?? null) : null,
        apiToken: apiTokenOf(data),
        action: row.action,
        subjectType: row.subject_type,
        subjectId: row.subject_id,
        data,
        ip: row.ip,
      };
    }),
  };
}

/** The token recordAudit keeps in the data of a change made through the API (src/db/audit.ts). */
function apiTokenOf(data: Record<string, unknown> | null): AuditEntryView['apiToken'] {
  const token = data?.apiToken as { id?: unknown; name?: unknown } | undefined;
  return typeof token?.id === 'string' && typeof token.name === 'string' ? { id: token.id, name: token.name } : null;
}
