import type { Db } from '../../db/database.js';
import { type GroupFeedback, groupFeedback } from '../meetings/feedback.js';
import type { RoundStats } from './rounds.js';

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
  /** Share of members taking part, over all rounds. */
  participation: number;
  /** Share of pairs (a trio counts 3) whose people had met before in this group. */
  repeatPairRate: number;
  /** Share of pairs across two teams. */
  crossTeamRate: number;
  series: RoundPoint[];
  /** "Did you meet?" answers: how many came back, and how many meetings took place. */
  followUps: GroupFeedback;
}

const pairsIn = (s: RoundStats) => s.pairs + 3 * s.trios;
const ratio = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);

export async function groupStats(db: Db, groupId: string): Promise<GroupStats> {
  const rounds = await db
    .selectFrom('rounds')
    .select(['scheduled_for', 'stats'])
    .where('group_id', '=', groupId)
    // An undone round never happened, for the numbers.
    .where('undone_at', 'is', null)
    .orderBy('scheduled_for')
    .execute();
  const series: RoundPoint[] = [];
  let members = 0;
  let possible = 0;
  let pairs = 0;
  let repeats = 0;
  let sameTeam = 0;
  let meetings = 0;
  for (const round of rounds) {
    const s = JSON.parse(round.stats) as RoundStats;
    const roundPairs = pairsIn(s);
    members += s.members - s.satOut;
    possible += s.members + (s.skipped ?? 0);
    pairs += roundPairs;
    repeats += s.repeatPairs;
    sameTeam += s.sameTeamPairs;
    meetings += s.pairs + s.trios;
    series.push({
      scheduledFor: round.scheduled_for,
      members: s.members,
      participation: ratio(s.members - s.satOut, s.members + (s.skipped ?? 0)),
      repeatRate: ratio(s.repeatPairs, roundPairs),
      crossTeamRate: 1 - ratio(s.sameTeamPairs, roundPairs),
    });
  }
  return {
    rounds: rounds.length,
    meetings,
    participation: ratio(members, possible),
    repeatPairRate: ratio(repeats, pairs),
    crossTeamRate: pairs === 0 ? 0 : 1 - ratio(sameTeam, pairs),
    series,
    followUps: await groupFeedback(db, groupId),
  };
}
