import { recordAudit } from '../../db/audit.js';
import type { Db, Executor } from '../../db/database.js';
import { conflict, notFound } from '../../lib/errors.js';
import { meetingsOfRound } from '../meetings/queries.js';
import { withdrawMeetings } from '../meetings/service.js';
import { findGroup } from './queries.js';

export interface UndoneRound {
  roundId: string;
  scheduledFor: string;
  /** Meetings cancelled by the undo. */
  cancelled: number;
  /** Who was told their match is off (only people an intro had reached), by name. */
  told: string[];
  channels: string[];
  /** Members whose "skip the next round" the round had used up, and who have it back. */
  skipsRestored: number;
}

/**
 * The group's latest round, undone or not. Only it may be undone or announced: once undone, the
 * round before it is not next in line, so a double click (or two admins) never undoes two rounds.
 */
export function latestRound(db: Executor, groupId: string) {
  return db
    .selectFrom('rounds')
    .select(['id', 'scheduled_for', 'created_at', 'undone_at'])
    .where('group_id', '=', groupId)
    .orderBy('scheduled_for', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Until when a round made at `createdAt` may be undone. */
export const undoableUntil = (createdAt: string, windowHours: number) =>
  new Date(Date.parse(createdAt) + windowHours * 3_600_000).toISOString();

/**
 * Undoes the group's latest round (only the latest: see latestRound), within `windowHours` of its making (`mixers.undoRoundHours`): its
 * meetings are cancelled through the meetings service (people an intro reached get a cancellation;
 * intros not yet sent never leave), the skips it used up are given back, and the round is marked
 * undone, so no rule counts it any more: pairing history (the next round may pair the same people
 * again), sit-out turns, round numbering, stats, "the latest round". Refused once one of its
 * meetings has taken place. The schedule carries on: an undone scheduled round is not made again.
 */
export async function undoLatestRound(props: {
  db: Db;
  groupId: string;
  windowHours: number;
  actorId?: string | null;
  now?: Date;
}): Promise<UndoneRound> {
  const now = props.now ?? new Date();
  return props.db.transaction().execute(async (trx) => {
    const group = await findGroup(trx, props.groupId);
    if (!group) throw notFound('No such group.');
    const round = await latestRound(trx, group.id);
    if (!round) throw conflict('This group has no round to undo.');
    if (round.undone_at) throw conflict('The latest round has already been undone.');
    const until = undoableUntil(round.created_at, props.windowHours);
    if (now.toISOString() > until) {
      throw conflict(
        `The latest round was made more than ${props.windowHours} hours ago (${round.created_at.slice(0, 16).replace('T', ' ')} UTC): it can no longer be undone.`,
      );
    }
    const meetings = await meetingsOfRound(trx, round.id);
    const held = meetings.filter((m) => m.status === 'done').length;
    if (held) {
      throw conflict(
        `${held} of this round's meetings ${held === 1 ? 'has' : 'have'} already taken place: the round can no longer be undone.`,
      );
    }
    // One undo wins: a second (a double click, two admins) finds it done and changes nothing.
    const marked = await trx
      .updateTable('rounds')
      .set({ undone_at: now.toISOString(), undone_by: props.actorId ?? null })
      .where('id', '=', round.id)
      .where('undone_at', 'is', null)
      .executeTakeFirst();
    if (Number(marked.numUpdatedRows) !== 1) throw conflict('This round has already been undone.');
    const withdrawn = await withdrawMeetings(trx, {
      meetingIds: meetings.map((m) => m.id),
      actorId: props.actorId ?? null,
      reason: 'The round was undone.',
    });
    const skipsRestored = await restoreSkips(trx, round.id, group.id, group.next_round_at);
    const told = withdrawn.told.length
      ? (await trx.selectFrom('people').select('name').where('id', 'in', withdrawn.told).orderBy('name').execute()).map(
          (p) => p.name,
        )
      : [];
    await recordAudit(trx, {
      actorId: props.actorId ?? null,
      action: 'round.undo',
      subjectType: 'round',
      subjectId: round.id,
      data: {
        groupId: group.id,
        scheduledFor: round.scheduled_for,
        cancelled: withdrawn.cancelled.length,
        skipsRestored,
      },
    });
    return {
      roundId: round.id,
      scheduledFor: round.scheduled_for,
      cancelled: withdrawn.cancelled.length,
      told,
      channels: withdrawn.channels,
      skipsRestored,
    };
  });
}

/**
 * Gives back the skips the round used up, to members still in the group who have not set another
 * meanwhile. They skip the group's next round: the one they meant, or, when the undone round was
 * the scheduled one, the next scheduled time.
 */
async function restoreSkips(trx: Executor, roundId: string, groupId: string, nextRoundAt: string | null) {
  const used = await trx
    .selectFrom('round_used_skips')
    .select(['person_id', 'skip_round_at'])
    .where('round_id', '=', roundId)
    .execute();
  let restored = 0;
  for (const skip of used) {
    const at = nextRoundAt && nextRoundAt > skip.skip_round_at ? nextRoundAt : skip.skip_round_at;
    const done = await trx
      .updateTable('group_members')
      .set({ skip_round_at: at })
      .where('group_id', '=', groupId)
      .where('person_id', '=', skip.person_id)
      .where('status', '!=', 'left')
      .where('skip_round_at', 'is', null)
      .executeTakeFirst();
    restored += Number(done.numUpdatedRows);
  }
  return restored;
}
