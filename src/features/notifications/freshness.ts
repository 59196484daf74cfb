import type { Executor } from '../../db/database.js';
import type { NotificationChannel } from '../../db/schema.js';
import { currentMeetingState, currentMeetingStates, type MeetingState } from '../meetings/queries.js';
import { type NotificationRow, type Sender, SkipDelivery } from './outbox.js';
import type { NotificationPayload } from './payload.js';

/** The row a message is judged by: whom it is for, on which channel, and the claim a worker holds it under. */
export type MessageRef = Pick<NotificationRow, 'id' | 'meeting_id' | 'person_id' | 'channel'> &
  Partial<Pick<NotificationRow, 'claimed_by'>>;

export const NOTHING_SENT_BEFORE = 'Nothing was sent about the meeting before, so there is nothing to cancel.';

/**
 * Why a message should no longer go out, judged against the meeting as it is now, or null. The one
 * rule for the outbox (at send time) and for "Resend" (a message it would skip is not resent).
 *
 * - Reminders and follow-ups are queued long before they are due, so the meeting may have moved,
 *   been cancelled or begun in between; the payload only knows how it was when they were queued.
 * - An intro or a "rescheduled" of a meeting cancelled by the time it would go out is news of
 *   something that is off (a create, update and destroy arriving together).
 * - A cancellation (or a removal notice) of a cancelled meeting to someone who was sent nothing
 *   about it — everything before it skipped or never delivered — would announce a meeting only to
 *   call it off. Told when anything about the meeting went out to them on this channel, or may
 *   have ('failed': a mail server may have taken it for some; 'sending': a worker holds it now).
 *   A row held under the cancellation's own claim does not count: that claim was made after the
 *   meeting was cancelled (the cancellation row is written with it), so that row's own check skips
 *   it — unless a worker died sending it before (recovered), when it may have gone out. So may a
 *   recovered row skipped since (an intro of the cancelled meeting): its dead worker may have sent it.
 *   `row` is needed for that check; without it the cancellation goes.
 */
export async function staleReason(
  db: Executor,
  payload: NotificationPayload,
  now = new Date(),
  row?: MessageRef,
): Promise<string | null> {
  // "Send a test message" rows are about no meeting.
  if (row && !row.meeting_id) return null;
  const meeting = await currentMeetingState(db, payload.meeting.id);
  return judge(db, payload, meeting, now, row);
}

async function judge(
  db: Executor,
  payload: NotificationPayload,
  meeting: MeetingState | undefined,
  now: Date,
  row?: MessageRef,
): Promise<string | null> {
  if (payload.kind === 'cancel') {
    if (!row || meeting?.status !== 'cancelled') return null;
    return (await anythingSentBefore(db, row)) ? null : NOTHING_SENT_BEFORE;
  }
  if (!meeting) return 'The meeting no longer exists.';
  if (meeting.status === 'cancelled') return 'The meeting was cancelled.';
  if (payload.kind !== 'reminder') return null;
  if (!meeting.startsAt) return 'The meeting no longer has a time.';
  if (meeting.startsAt !== payload.meeting.startsAt) return 'The meeting was moved to another time.';
  if (Date.parse(meeting.startsAt) <= now.getTime()) return 'The meeting has already started.';
  return null;
}

/**
 * `staleReason` for many rows at once (the meetings read in one query): by row id, the reason each
 * one would be skipped if it were sent now; rows that would go are absent.
 */
export async function staleReasons(
  db: Executor,
  rows: ReadonlyArray<MessageRef & { payload: NotificationPayload }>,
  now = new Date(),
): Promise<Map<string, string>> {
  const about = rows.filter((r) => r.meeting_id);
  const states = await currentMeetingStates(
    db,
    about.map((r) => r.payload.meeting.id),
  );
  const reasons = new Map<string, string>();
  for (const row of about) {
    const reason = await judge(db, row.payload, states.get(row.payload.meeting.id), now, row);
    if (reason) reasons.set(row.id, reason);
  }
  return reasons;
}

/** Whether a message about the row's meeting other than a cancellation reached (or may have reached) its reader. */
async function anythingSentBefore(db: Executor, row: MessageRef): Promise<boolean> {
  const found = await db
    .selectFrom('notifications')
    .select('id')
    .where('meeting_id', '=', row.meeting_id as string)
    .where('channel', '=', row.channel as NotificationChannel)
    .where('kind', '!=', 'cancel')
    .where('id', '!=', row.id)
    .where((w) =>
      w.or([
        w('status', 'in', ['sent', 'failed']),
        row.claimed_by
          ? w.and([w('status', '=', 'sending'), w.or([w('claimed_by', '!=', row.claimed_by), w('recovered', '=', 1)])])
          : w('status', '=', 'sending'),
        // Skipped after a worker died sending it (recovered): the dead worker may have sent it.
        w.and([w('status', '=', 'skipped'), w('recovered', '=', 1)]),
      ]),
    )
    .$if(row.person_id !== null, (q) => q.where('person_id', '=', row.person_id as string))
    .$if(row.person_id === null, (q) => q.where('person_id', 'is', null))
    .limit(1)
    .executeTakeFirst();
  return found !== undefined;
}

/** Wraps a channel's sender so messages no longer worth sending are recorded 'skipped', not sent. */
export function freshOnly(db: Executor, send: Sender): Sender {
  return async (row, payload) => {
    const reason = await staleReason(db, payload, new Date(), row);
    if (reason) throw new SkipDelivery(reason);
    return send(row, payload);
  };
}
