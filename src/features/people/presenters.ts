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
}

export interface AdminPersonView extends SelfView {
  isManager: boolean;
  lastSigninAt: string | null;
  hasPassword: boolean;
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
  };
}

export function presentForAdmin(person: PersonRow): AdminPersonView {
  return {
    ...presentSelf(person),
    isManager: person.is_manager === 1,
    lastSigninAt: person.last_signin_at,
    hasPassword: person.password_hash !== null,
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
