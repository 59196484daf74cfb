import { newId } from '../lib/ids.js';
import { requestAddress } from '../lib/requestAddress.js';
import { nowIso } from '../lib/time.js';
import { withRows } from './bulkInsert.js';
import type { Executor } from './database.js';

/** The API token a machine caller made a change with: it has no person to be the actor. */
export interface ApiTokenRef {
  id: string;
  name: string;
}

export interface AuditEntry {
  actorId: string | null;
  /** Kept in the entry's data as `apiToken`, so the audit page can say which token did it. */
  apiToken?: ApiTokenRef | null;
  action: string;
  subjectType?: string;
  subjectId?: string;
  data?: Record<string, unknown>;
  /** The client address of the request; by default the one being handled (none for the CLI and jobs). */
  ip?: string | null;
}

/** Written inside the use case's transaction, so the record exists exactly when the change does. */
export async function recordAudit(db: Executor, entry: AuditEntry): Promise<void> {
  await recordAudits(db, [entry]);
}

/** Many entries (a batch of ingested meetings), 100 rows a statement, in the order given. */
export async function recordAudits(db: Executor, entries: readonly AuditEntry[]): Promise<void> {
  const at = nowIso();
  const address = requestAddress();
  for (let i = 0; i < entries.length; i += 100) {
    await withRows(
      db,
      db.insertInto('audit_log'),
      entries.slice(i, i + 100).map((entry) => ({
        id: newId(),
        at,
        actor_id: entry.actorId,
        action: entry.action,
        subject_type: entry.subjectType ?? null,
        subject_id: entry.subjectId ?? null,
        data: dataOf(entry),
        ip: entry.ip ?? address,
      })),
    ).execute();
  }
}

function dataOf(entry: AuditEntry): string | null {
  const data = entry.apiToken ? { ...entry.data, apiToken: entry.apiToken } : entry.data;
  return data ? JSON.stringify(data) : null;
}

/** The newest entry of an action about one subject, with its actor's name: who did it, when. */
export async function latestAudit(
  db: Executor,
  props: { action: string; subjectType: string; subjectId: string },
): Promise<{ at: string; actorName: string | null; data: Record<string, unknown> } | undefined> {
  const row = await db
    .selectFrom('audit_log')
    .leftJoin('people', 'people.id', 'audit_log.actor_id')
    .select(['audit_log.at', 'audit_log.data', 'people.name as actor_name'])
    .where('audit_log.action', '=', props.action)
    .where('audit_log.subject_type', '=', props.subjectType)
    .where('audit_log.subject_id', '=', props.subjectId)
    .orderBy('audit_log.at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return undefined;
  let data: Record<string, unknown> = {};
  try {
    data = row.data ? (JSON.parse(row.data) as Record<string, unknown>) : {};
  } catch {
    // An entry whose data is not JSON says nothing more.
  }
  return { at: row.at, actorName: row.actor_name, data };
}
