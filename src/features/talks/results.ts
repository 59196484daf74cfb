import type { z } from 'zod';
import type { Db } from '../../db/database.js';
import { toCsv } from '../../lib/csv.js';
import { notFound } from '../../lib/errors.js';
import { nowIso } from '../../lib/time.js';
import { phaseAt } from './phase.js';
import { presentEventForAdmin } from './presenters.js';
import { findTalksEvent, proposalsOfEvent } from './queries.js';
import { rankProposals } from './ranking.js';
import type { resultsSchema } from './schemas.js';
import { suspiciousGroups } from './suspicious.js';

export type Results = z.infer<typeof resultsSchema>;

const BUCKETS_MINUTES = [1, 5, 15, 30, 60, 180, 360, 720, 1440, 10080];
const MAX_POINTS = 60;

/** Votes per period and the running total, from just before the first vote to the last (or now, while voting). */
export function timeline(times: string[], until: string): Results['timeline'] {
  if (!times.length) return { bucketMinutes: 60, points: [] };
  const sorted = [...times].sort();
  const start = Date.parse(sorted[0]!);
  const end = Math.max(Date.parse(until), Date.parse(sorted[sorted.length - 1]!));
  const span = Math.max(end - start, 1);
  const bucketMinutes = BUCKETS_MINUTES.find((m) => span / (m * 60_000) <= MAX_POINTS) ?? 10080;
  const size = bucketMinutes * 60_000;
  // One empty period first, so the curve visibly starts from nothing.
  const first = Math.floor(start / size) * size - size;
  const count = Math.floor((end - first) / size) + 1;
  const perBucket = new Array<number>(count).fill(0);
  for (const time of sorted) perBucket[Math.floor((Date.parse(time) - first) / size)]! += 1;
  let total = 0;
  const points = perBucket.map((votes, index) => {
    total += votes;
    return { at: new Date(first + index * size).toISOString(), votes, total };
  });
  return { bucketMinutes, points };
}

/** The admin's view of an event's outcome: every proposal with its votes, the curve, the hints. */
export async function eventResults(db: Db, eventId: string): Promise<Results> {
  const event = await findTalksEvent(db, eventId);
  if (!event) throw notFound('No such event.');
  const now = nowIso();
  const [rows, votes] = await Promise.all([
    proposalsOfEvent(db, eventId, { includeHidden: true }),
    db
      .selectFrom('proposals')
      .innerJoin('votes', 'votes.proposal_id', 'proposals.id')
      .innerJoin('people', 'people.id', 'votes.person_id')
      .select([
        'votes.person_id',
        'votes.proposal_id',
        'votes.created_at',
        'people.name',
        'people.username',
        'people.signup_ip',
        'people.created_at as person_created_at',
      ])
      .where('proposals.event_id', '=', eventId)
      .execute(),
  ]);
  const visible = rows.filter((row) => row.hidden === 0);
  const { ranked, tieAtCutoff } = rankProposals(visible, event.top_n);
  const hidden = rows.filter((row) => row.hidden === 1).sort((a, b) => b.vote_count - a.vote_count);
  const present = (row: (typeof rows)[number], rank: number | null, selected: boolean) => ({
    id: row.id,
    title: row.title,
    speaker: { id: row.speaker_id, name: row.speaker_name, username: row.speaker_username },
    votes: row.vote_count,
    rank,
    selected,
    hidden: row.hidden === 1,
    hiddenReason: row.hidden_reason,
    createdAt: row.created_at,
  });

  const voters = new Map(
    votes.map((vote) => [
      vote.person_id,
      {
        id: vote.person_id,
        name: vote.name,
        username: vote.username,
        signupIp: vote.signup_ip,
        createdAt: vote.person_created_at,
      },
    ]),
  );
  const titles = new Map(rows.map((row) => [row.id, { title: row.title, votes: row.vote_count }]));
  const groups = suspiciousGroups(
    [...voters.values()],
    votes.map((vote) => ({ personId: vote.person_id, proposalId: vote.proposal_id })),
  );
  return {
    event: presentEventForAdmin(event, now, visible.length),
    ranking: [
      ...ranked.map(({ item, rank, selected }) => present(item, rank, selected)),
      ...hidden.map((row) => present(row, null, false)),
    ],
    totals: { votes: votes.length, voters: voters.size, proposals: visible.length, hidden: hidden.length },
    tieAtCutoff,
    timeline: timeline(
      votes.map((vote) => vote.created_at),
      phaseAt(event, now) === 'closed'
        ? (votes
            .map((v) => v.created_at)
            .sort()
            .pop() ?? now)
        : now,
    ),
    suspicious: groups.map((group) => ({
      ...group,
      proposals: group.proposals.map((p) => ({
        id: p.id,
        title: titles.get(p.id)?.title ?? '',
        votesFromGroup: p.votesFromGroup,
        votes: titles.get(p.id)?.votes ?? 0,
      })),
    })),
  };
}

/** The ranking for spreadsheets (the web download and `convene talks results --format csv`). */
export function resultsCsv(results: Results): string {
  const header = [
    'rank',
    'title',
    'speaker',
    'speaker_username',
    'votes',
    'selected',
    'hidden',
    'hidden_reason',
    'proposed_at',
  ];
  return toCsv(
    header,
    results.ranking.map((row) => [
      row.rank,
      row.title,
      row.speaker.name,
      row.speaker.username,
      row.votes,
      row.selected ? 'yes' : 'no',
      row.hidden ? 'yes' : 'no',
      row.hiddenReason,
      row.createdAt,
    ]),
  );
}
