import type { Selectable } from 'kysely';
import type { PeopleTable } from '../../db/schema.js';

export type PersonRow = Selectable<PeopleTable>;

/** What a signed-in person sees of themself. */
export interface SelfView {
  id: string;
  username: string;
  email: string | null;
  name: string;
  title: string | null;
  team: string | null;
  avatarUrl: string | null;
  timezone: string;
  role: 'admin' | 'member';
  verified: boolean;
  enabled: boolean;
  createdAt: string;
  /** Whether the person chose or confirmed their timezone (else the web app offers the browser's, once). */
  timezoneConfirmed: boolean;
}

export interface AdminPersonView extends SelfView {
  isManager: boolean;
  lastSigninAt: string | null;
  hasPassword: boolean;
  managerUsername: string | null;
  /** Their id in the staff directory; null for people who are not in it. */
  directoryId: string | null;
  /** The fields the next directory import overwrites (empty for people not in the directory). */
  directoryFields: string[];
}

/** What the admin view adds that the person's row does not hold. */
export interface AdminPersonDetails {
  directoryId: string | null;
  managerUsername: string | null;
  directoryFields: readonly string[];
}

/** What any member may see of another: never an e-mail address or anything about their login. */
export interface MemberPersonView {
  id: string;
  username: string;
  name: string;
  title: string | null;
  team: string | null;
  avatarUrl: string | null;
}

export function presentSelf(person: PersonRow): SelfView {
  return {
    id: person.id,
    username: person.username,
    email: person.email,
    name: person.name,
    title: person.title,
    team: person.team,
    avatarUrl: person.avatar_url,
    timezone: person.timezone,
    role: person.role,
    verified: person.verified === 1,
    enabled: person.enabled === 1,
    createdAt: person.created_at,
    timezoneConfirmed: person.timezone_confirmed === 1,
  };
}

export function presentForAdmin(person: PersonRow, details: AdminPersonDetails): AdminPersonView {
  return {
    ...presentSelf(person),
    isManager: person.is_manager === 1,
    lastSigninAt: person.last_signin_at,
    hasPassword: person.password_hash !== null,
    managerUsername: details.managerUsername,
    directoryId: details.directoryId,
    directoryFields: details.directoryId ? [...details.directoryFields] : [],
  };
}

export function presentToMember(person: PersonRow): MemberPersonView {
  return {
    id: person.id,
    username: person.username,
    name: person.name,
    title: person.title,
    team: person.team,
    avatarUrl: person.avatar_url,
  };
}
