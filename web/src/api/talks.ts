/**
 * The Talks API (src/features/talks/routes.ts): events, proposals, votes and, for admins, event
 * management and results.
 */
import { api } from './client';

export type TalksPhase = 'proposals' | 'voting' | 'closed';

export interface TalksEvent {
  id: string;
  name: string;
  /** Rendered and sanitised by the server. */
  descriptionHtml: string;
  phase: TalksPhase;
  acceptingProposals: boolean;
  proposalsDuringVoting: boolean;
  topN: number;
  voteLimit: number | null;
  votingOpensAt: string | null;
  votingClosesAt: string | null;
  proposalCount: number;
}

export interface AdminTalksEvent extends TalksEvent {
  description: string;
  createdAt: string;
  updatedAt: string;
}

export interface Speaker {
  name: string;
  title: string | null;
  team: string | null;
  avatarUrl: string | null;
}

export interface ListedProposal {
  id: string;
  title: string;
  descriptionHtml: string;
  speaker: Speaker;
  createdAt: string;
  /** Only once voting has closed. */
  votes: number | null;
  rank: number | null;
  selected: boolean;
  /** Signed-in viewers only. */
  myVote?: boolean;
  mine?: boolean;
}

export interface ProposalListViewer {
  votesUsed: number;
  voteLimit: number | null;
  canPropose: boolean;
  canVote: boolean;
  isAdmin: boolean;
}

export interface ProposalList {
  event: TalksEvent;
  proposals: ListedProposal[];
  /** Null when signed out. */
  viewer: ProposalListViewer | null;
}

export interface MyProposal {
  id: string;
  title: string;
  hidden: boolean;
  hiddenReason: string | null;
  canEdit: boolean;
}

export interface EventDetail {
  event: TalksEvent;
  myProposals: MyProposal[] | null;
}

export interface ProposalDetail {
  id: string;
  eventId: string;
  title: string;
  description: string;
  descriptionHtml: string;
  speaker: Speaker;
  createdAt: string;
  updatedAt: string;
  hidden: boolean;
  hiddenReason: string | null;
  mine: boolean;
  canEdit: boolean;
}

export interface ProposalInput {
  title: string;
  description: string;
  /** Admins only: the speaker's username or e-mail. */
  speaker?: string;
}

export interface VoteResult {
  proposalId: string;
  voted: boolean;
  changed: boolean;
  votesUsed: number | null;
  voteLimit: number | null;
}

export interface EventInput {
  name: string;
  description: string;
  topN: number;
  voteLimit: number | null;
  proposalsDuringVoting: boolean;
  votingOpensAt: string | null;
  votingClosesAt: string | null;
}

export interface RankedProposal {
  id: string;
  title: string;
  speaker: { id: string; name: string; username: string };
  votes: number;
  rank: number | null;
  selected: boolean;
  hidden: boolean;
  hiddenReason: string | null;
  createdAt: string;
}

export interface SuspiciousGroup {
  address: string;
  windowMinutes: number;
  accounts: Array<{ id: string; name: string; username: string; createdAt: string }>;
  proposals: Array<{ id: string; title: string; votesFromGroup: number; votes: number }>;
}

export interface TalksResults {
  event: AdminTalksEvent;
  ranking: RankedProposal[];
  totals: { votes: number; voters: number; proposals: number; hidden: number };
  tieAtCutoff: boolean;
  timeline: { bucketMinutes: number; points: Array<{ at: string; votes: number; total: number }> };
  suspicious: SuspiciousGroup[];
}

const enc = encodeURIComponent;

export async function listTalksEvents(signal?: AbortSignal): Promise<TalksEvent[]> {
  return (await api.get<{ events: TalksEvent[] }>('/api/v1/talks/events', { signal })).events;
}

export function getTalksEvent(id: string, signal?: AbortSignal): Promise<EventDetail> {
  return api.get<EventDetail>(`/api/v1/talks/events/${enc(id)}`, { signal });
}

/** Signed in: the viewer's own version (their shuffle, their votes). */
export function getProposalList(eventId: string, signal?: AbortSignal): Promise<ProposalList> {
  return api.get<ProposalList>(`/api/v1/talks/events/${enc(eventId)}/proposals`, { signal });
}

/** Signed out: the cookie-free public list, the same cached bytes for every visitor. */
export function getPublicProposalList(eventId: string, signal?: AbortSignal): Promise<ProposalList> {
  return api.get<ProposalList>(`/public/talks/events/${enc(eventId)}/proposals`, { signal });
}

export async function getProposal(id: string, signal?: AbortSignal): Promise<ProposalDetail> {
  return (await api.get<{ proposal: ProposalDetail }>(`/api/v1/talks/proposals/${enc(id)}`, { signal })).proposal;
}

export async function createProposal(eventId: string, input: ProposalInput): Promise<ProposalDetail> {
  return (await api.post<{ proposal: ProposalDetail }>(`/api/v1/talks/events/${enc(eventId)}/proposals`, input))
    .proposal;
}

export async function updateProposal(id: string, changes: Partial<ProposalInput>): Promise<ProposalDetail> {
  return (await api.patch<{ proposal: ProposalDetail }>(`/api/v1/talks/proposals/${enc(id)}`, changes)).proposal;
}

export async function withdrawProposal(id: string): Promise<void> {
  await api.delete<undefined>(`/api/v1/talks/proposals/${enc(id)}`);
}

/** Sets the signed-in person's vote on a proposal (never anyone else's). */
export function setVote(proposalId: string, voted: boolean): Promise<VoteResult> {
  return api.post<VoteResult>(`/api/v1/talks/proposals/${enc(proposalId)}/vote`, { voted });
}

export async function createTalksEvent(input: EventInput): Promise<AdminTalksEvent> {
  return (await api.post<{ event: AdminTalksEvent }>('/api/v1/talks/events', input)).event;
}

export async function updateTalksEvent(id: string, changes: Partial<EventInput>): Promise<AdminTalksEvent> {
  return (await api.patch<{ event: AdminTalksEvent }>(`/api/v1/talks/events/${enc(id)}`, changes)).event;
}

export async function setTalksPhase(id: string, phase: TalksPhase): Promise<AdminTalksEvent> {
  return (await api.post<{ event: AdminTalksEvent }>(`/api/v1/talks/events/${enc(id)}/phase`, { phase })).event;
}

export async function hideProposal(id: string, reason: string): Promise<ProposalDetail> {
  return (await api.post<{ proposal: ProposalDetail }>(`/api/v1/talks/proposals/${enc(id)}/hide`, { reason })).proposal;
}

export async function unhideProposal(id: string): Promise<ProposalDetail> {
  return (await api.post<{ proposal: ProposalDetail }>(`/api/v1/talks/proposals/${enc(id)}/unhide`)).proposal;
}

export function getTalksResults(id: string, signal?: AbortSignal): Promise<TalksResults> {
  return api.get<TalksResults>(`/api/v1/talks/events/${enc(id)}/results`, { signal });
}

export const resultsCsvUrl = (id: string): string => `/api/v1/talks/events/${enc(id)}/results.csv`;
