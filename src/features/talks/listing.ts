import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { Db } from '../../db/database.js';
import type { EventPhase } from '../../db/schema.js';
import { precompress } from '../../http/precompressed.js';
import { nowIso } from '../../lib/time.js';
import type { PersonRow } from '../people/presenters.js';
import { type CachedList, type CacheEntryInput, listCacheFor } from './cache.js';
import { shuffledFor, viewerSeed } from './order.js';
import { nextSwitchAt, phaseAt } from './phase.js';
import { can } from './policy.js';
import { presentEvent, presentListedProposal } from './presenters.js';
import { findTalksEvent, type ProposalWithSpeaker, proposalsOfEvent, votesOfPerson } from './queries.js';
import { rankProposals } from './ranking.js';
import { proposalListSchema } from './schemas.js';

export type ProposalList = z.infer<typeof proposalListSchema>;

/**
 * The order everyone signed out sees: while voting, a fixed shuffle of the event (the web page
 * reshuffles it per visitor); while proposing, newest first; once closed, the ranking.
 */
function ordered(rows: ProposalWithSpeaker[], eventId: string, phase: EventPhase, topN: number) {
  if (phase === 'closed') {
    return rankProposals(rows, topN).ranked.map(({ item, rank, selected }) => ({
      row: item,
      result: { votes: item.vote_count, rank, selected },
    }));
  }
  const sorted =
    phase === 'voting'
      ? shuffledFor(viewerSeed('', eventId), rows, (row) => row.id)
      : [...rows].sort((a, b) => b.created_at.localeCompare(a.created_at));
  return sorted.map((row) => ({ row, result: null }));
}

/** Reads an event's public list from the database, ready to cache. Null when there is no such event. */
export async function buildProposalList(db: Db, eventId: string): Promise<CacheEntryInput<ProposalList> | null> {
  const event = await findTalksEvent(db, eventId);
  if (!event) return null;
  const rows = await proposalsOfEvent(db, eventId);
  const now = nowIso();
  const phase = phaseAt(event, now);
  const items = ordered(rows, eventId, phase, event.top_n);
  // Through the response schema: what is cached is exactly what the route may send.
  const list = proposalListSchema.parse({
    event: presentEvent(event, now, rows.length),
    proposals: items.map(({ row, result }) => presentListedProposal(row, result)),
    viewer: null,
  });
  const body = Buffer.from(JSON.stringify(list));
  const next = nextSwitchAt(event, now);
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
  return {
    eventId,
    body,
    etag,
    encoded: await precompress(body, etag),
    list,
    speakerIds: items.map(({ row }) => row.speaker_id),
    phase,
    expiresAt: next ? Date.parse(next) : undefined,
  };
}

export function publicProposalList(
  db: Db,
  eventId: string,
): CachedList<ProposalList> | Promise<CachedList<ProposalList> | null> {
  return listCacheFor<ProposalList>(db).get(eventId, () => buildProposalList(db, eventId));
}

/**
 * A signed-in viewer's version of the cached list: their own shuffle while voting (stable across
 * visits), their votes marked, their own proposals marked. Nobody else's votes are in it.
 */
export async function listForViewer(db: Db, entry: CachedList<ProposalList>, viewer: PersonRow): Promise<ProposalList> {
  const myVotes = new Set(await votesOfPerson(db, entry.eventId, viewer.id));
  const marked = entry.list.proposals.map((proposal, index) => ({
    ...proposal,
    myVote: myVotes.has(proposal.id),
    mine: entry.speakerIds[index] === viewer.id,
  }));
  const proposals =
    entry.phase === 'voting' ? shuffledFor(viewerSeed(viewer.id, entry.eventId), marked, (p) => p.id) : marked;
  const event = entry.list.event;
  const target = { phase: entry.phase, proposalsDuringVoting: event.proposalsDuringVoting };
  return {
    event,
    proposals,
    viewer: {
      votesUsed: myVotes.size,
      voteLimit: event.voteLimit,
      canPropose: can(viewer, 'propose', target),
      canVote: can(viewer, 'vote', target),
      isAdmin: viewer.role === 'admin',
    },
  };
}
