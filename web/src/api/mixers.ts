/**
 * The Mixers API (src/features/mixers/routes.ts): groups, membership, matches, assistants and,
 * for admins, group management, members, rounds and stats.
 */
import { api } from './client';
import type { PeoplePage } from './types';

export type GroupSize = 2 | 3;
export type OddPolicy = 'trio' | 'sit_out';
export type MembershipMode = 'open' | 'admin' | 'auto';
export type MemberStatus = 'active' | 'paused' | 'left';

export type Eligibility = { kind: 'everyone' } | { kind: 'managers' } | { kind: 'teams'; teams: string[] };

/** A group as seen for one person (oneself, or someone who named the viewer their assistant). */
export interface MixerGroup {
  id: string;
  name: string;
  description: string;
  size: GroupSize;
  oddPolicy: OddPolicy;
  membership: MembershipMode;
  /** Already in words: "Everyone", "Managers only", "Teams: Design, Platform". */
  eligibility: string;
  cron: string;
  timezone: string;
  everyWeeks: number;
  anchorDate: string | null;
  archived: boolean;
  memberCount: number;
  nextRoundAt: string | null;
  eligible: boolean;
  status: MemberStatus | null;
  pausedUntil: string | null;
  skippingNext: boolean;
  reminderMinutes?: number;
  followUpDays?: number | null;
  reminderTemplate?: string | null;
  followUpTemplate?: string | null;
  chatChannel?: string | null;
}

export interface MatchPartner {
  id: string;
  username: string;
  name: string;
  title: string | null;
  team: string | null;
  avatarUrl: string | null;
}

export interface MixerMatch {
  meetingId: string;
  groupId: string;
  groupName: string;
  scheduledFor: string;
  status: string;
  /** The latest round of its group: the match to act on now. */
  current: boolean;
  partners: MatchPartner[];
}

export interface PersonRef {
  id: string;
  name: string;
  username: string;
}

export interface Assisting {
  /** People who named the signed-in person as their assistant. */
  people: PersonRef[];
  /** Whom the signed-in person named as their own assistant. */
  assistant: PersonRef | null;
}

export interface GroupInput {
  name: string;
  description: string;
  cron: string;
  timezone: string;
  everyWeeks: number;
  anchorDate: string | null;
  size: GroupSize;
  oddPolicy: OddPolicy;
  eligibility: Eligibility;
  membership: MembershipMode;
  introTemplate: string | null;
  reminderMinutes?: number;
  followUpDays?: number | null;
  reminderTemplate?: string | null;
  followUpTemplate?: string | null;
  chatChannel?: string | null;
}

export type GroupChanges = Partial<GroupInput> & { archived?: boolean };

export interface GroupMember {
  id: string;
  name: string;
  username: string;
  team: string | null;
  title: string | null;
  enabled: boolean;
  status: MemberStatus;
  pausedUntil: string | null;
  joinedAt: string;
}

export interface RoundPerson {
  id: string;
  username: string;
  name: string;
  team: string | null;
}

export interface RoundStats {
  members: number;
  pairs: number;
  trios: number;
  satOut: number;
  skipped: number;
  repeatPairs: number;
  sameTeamPairs: number;
  managerReportPairs: number;
}

export interface RoundOutcome {
  created: boolean;
  dryRun: boolean;
  roundId: string | null;
  groupId: string;
  scheduledFor: string;
  seed: string;
  groups: RoundPerson[][];
  sittingOut: RoundPerson[];
  stats: RoundStats;
}

export interface PastRound {
  roundId: string;
  scheduledFor: string;
  seed: string;
  /** Participants and sit-outs are usernames. */
  meetings: Array<{ meetingId: string; status: string; participants: string[] }>;
  satOut: string[];
}

export interface RoundPoint {
  scheduledFor: string;
  members: number;
  participation: number;
  repeatRate: number;
  crossTeamRate: number;
}

export interface GroupStats {
  rounds: number;
  meetings: number;
  participation: number;
  repeatPairRate: number;
  crossTeamRate: number;
  series: RoundPoint[];
  /** "Did you meet?" answers. */
  followUps?: { answers: number; met: number; answeredMeetings: number; metRate: number };
}

export type MembershipAction = 'join' | 'leave' | 'skip' | 'resume';

const BASE = '/api/v1/mixers';
const groupPath = (id: string) => `${BASE}/groups/${encodeURIComponent(id)}`;

function query(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** `personId` is whose mixers: omit it for one's own. */
export async function listGroups(
  options: { personId?: string; archived?: boolean } = {},
  signal?: AbortSignal,
): Promise<MixerGroup[]> {
  const { groups } = await api.get<{ groups: MixerGroup[] }>(
    `${BASE}/groups${query({ personId: options.personId, archived: options.archived ? 'true' : undefined })}`,
    { signal },
  );
  return groups;
}

export async function getGroup(id: string, personId?: string, signal?: AbortSignal): Promise<MixerGroup> {
  const { group } = await api.get<{ group: MixerGroup }>(`${groupPath(id)}${query({ personId })}`, { signal });
  return group;
}

export async function changeMembership(
  groupId: string,
  action: MembershipAction,
  personId?: string,
): Promise<MixerGroup> {
  const { group } = await api.post<{ group: MixerGroup }>(
    `${groupPath(groupId)}/${action}`,
    personId ? { personId } : {},
  );
  return group;
}

/** `until` is a date like 2026-01-31: rounds before it are skipped. */
export async function pauseMembership(groupId: string, until: string, personId?: string): Promise<MixerGroup> {
  const { group } = await api.post<{ group: MixerGroup }>(
    `${groupPath(groupId)}/pause`,
    personId ? { until, personId } : { until },
  );
  return group;
}

export async function listMatches(personId?: string, signal?: AbortSignal): Promise<MixerMatch[]> {
  const { matches } = await api.get<{ matches: MixerMatch[] }>(`${BASE}/matches${query({ personId })}`, { signal });
  return matches;
}

export function getAssisting(signal?: AbortSignal): Promise<Assisting> {
  return api.get<Assisting>(`${BASE}/assisting`, { signal });
}

/** Names (or, with null, removes) the signed-in person's assistant. */
export async function setAssistant(username: string | null): Promise<PersonRef | null> {
  const { assistant } = await api.put<{ assistant: PersonRef | null }>(`${BASE}/assistant`, { username });
  return assistant;
}

// Administration

export async function createGroup(input: GroupInput): Promise<MixerGroup> {
  const { group } = await api.post<{ group: MixerGroup }>(`${BASE}/groups`, input);
  return group;
}

/** The group view gives eligibility in words; forms and updates need the rule back. */
export function eligibilityFromWords(words: string): Eligibility {
  if (words === 'Managers only') return { kind: 'managers' };
  if (words.startsWith('Teams: '))
    return {
      kind: 'teams',
      teams: words
        .slice(7)
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    };
  return { kind: 'everyone' };
}

/**
 * Changes a group. The server currently fills every field left out of a PATCH with its default
 * (a zod `.partial()` over fields with defaults), so the group's current settings are sent along
 * with the changes to keep them. The intro template isn't in the group view and can't be kept
 * this way: see the report on the API.
 */
export async function updateGroup(id: string, changes: GroupChanges, current?: MixerGroup): Promise<MixerGroup> {
  const body: GroupChanges = current
    ? {
        name: current.name,
        description: current.description,
        cron: current.cron,
        timezone: current.timezone,
        everyWeeks: current.everyWeeks,
        anchorDate: current.anchorDate,
        size: current.size,
        oddPolicy: current.oddPolicy,
        eligibility: eligibilityFromWords(current.eligibility),
        membership: current.membership,
        ...changes,
      }
    : changes;
  const { group } = await api.patch<{ group: MixerGroup }>(groupPath(id), body);
  return group;
}

export async function listMembers(groupId: string, signal?: AbortSignal): Promise<GroupMember[]> {
  const { members } = await api.get<{ members: GroupMember[] }>(`${groupPath(groupId)}/members`, { signal });
  return members;
}

export async function addMember(groupId: string, personId: string): Promise<MixerGroup> {
  const { group } = await api.post<{ group: MixerGroup }>(`${groupPath(groupId)}/members`, { personId });
  return group;
}

/** Newest first. */
export async function listRounds(groupId: string, signal?: AbortSignal): Promise<PastRound[]> {
  const { rounds } = await api.get<{ rounds: PastRound[] }>(`${groupPath(groupId)}/rounds`, { signal });
  return rounds;
}

/** `force` confirms a round within the group's usual interval of the last one (else a 409 on "force"). */
export async function runRound(groupId: string, dryRun: boolean, force = false): Promise<RoundOutcome> {
  const { round } = await api.post<{ round: RoundOutcome }>(`${groupPath(groupId)}/rounds`, { dryRun, force });
  return round;
}

export async function getStats(groupId: string, signal?: AbortSignal): Promise<GroupStats> {
  const { stats } = await api.get<{ stats: GroupStats }>(`${groupPath(groupId)}/stats`, { signal });
  return stats;
}

/** People to add to a group (admin search). */
export function searchPeople(q: string, signal?: AbortSignal): Promise<PeoplePage> {
  return api.get<PeoplePage>(`/api/v1/admin/people${query({ q, limit: '8', state: 'enabled' })}`, { signal });
}
