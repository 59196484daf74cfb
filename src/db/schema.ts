/**
 * Table types for Kysely. Conventions shared by both engines: ids are random text, times are
 * ISO-8601 UTC text, booleans are 0/1 integers, JSON is text. That keeps one code path for SQLite
 * and PostgreSQL without per-engine type parsers.
 */
export type Flag = 0 | 1;
export type Role = 'admin' | 'member';

export interface PeopleTable {
  id: string;
  username: string;
  email: string | null;
  name: string;
  first_name: string | null;
  last_name: string | null;
  title: string | null;
  team: string | null;
  manager_id: string | null;
  is_manager: Flag;
  avatar_url: string | null;
  timezone: string;
  enabled: Flag;
  role: Role;
  verified: Flag;
  password_hash: string | null;
  signup_ip: string | null;
  created_at: string;
  updated_at: string;
  last_signin_at: string | null;
}

/** One row per identity a person has elsewhere: directory id, Slack id, 42 login… */
export interface ExternalIdsTable {
  person_id: string;
  source: string;
  external_id: string;
}

export interface AuthSessionsTable {
  /** sha256 of the cookie token; the token itself is never stored. */
  id: string;
  person_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface AuditLogTable {
  id: string;
  at: string;
  actor_id: string | null;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  data: string | null;
}

export interface DB {
  people: PeopleTable;
  external_ids: ExternalIdsTable;
  auth_sessions: AuthSessionsTable;
  settings: SettingsTable;
  audit_log: AuditLogTable;
}
