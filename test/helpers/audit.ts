import type { Db } from '../../src/db/database.js';

/** The audit actions recorded about one subject (a meeting, a person), oldest first. */
export async function auditActionsOf(db: Db, subjectId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('audit_log')
    .select('action')
    .where('subject_id', '=', subjectId)
    .orderBy('at')
    .execute();
  return rows.map((r) => r.action);
}
