import type { z } from 'zod';
import { acceptsProposals, phaseAt } from './phase.js';
import { type Actor, can } from './policy.js';
import type { EventRow, ProposalWithSpeaker, SpeakerRow } from './queries.js';
import type {
  adminEventViewSchema,
  eventViewSchema,
  listedProposalSchema,
  myProposalSchema,
  proposalDetailSchema,
  rankedProposalSchema,
} from './schemas.js';

export type EventView = z.infer<typeof eventViewSchema>;
export type AdminEventView = z.infer<typeof adminEventViewSchema>;
export type ListedProposal = z.infer<typeof listedProposalSchema>;
export type ProposalDetail = z.infer<typeof proposalDetailSchema>;
export type MyProposal = z.infer<typeof myProposalSchema>;
export type RankedProposal = z.infer<typeof rankedProposalSchema>;

/**
 * What leaves the server, per audience. A speaker is shown by name, title, team and picture —
 * never by e-mail, username or anything about their account; votes are shown only as counts,
 * and only once voting has closed (admins see them on the results page).
 */
export function presentEvent(event: EventRow, now: string, proposalCount: number): EventView {
  const phase = phaseAt(event, now);
  const duringVoting = event.proposals_during_voting === 1;
  return {
    id: event.id,
    name: event.name,
    descriptionHtml: event.description_html,
    phase,
    acceptingProposals: acceptsProposals(phase, duringVoting),
    proposalsDuringVoting: duringVoting,
    topN: event.top_n,
    voteLimit: event.vote_limit,
    votingOpensAt: event.voting_opens_at,
    votingClosesAt: event.voting_closes_at,
    allowSelfVote: event.allow_self_vote === 1,
    talksAt: event.talks_at,
    venue: event.venue,
    archivedAt: event.archived_at,
    proposalCount,
  };
}

export function presentEventForAdmin(event: EventRow, now: string, proposalCount: number): AdminEventView {
  return {
    ...presentEvent(event, now, proposalCount),
    description: event.description,
    createdAt: event.created_at,
    updatedAt: event.updated_at,
  };
}

export const presentSpeaker = (row: SpeakerRow) => ({
  name: row.speaker_name,
  title: row.speaker_title,
  team: row.speaker_team,
  avatarUrl: row.speaker_avatar,
});

export function presentListedProposal(
  row: ProposalWithSpeaker,
  result: { votes: number; rank: number; selected: boolean } | null,
): ListedProposal {
  return {
    id: row.id,
    title: row.title,
    descriptionHtml: row.description_html,
    speaker: presentSpeaker(row),
    createdAt: row.created_at,
    votes: result?.votes ?? null,
    rank: result?.rank ?? null,
    selected: result?.selected ?? false,
  };
}

export function presentProposalDetail(
  row: ProposalWithSpeaker,
  event: EventRow,
  viewer: Actor | null,
  now: string,
): ProposalDetail {
  const mine = viewer?.id === row.speaker_id;
  const insider = mine || viewer?.role === 'admin';
  const target = {
    phase: phaseAt(event, now),
    proposalsDuringVoting: event.proposals_during_voting === 1,
    speakerId: row.speaker_id,
  };
  return {
    id: row.id,
    eventId: row.event_id,
    title: row.title,
    description: row.description,
    descriptionHtml: row.description_html,
    speaker: presentSpeaker(row),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    hidden: row.hidden === 1,
    hiddenReason: insider ? row.hidden_reason : null,
    mine,
    canEdit: can(viewer, 'edit_proposal', target),
  };
}

export function presentMyProposal(row: ProposalWithSpeaker, event: EventRow, viewer: Actor, now: string): MyProposal {
  const target = {
    phase: phaseAt(event, now),
    proposalsDuringVoting: event.proposals_during_voting === 1,
    speakerId: row.speaker_id,
  };
  return {
    id: row.id,
    title: row.title,
    hidden: row.hidden === 1,
    hiddenReason: row.hidden_reason,
    canEdit: can(viewer, 'edit_proposal', target),
  };
}
