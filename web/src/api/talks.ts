/**
 * The Talks API (src/features/talks/routes.ts): events, proposals, votes and, for admins, event
 * management and results.
 */
import type {
  AdminEventView,
  adminEventEnvelope,
  createEventBody,
  createProposalBody,
  EventDetail,
  EventView,
  eventListSchema,
  ProposalDetail,
  ProposalList,
  proposalEnvelope,
  TalksPhase,
  TalksResults,
  updateEventBody,
  updateProposalBody,
  VoteResult,
} from '@contract/talks';
import type { z } from 'zod';
import { api } from './client';

export type {
  EventDetail,
  ListedProposal,
  MyProposal,
  ProposalDetail,
  ProposalList,
  RankedProposal,
  TalksPhase,
  TalksResults,
  VoteResult,
} from '@contract/talks';

export type TalksEvent = EventView;
export type AdminTalksEvent = AdminEventView;
export type Speaker = ProposalDetail['speaker'];
export type ProposalListViewer = NonNullable<ProposalList['viewer']>;
export type SuspiciousGroup = TalksResults['suspicious'][number];

export type ProposalInput = z.input<typeof createProposalBody>;
export type ProposalUpdate = z.input<typeof updateProposalBody>;
export type EventInput = z.input<typeof createEventBody>;
export type EventUpdate = z.input<typeof updateEventBody>;

type EventEnvelope = z.infer<typeof adminEventEnvelope>;
type ProposalEnvelope = z.infer<typeof proposalEnvelope>;

const enc = encodeURIComponent;

/** The current events, or with `archived` the archived ones (kept with their results). */
export async function listTalksEvents(signal?: AbortSignal, archived = false): Promise<TalksEvent[]> {
  const path = archived ? '/api/v1/talks/events?archived=true' : '/api/v1/talks/events';
  return (await api.get<z.infer<typeof eventListSchema>>(path, { signal })).events;
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
  return (await api.get<ProposalEnvelope>(`/api/v1/talks/proposals/${enc(id)}`, { signal })).proposal;
}

export async function createProposal(eventId: string, input: ProposalInput): Promise<ProposalDetail> {
  return (await api.post<ProposalEnvelope>(`/api/v1/talks/events/${enc(eventId)}/proposals`, input)).proposal;
}

export async function updateProposal(id: string, changes: ProposalUpdate): Promise<ProposalDetail> {
  return (await api.patch<ProposalEnvelope>(`/api/v1/talks/proposals/${enc(id)}`, changes)).proposal;
}

export async function withdrawProposal(id: string): Promise<void> {
  await api.delete<undefined>(`/api/v1/talks/proposals/${enc(id)}`);
}

/** Sets the signed-in person's vote on a proposal (never anyone else's). */
export function setVote(proposalId: string, voted: boolean): Promise<VoteResult> {
  return api.post<VoteResult>(`/api/v1/talks/proposals/${enc(proposalId)}/vote`, { voted });
}

export async function createTalksEvent(input: EventInput): Promise<AdminTalksEvent> {
  return (await api.post<EventEnvelope>('/api/v1/talks/events', input)).event;
}

export async function updateTalksEvent(id: string, changes: EventUpdate): Promise<AdminTalksEvent> {
  return (await api.patch<EventEnvelope>(`/api/v1/talks/events/${enc(id)}`, changes)).event;
}

export async function setTalksPhase(id: string, phase: TalksPhase): Promise<AdminTalksEvent> {
  return (await api.post<EventEnvelope>(`/api/v1/talks/events/${enc(id)}/phase`, { phase })).event;
}

export async function setTalksArchived(id: string, archived: boolean): Promise<AdminTalksEvent> {
  return (await api.post<EventEnvelope>(`/api/v1/talks/events/${enc(id)}/archive`, { archived })).event;
}

/** What deleting the event would take with it, for the confirmation. */
export function getTalksDeletion(id: string): Promise<{ proposals: number; votes: number }> {
  return api.get<{ proposals: number; votes: number }>(`/api/v1/talks/events/${enc(id)}/deletion`);
}

export async function deleteTalksEvent(id: string): Promise<void> {
  await api.delete<undefined>(`/api/v1/talks/events/${enc(id)}`);
}

export async function hideProposal(id: string, reason: string): Promise<ProposalDetail> {
  return (await api.post<ProposalEnvelope>(`/api/v1/talks/proposals/${enc(id)}/hide`, { reason })).proposal;
}

export async function unhideProposal(id: string): Promise<ProposalDetail> {
  return (await api.post<ProposalEnvelope>(`/api/v1/talks/proposals/${enc(id)}/unhide`)).proposal;
}

export function getTalksResults(id: string, signal?: AbortSignal): Promise<TalksResults> {
  return api.get<TalksResults>(`/api/v1/talks/events/${enc(id)}/results`, { signal });
}

export const resultsCsvUrl = (id: string): string => `/api/v1/talks/events/${enc(id)}/results.csv`;
