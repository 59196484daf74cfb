import type { NotificationKind, NotificationsTable } from '../../db/schema.js';
import { type SplitJson, splitJson } from '../../db/splitJson.js';
import { newId } from '../../lib/ids.js';
import { DEFAULT_REMINDER_MINUTES } from '../meetings/settings.js';
import type { MessageMeeting } from './messageMeeting.js';
import type { NotificationPayload } from './payload.js';

/** A payload's own part: who reads that one message (an e-mail's recipient, a chat's readers). */
export type OwnPart = Pick<NotificationPayload, 'recipient' | 'readers'>;

/** A notification row about to be queued, its payload in its own and shared parts. */
export type QueuedRow = Omit<NotificationsTable, 'payload'> & { payload: SplitJson };

/** A row just queued and its own part of the payload, for the messages that follow from it. */
export interface FollowOnSource {
  row: QueuedRow;
  own: OwnPart;
}

export type FollowOnMeeting = Pick<
  MessageMeeting,
  'id' | 'startsAt' | 'createdAt' | 'reminderMinutes' | 'followUpDays' | 'reminderTemplate' | 'followUpTemplate'
>;

/**
 * The messages an intro or a new time brings with it, queued with it (same transaction), one per
 * row of the message that brought them so they reach the same people on the same channels:
 *
 * - a reminder at start − lead (at once when that moment has passed but the meeting has not begun).
 *   Its dedupe key carries the start time, so a new time queues new reminders; the change that
 *   moves or cancels the meeting marks the old ones skipped (service.ts). freshness.ts checks again
 *   at send time (a row a worker held then), which also keeps a reminder from ever going out after
 *   the start, whatever retries happen in between.
 * - for a meeting whose origin asks (a mixer group's setting), one "Did you meet?" `follow_up_days` after it was made.
 *   No revision in its key: once per meeting, whatever happens to it later.
 */
/**
 * When a meeting's reminder is due: its lead before the start, or at once when that moment has
 * passed but the meeting has not begun; null when there is none (no time, begun, a lead of 0 —
 * one due at the very start would always be too late).
 */
export function reminderDue(meeting: Pick<MessageMeeting, 'startsAt' | 'reminderMinutes'>, now: Date): string | null {
  if (!meeting.startsAt) return null;
  const lead = meeting.reminderMinutes ?? DEFAULT_REMINDER_MINUTES;
  const start = Date.parse(meeting.startsAt);
  if (lead <= 0 || start <= now.getTime()) return null;
  return new Date(Math.max(now.getTime(), start - lead * 60_000)).toISOString();
}

export function followOnRows(
  meeting: FollowOnMeeting,
  kind: NotificationKind,
  /** What the rows just queued share of their payload (the meeting, its people, the template). */
  base: Omit<NotificationPayload, 'recipient' | 'readers'>,
  /** The rows just queued, each with its own part of the payload. */
  queued: readonly FollowOnSource[],
  now: Date,
): QueuedRow[] {
  const out: QueuedRow[] = [];
  const clone = (
    { row, own }: FollowOnSource,
    next: NotificationKind,
    revision: string,
    due: string,
    shared: string,
  ): QueuedRow => ({
    ...row,
    id: newId(),
    kind: next,
    payload: splitJson(own, shared),
    next_attempt_at: due,
    dedupe_key: [meeting.id, next, revision, row.channel, row.person_id ?? '*'].join(':'),
  });
  const sharedAs = (next: NotificationKind, extra: { template: string | null; leadMinutes?: number }) =>
    JSON.stringify({ ...base, kind: next, ...extra });

  if ((kind === 'intro' || kind === 'rescheduled') && meeting.startsAt) {
    const lead = meeting.reminderMinutes ?? DEFAULT_REMINDER_MINUTES;
    const due = reminderDue(meeting, now);
    if (due) {
      const shared = sharedAs('reminder', { template: meeting.reminderTemplate, leadMinutes: lead });
      for (const row of queued) out.push(clone(row, 'reminder', meeting.startsAt, due, shared));
    }
  }
  if (kind === 'intro' && meeting.followUpDays) {
    const due = new Date(Date.parse(meeting.createdAt) + meeting.followUpDays * 86_400_000).toISOString();
    const shared = sharedAs('follow_up', { template: meeting.followUpTemplate });
    for (const row of queued) out.push(clone(row, 'follow_up', '', due, shared));
  }
  return out;
}
