import type { NotificationKind, NotificationsTable } from '../../db/schema.js';
import { newId } from '../../lib/ids.js';
import { parsePayload } from './payload.js';

/** Minutes before the start a reminder goes out when the meeting did not say (not from a group). */
export const DEFAULT_REMINDER_MINUTES = 15;

export interface FollowOnMeeting {
  id: string;
  starts_at: string | null;
  created_at: string;
  group_id: string | null;
  reminder_minutes: number | null;
  follow_up_days: number | null;
  reminder_template: string | null;
  follow_up_template: string | null;
}

/**
 * The messages an intro or a new time brings with it, queued with it (same transaction), one per
 * row of the message that brought them so they reach the same people on the same channels:
 *
 * - a reminder at start − lead (at once when that moment has passed but the meeting has not begun).
 *   Its dedupe key carries the start time, so a new time queues new reminders; the change that
 *   moves or cancels the meeting marks the old ones skipped (service.ts). freshness.ts checks again
 *   at send time (a row a worker held then), which also keeps a reminder from ever going out after
 *   the start, whatever retries happen in between.
 * - for a mixer meeting whose group asks, one "Did you meet?" `follow_up_days` after it was made.
 *   No revision in its key: once per meeting, whatever happens to it later.
 */
export function followOnRows(
  meeting: FollowOnMeeting,
  kind: NotificationKind,
  queued: NotificationsTable[],
  now: Date,
): NotificationsTable[] {
  const out: NotificationsTable[] = [];
  const clone = (
    row: NotificationsTable,
    next: NotificationKind,
    revision: string,
    due: string,
    extra: { template: string | null; leadMinutes?: number },
  ): NotificationsTable => ({
    ...row,
    id: newId(),
    kind: next,
    payload: JSON.stringify({ ...parsePayload(row.payload), kind: next, ...extra }),
    next_attempt_at: due,
    dedupe_key: [meeting.id, next, revision, row.channel, row.person_id ?? '*'].join(':'),
  });

  if ((kind === 'intro' || kind === 'rescheduled') && meeting.starts_at) {
    const lead = meeting.reminder_minutes ?? DEFAULT_REMINDER_MINUTES;
    const start = Date.parse(meeting.starts_at);
    // A lead of 0 means no reminder: one due at the very start would always be too late.
    if (lead > 0 && start > now.getTime()) {
      const due = new Date(Math.max(now.getTime(), start - lead * 60_000)).toISOString();
      for (const row of queued) {
        out.push(
          clone(row, 'reminder', meeting.starts_at, due, { template: meeting.reminder_template, leadMinutes: lead }),
        );
      }
    }
  }
  if (kind === 'intro' && meeting.group_id && meeting.follow_up_days) {
    const due = new Date(Date.parse(meeting.created_at) + meeting.follow_up_days * 86_400_000).toISOString();
    for (const row of queued) out.push(clone(row, 'follow_up', '', due, { template: meeting.follow_up_template }));
  }
  return out;
}
