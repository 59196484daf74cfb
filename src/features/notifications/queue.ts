import { withRows } from '../../db/bulkInsert.js';
import type { Executor } from '../../db/database.js';
import type { NotificationChannel, NotificationKind } from '../../db/schema.js';
import { splitJson } from '../../db/splitJson.js';
import { newId } from '../../lib/ids.js';
import { DEFAULT_REMINDER_MINUTES } from '../meetings/settings.js';
import { enabledChannels } from './channels.js';
import { type FollowOnSource, followOnRows, type OwnPart, type QueuedRow, reminderDue } from './followOn.js';
import { invitationSequence } from './invitation.js';
import type { MessageMeeting } from './messageMeeting.js';
import type { NotificationPayload, PayloadPerson } from './payload.js';

export type { MessageMeeting } from './messageMeeting.js';

import { loadWants } from './prefs.js';

const NOTIFICATION_INTEGERS = ['attempts', 'recovered'];

/**
 * Queues `kind` messages for each meeting's participants — in the caller's transaction, so the
 * messages exist exactly when the change does (the outbox rule). One row per person for e-mail, one
 * per meeting for the chat channels (one conversation with everyone who reads it), one webhook
 * event per meeting: a person who cannot be reached never holds up the others. Reminders and
 * follow-ups that follow from an intro or a new time are queued with it. Returns how many rows.
 */
/** What a change queued, and whom it tells by which channels: so a page can say it truthfully. */
export interface Queued {
  queued: number;
  /** People at least one channel that reaches people will write to (not the webhook). */
  told: string[];
  /** The personal channels used (e-mail, Slack, Mattermost). */
  channels: NotificationChannel[];
}

export async function queueMeetingMessages(
  trx: Executor,
  props: { meetings: MessageMeeting[]; kind: NotificationKind; revision?: string; now?: Date },
): Promise<Queued> {
  const none: Queued = { queued: 0, told: [], channels: [] };
  if (!props.meetings.length) return none;
  const channels = await enabledChannels(trx);
  if (!channels.size) return none;
  const told = new Set<string>();
  const used = new Set<NotificationChannel>();
  const now = (props.now ?? new Date()).toISOString();
  const personIds = [...new Set(props.meetings.flatMap((m) => m.participants.map((p) => p.id)))];
  const wants = await loadWants(trx, personIds);

  const rows: QueuedRow[] = [];
  for (const meeting of props.meetings) {
    // A reminder queued on its own (re-armed after a change of people) waits for its time.
    const due = props.kind === 'reminder' ? reminderDue(meeting, new Date(now)) : now;
    if (!due) continue;
    const attendees = meeting.participants.filter((p) => p.enabled);
    const onlyThese = meeting.only ? new Set(meeting.only) : null;
    const reached = attendees.filter((p) => !onlyThese || onlyThese.has(p.id));
    const participants: PayloadPerson[] = attendees.map(({ id, name, firstName, email, timezone, title, team }) => ({
      id,
      name,
      firstName,
      email,
      timezone,
      title,
      team,
    }));
    // People taken out of a meeting that goes on: told they were removed, not that it is off.
    const removal =
      props.kind === 'cancel' && onlyThese !== null && meeting.status !== undefined && meeting.status !== 'cancelled';
    const base: Omit<NotificationPayload, 'recipient' | 'readers'> = {
      kind: props.kind,
      meeting: {
        id: meeting.id,
        title: meeting.title,
        startsAt: meeting.startsAt,
        durationMinutes: meeting.durationMinutes,
        roomName: meeting.roomName,
        roomUrl: meeting.roomUrl,
        groupId: meeting.groupId,
        groupName: meeting.originName,
        sequence: invitationSequence(meeting.updatedAt),
      },
      participants,
      // Snapshotted like the rest of the payload: the message says what the origin said when the
      // meeting was made, and the worker needs no join. Editing a template changes later meetings.
      template:
        props.kind === 'intro' ? meeting.introTemplate : props.kind === 'reminder' ? meeting.reminderTemplate : null,
      ...(props.kind === 'reminder' && { leadMinutes: meeting.reminderMinutes ?? DEFAULT_REMINDER_MINUTES }),
      ...(removal && { removed: [...onlyThese].sort() }),
    };
    // This meeting's rows with their own part of the payload, for the reminders and follow-ups cloned from them.
    const queued: FollowOnSource[] = [];
    const sharedJson = JSON.stringify(base);
    const key = (channel: string, who: string) =>
      [meeting.id, props.kind, props.revision ?? '', channel, who].join(':');
    const row = (channel: NotificationChannel, personId: string | null, own: OwnPart) => {
      const made = messageRow(channel, personId, own);
      queued.push({ row: made, own });
      return made;
    };
    const messageRow = (channel: NotificationChannel, personId: string | null, own: OwnPart): QueuedRow => ({
      id: newId(),
      meeting_id: meeting.id,
      person_id: personId,
      channel,
      kind: props.kind,
      payload: splitJson(own, sharedJson),
      status: 'pending' as const,
      attempts: 0,
      next_attempt_at: due,
      claimed_until: null,
      claimed_by: null,
      recovered: 0 as const,
      last_error: null,
      result: null,
      sent_at: null,
      // A partial change (someone added or removed) tells only those people: its key names them.
      dedupe_key: key(channel, personId ?? (onlyThese ? [...onlyThese].sort().join(',') : '*')),
      created_at: now,
      updated_at: now,
      origin: meeting.origin,
      origin_name: meeting.originName,
    });
    if (channels.has('email')) {
      for (const p of reached) {
        if (!p.email || !wants(p.id, meeting.origin, 'email')) continue;
        const recipient = participants.find((x) => x.id === p.id) as PayloadPerson;
        told.add(p.id);
        used.add('email');
        rows.push(row('email', p.id, { recipient: { ...recipient, cc: p.assistant ? [p.assistant] : [] } }));
      }
    }
    for (const chat of ['slack', 'mattermost'] as const) {
      if (!channels.has(chat)) continue;
      const readers = reached.filter((p) => p.email && wants(p.id, meeting.origin, chat)).map((p) => p.id);
      if (!readers.length) continue;
      rows.push(row(chat, null, { readers }));
      for (const id of readers) told.add(id);
      used.add(chat);
    }
    // Another system, not a person, reads the webhook: one event per meeting and change.
    if (channels.has('webhook') && meeting.webhook !== false) rows.push(row('webhook', null, {}));
    // Keep last in this loop: reminders and follow-ups go to every channel queued above.
    rows.push(...followOnRows(meeting, props.kind, base, queued, new Date(now)));
  }
  for (let i = 0; i < rows.length; i += 500) {
    // A message already queued for this change (same dedupe key) is not queued again.
    await withRows(trx, trx.insertInto('notifications'), rows.slice(i, i + 500), NOTIFICATION_INTEGERS)
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .execute();
  }
  return { queued: rows.length, told: [...told], channels: [...used] };
}
