export type Role = 'admin' | 'member';

export type RegistrationPolicy = 'open' | 'code' | 'closed';

export interface Person {
  id: string;
  username: string;
  /** Null for people who came from the directory without an email address. */
  email: string | null;
  name: string;
  timezone: string;
  role: Role;
  verified: boolean;
  enabled: boolean;
  createdAt: string;
  /** Directory details; the server sends them, this app doesn't show them yet. */
  title?: string | null;
  team?: string | null;
  avatarUrl?: string | null;
}

/** Extra fields the admin people list includes. */
export interface AdminPerson extends Person {
  isManager?: boolean;
  lastSigninAt?: string | null;
  hasPassword?: boolean;
  managerUsername?: string | null;
  /** Their id in the staff directory; null when they are not in it. */
  directoryId?: string | null;
  /** The fields the next directory import overwrites (see EditPersonInput). */
  directoryFields?: string[];
}

/** What an admin may change about a person; absent fields stay, empty text clears. */
export interface EditPersonInput {
  name?: string;
  email?: string | null;
  username?: string;
  team?: string | null;
  title?: string | null;
  managerUsername?: string | null;
  timezone?: string;
  avatarUrl?: string | null;
  role?: Role;
  enabled?: boolean;
}

/** Identity asserted by a trusted SSO proxy for someone the directory doesn't know yet. */
export interface SsoIdentity {
  username: string;
  email: string | null;
  name: string | null;
}

export interface AuthOptions {
  registration: RegistrationPolicy;
  sso: SsoIdentity | null;
}

export interface SignUpInput {
  email: string;
  name: string;
  /** Optional only for someone vouched for by the SSO proxy (`AuthOptions.sso`). */
  password?: string;
  verificationCode?: string;
  /** IANA zone; the server falls back to its default. */
  timezone?: string;
}

export interface SignInInput {
  email: string;
  password: string;
}

export interface ProfileUpdate {
  name?: string;
  timezone?: string;
  currentPassword?: string;
  newPassword?: string;
}

export interface AdminSettings {
  registration: RegistrationPolicy;
  verificationCode: string;
  /** A code saved before codes had to be strong: it still works, but is easy to guess. */
  verificationCodeWeak?: boolean;
}

export type PersonState = 'enabled' | 'disabled';

export interface PeopleQuery {
  q?: string;
  role?: Role;
  state?: PersonState;
  limit?: number;
  offset?: number;
}

export interface PeoplePage {
  people: AdminPerson[];
  total: number;
}

export type PersonAction = 'promote' | 'demote' | 'verify' | 'disable' | 'enable';
