import type { Executor } from '../../db/database.js';
import { currentMeetingState } from '../meetings/queries.js';
import { type Sender, SkipDelivery } from './outbox.js';
import type { NotificationPayload } from './payload.js';

/**
 * Why a message should no longer go out, judged against the meeting as it is now, or null.
 * Reminders and follow-ups are queued long before they are due, so the meeting may have moved,
 * been cancelled or begun in between; the payload only knows how it was when they were queued.
 */
export async function staleReason(
  db: Executor,
  payload: NotificationPayload,
  now = new Date(),
): Promise<string | null> {
  if (payload.kind !== 'reminder' && payload.kind !== 'follow_up') return null;
  const meeting = await currentMeetingState(db, payload.meeting.id);
  if (!meeting) return 'The meeting no longer exists.';
  if (meeting.status === 'cancelled') return 'The meeting was cancelled.';
  if (payload.kind === 'follow_up') return null;
  if (!meeting.startsAt) return 'The meeting no longer has a time.';
  if (meeting.startsAt !== payload.meeting.startsAt) return 'The meeting was moved to another time.';
  if (Date.parse(meeting.startsAt) <= now.getTime()) return 'The meeting has already started.';
  return null;
}

/** Wraps a channel's sender so stale reminders and follow-ups are recorded 'skipped', not sent. */
export function freshOnly(db: Executor, send: Sender): Sender {
  return async (row, payload) => {
    const reason = await staleReason(db, payload);
    if (reason) throw new SkipDelivery(reason);
    return send(row, payload);
  };
}
