import type { Db } from '../../db/database.js';
import { toCsv } from '../../lib/csv.js';

export interface ExportedRound {
  roundId: string;
  scheduledFor: string;
  seed: string;
  meetings: Array<{ meetingId: string; status: string; participants: string[] }>;
  satOut: string[];
  /** When an admin undid it (its meetings are cancelled), else null. */
  undoneAt: string | null;
}

/** Every round of a group with its meetings and the participants' usernames, oldest first. */
export async function exportRounds(db: Db, groupId: string): Promise<ExportedRound[]> {
  const rounds = await db
    .selectFrom('rounds')
    .select(['id', 'scheduled_for', 'seed', 'undone_at'])
    .where('group_id', '=', groupId)
    .orderBy('scheduled_for')
    .execute();
  const participants = await db
    .selectFrom('meeting_participants')
    .innerJoin('meetings', 'meetings.id', 'meeting_participants.meeting_id')
    .innerJoin('people', 'people.id', 'meeting_participants.person_id')
    .select(['meetings.round_id as roundId', 'meetings.id as meetingId', 'meetings.status', 'people.username'])
    .where('meetings.group_id', '=', groupId)
    .where('meetings.source', '=', 'round')
    .orderBy('meetings.id')
    .orderBy('people.username')
    .execute();
  const sitouts = await db
    .selectFrom('round_sitouts')
    .innerJoin('rounds', 'rounds.id', 'round_sitouts.round_id')
    .innerJoin('people', 'people.id', 'round_sitouts.person_id')
    .select(['rounds.id as roundId', 'people.username'])
    .where('rounds.group_id', '=', groupId)
    .execute();
  const byRound = new Map<string, ExportedRound>(
    rounds.map((r) => [
      r.id,
      { roundId: r.id, scheduledFor: r.scheduled_for, seed: r.seed, meetings: [], satOut: [], undoneAt: r.undone_at },
    ]),
  );
  for (const row of participants) {
    const round = row.roundId ? byRound.get(row.roundId) : undefined;
    if (!round) continue;
    let meeting = round.meetings.find((m) => m.meetingId === row.meetingId);
    if (!meeting) {
      meeting = { meetingId: row.meetingId, status: row.status, participants: [] };
      round.meetings.push(meeting);
    }
    meeting.participants.push(row.username);
  }
  for (const row of sitouts) byRound.get(row.roundId)?.satOut.push(row.username);
  return [...byRound.values()];
}

/** One line per meeting (and per sit-out), for spreadsheets. An undone round never happened: left out. */
export function roundsToCsv(rounds: ExportedRound[]): string {
  const rows: Array<Array<string>> = [];
  for (const round of rounds) {
    if (round.undoneAt) continue;
    for (const meeting of round.meetings) {
      rows.push([round.roundId, round.scheduledFor, meeting.meetingId, meeting.status, meeting.participants.join(' ')]);
    }
    for (const username of round.satOut) rows.push([round.roundId, round.scheduledFor, '', 'sat_out', username]);
  }
  return toCsv(['round_id', 'scheduled_for', 'meeting_id', 'status', 'participants'], rows);
}
