/**
 * The one form of an e-mail address Convene stores and compares: surrounding spaces dropped and the
 * whole address in lower case.
 *
 * Every writer has stored this form since the first release (sign-up, the directory feed and chat
 * sync all trimmed and lower-cased), so comparing it exactly against the stored column needs no
 * migration, uses the unique index, and answers alike on SQLite and PostgreSQL — unlike SQL
 * `lower(email)`, which SQLite applies to ASCII letters only. The local part is lower-cased too:
 * no mail system an organisation runs tells `Ada@` from `ada@`, and two accounts for one inbox
 * are the bug this prevents.
 */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** `normaliseEmail` for optional values: empty or blank becomes null (no address). */
export function normaliseOptionalEmail(email: string | null | undefined): string | null {
  if (email === null || email === undefined) return null;
  return normaliseEmail(email) || null;
}

/** Usernames are stored and compared in lower case, without surrounding spaces. */
export function normaliseUsername(username: string): string {
  return username.trim().toLowerCase();
}
