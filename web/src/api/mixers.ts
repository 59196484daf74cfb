/**
 * The Mixers API (src/features/mixers/routes.ts): groups, membership, matches, assistants and,
 * for admins, group management, members, rounds and stats.
 */
import type {
  AnnouncedRound,
  AssistingView,
  addMemberBody,
  assistantBody,
  assistantEnvelope,
  createGroupBody,
  GroupMemberView,
  GroupReach,
  GroupStats,
  GroupView,
  groupEnvelope,
  groupReachEnvelope,
  groupsEnvelope,
  MatchView,
  MembershipAction,
  matchesEnvelope,
  membersEnvelope,
  PersonBrief,
  pauseBody,
  RoundOutcome,
  roundEnvelope,
  roundsEnvelope,
  runRoundBody,
  statsEnvelope,
  UndoneRound,
  updateGroupBody,
} from '@contract/mixers';
import type { z } from 'zod';
import { api } from './client';
import type { PeoplePage } from './types';

export type {
  AnnouncedRound,
  Eligibility,
  GroupReach,
  GroupSize,
  GroupStats,
  MemberStatus,
  MembershipAction,
  MembershipMode,
  OddPolicy,
  RoundOutcome,
  UndoneRound,
} from '@contract/mixers';

/** A group as seen for one person (oneself, or someone who named the viewer their assistant). */
export type MixerGroup = GroupView;
/** Who named the signed-in person their assistant, and whom they named. */
export type Assisting = AssistingView;
export type MixerMatch = MatchView;
export type MatchPartner = MatchView['partners'][number];
export type PersonRef = PersonBrief;
export type GroupMember = GroupMemberView;
export type PastRound = z.infer<typeof roundsEnvelope>['rounds'][number];
export type RoundPerson = RoundOutcomeView['sittingOut'][number];
export type RoundStats = RoundOutcomeView['stats'];
export type RoundPoint = z.infer<typeof statsEnvelope>['stats']['series'][number];

export type GroupInput = z.input<typeof createGroupBody>;
/** Every setting of a group, filled in (as a form builds it); a valid GroupInput. */
export type GroupSettings = z.infer<typeof createGroupBody>;
export type GroupChanges = z.input<typeof updateGroupBody>;

type RoundOutcomeView = z.infer<typeof roundEnvelope>['round'];
type GroupEnvelope = z.infer<typeof groupEnvelope>;

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
  const { groups } = await api.get<z.infer<typeof groupsEnvelope>>(
    `${BASE}/groups${query({ personId: options.personId, archived: options.archived ? 'true' : undefined })}`,
    { signal },
  );
  return groups;
}

export async function getGroup(id: string, personId?: string, signal?: AbortSignal): Promise<MixerGroup> {
  const { group } = await api.get<GroupEnvelope>(`${groupPath(id)}${query({ personId })}`, { signal });
  return group;
}

export async function changeMembership(
  groupId: string,
  action: MembershipAction,
  personId?: string,
): Promise<MixerGroup> {
  const { group } = await api.post<GroupEnvelope>(`${groupPath(groupId)}/${action}`, personId ? { personId } : {});
  return group;
}

/** `until` is a date like 2026-01-31: rounds before it are skipped. */
export async function pauseMembership(groupId: string, until: string, personId?: string): Promise<MixerGroup> {
  const body: z.input<typeof pauseBody> = personId ? { until, personId } : { until };
  const { group } = await api.post<GroupEnvelope>(`${groupPath(groupId)}/pause`, body);
  return group;
}

export async function listMatches(personId?: string, signal?: AbortSignal): Promise<MixerMatch[]> {
  const { matches } = await api.get<z.infer<typeof matchesEnvelope>>(`${BASE}/matches${query({ personId })}`, {
    signal,
  });
  return matches;
}

export function getAssisting(signal?: AbortSignal): Promise<Assisting> {
  return api.get<Assisting>(`${BASE}/assisting`, { signal });
}

/** Names (or, with null, removes) the signed-in person's assistant. */
export async function setAssistant(username: string | null): Promise<PersonRef | null> {
  const body: z.input<typeof assistantBody> = { username };
  const { assistant } = await api.put<z.infer<typeof assistantEnvelope>>(`${BASE}/assistant`, body);
  return assistant;
}

// Administration

export async function createGroup(input: GroupInput): Promise<MixerGroup> {
  const { group } = await api.post<GroupEnvelope>(`${BASE}/groups`, input);
  return group;
}

/**
 * Changes a group. The group's current settings are sent along with the changes (a PATCH leaves
 * absent fields alone today, but an earlier server filled them with defaults).
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
        eligibility: current.eligibilityRule,
        membership: current.membership,
        ...changes,
      }
    : changes;
  const { group } = await api.patch<GroupEnvelope>(groupPath(id), body);
  return group;
}

export async function listMembers(groupId: string, signal?: AbortSignal): Promise<GroupMember[]> {
  const { members } = await api.get<z.infer<typeof membersEnvelope>>(`${groupPath(groupId)}/members`, { signal });
  return members;
}

export async function addMember(groupId: string, personId: string): Promise<MixerGroup> {
  const body: z.input<typeof addMemberBody> = { personId };
  const { group } = await api.post<GroupEnvelope>(`${groupPath(groupId)}/members`, body);
  return group;
}

/** Newest first. */
export async function listRounds(groupId: string, signal?: AbortSignal): Promise<PastRound[]> {
  const { rounds } = await api.get<z.infer<typeof roundsEnvelope>>(`${groupPath(groupId)}/rounds`, { signal });
  return rounds;
}

/** Who in the group cannot be reached, and how its latest round was told. */
export async function getReach(groupId: string, signal?: AbortSignal): Promise<GroupReach> {
  const { reach } = await api.get<z.infer<typeof groupReachEnvelope>>(`${groupPath(groupId)}/reach`, { signal });
  return reach;
}

/** Undoes the latest round: its meetings are cancelled, people an intro reached are told. */
export async function undoLatestRound(groupId: string): Promise<UndoneRound> {
  const { undone } = await api.post<{ undone: UndoneRound }>(`${groupPath(groupId)}/rounds/latest/undo`, {});
  return undone;
}

/** Sends the latest round's intros to the people none has reached yet. */
export async function announceLatestRound(groupId: string): Promise<AnnouncedRound> {
  const { announced } = await api.post<{ announced: AnnouncedRound }>(
    `${groupPath(groupId)}/rounds/latest/announce`,
    {},
  );
  return announced;
}

/** `force` confirms a round within the group's usual interval of the last one (else a 409 on "force"). */
export async function runRound(groupId: string, dryRun: boolean, force = false): Promise<RoundOutcome> {
  const body: z.input<typeof runRoundBody> = { dryRun, force };
  const { round } = await api.post<z.infer<typeof roundEnvelope>>(`${groupPath(groupId)}/rounds`, body);
  return round;
}

export async function getStats(groupId: string, signal?: AbortSignal): Promise<GroupStats> {
  const { stats } = await api.get<z.infer<typeof statsEnvelope>>(`${groupPath(groupId)}/stats`, { signal });
  return stats;
}

/** People to add to a group (admin search). */
export function searchPeople(q: string, signal?: AbortSignal): Promise<PeoplePage> {
  return api.get<PeoplePage>(`/api/v1/admin/people${query({ q, limit: '8', state: 'enabled' })}`, { signal });
}
