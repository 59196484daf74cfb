/**
 * Recognises database errors the code handles on purpose, on both engines: SQLite's messages and
 * PostgreSQL's SQLSTATE codes.
 */
export function isUniqueViolation(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  return code === '23505' || /UNIQUE constraint failed|duplicate key value/i.test(String(message ?? ''));
}

/** SQLite refuses a second writer at once instead of queueing it; the caller may wait and retry. */
export function isBusy(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  return /^SQLITE_BUSY/.test(code ?? '') || /database is locked/i.test(String(message ?? ''));
}
