import type { Executor } from '../../db/database.js';
import type { NotificationChannel, NotificationKind, NotificationsTable } from '../../db/schema.js';
import { newRoomName } from '../../integrations/jitsi.js';
import { newId } from '../../lib/ids.js';
import { enabledChannels } from './channels.js';
import { followOnRows } from './followOn.js';
import { invitationSequence } from './invitation.js';
import type { NotificationPayload, PayloadPerson } from './payload.js';
import { loadWants } from './prefs.js';

const CHUNK = 400;

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Gives each meeting that has none an unguessable video room, then queues `kind` messages for its
 * participants — in the caller's transaction, so the messages exist exactly when the change does
 * (the outbox rule). One row per person for e-mail, one per meeting for Slack (one conversation
 * with everyone who reads Slack): a person who cannot be reached never holds up the others.
 * Returns how many messages were queued.
 */
export async function prepareMeetings(
  trx: Executor,
  props: { meetingIds: string[]; kind: NotificationKind; revision?: string; now?: Date },
): Promise<number> {
  if (!props.meetingIds.length) return 0;
  const now = (props.now ?? new Date()).toISOString();
  let queued = 0;
  const channels = await enabledChannels(trx);
  for (const ids of chunks(props.meetingIds)) {
    const meetings = await trx
      .selectFrom('meetings')
      .leftJoin('groups', 'groups.id', 'meetings.group_id')
      .select([
        'meetings.id',
        'meetings.title',
        'meetings.starts_at',
        'meetings.duration_minutes',
        'meetings.room_name',
        'meetings.room_url',
        'meetings.group_id',
        'meetings.updated_at',
        'meetings.created_at',
        'meetings.reminder_minutes',
        'groups.name as group_name',
        'groups.follow_up_days',
        'groups.intro_template',
        'groups.reminder_template',
        'groups.follow_up_template',
      ])
      .where('meetings.id', 'in', ids)
      .execute();
    for (const meeting of meetings) {
      if (meeting.room_name || meeting.room_url || props.kind === 'cancel') continue;
      meeting.room_name = newRoomName(meeting.group_name ?? meeting.title);
      await trx.updateTable('meetings').set({ room_name: meeting.room_name }).where('id', '=', meeting.id).execute();
    }
    if (!channels.size) continue;

    const people = await trx
      .selectFrom('meeting_participants')
      .innerJoin('people', 'people.id', 'meeting_participants.person_id')
      .leftJoin('people as assistant', 'assistant.id', 'people.assistant_id')
      .select([
        'meeting_participants.meeting_id',
        'people.id',
        'people.name',
        'people.email',
        'people.timezone',
        'people.title',
        'people.team',
        'people.enabled',
        'assistant.name as assistant_name',
        'assistant.email as assistant_email',
        'assistant.enabled as assistant_enabled',
      ])
      .where('meeting_participants.meeting_id', 'in', ids)
      .orderBy('people.name')
      .execute();
    const personIds = [...new Set(people.map((p) => p.id))];
    const wants = await loadWants(trx, personIds);

    const rows: NotificationsTable[] = [];
    for (const meeting of meetings) {
      const attendees = people.filter((p) => p.meeting_id === meeting.id && p.enabled === 1);
      const participants: PayloadPerson[] = attendees.map((p) => ({
        id: p.id,
        name: p.name,
        email: p.email,
        timezone: p.timezone,
        title: p.title,
        team: p.team,
      }));
      const base: Omit<NotificationPayload, 'recipient' | 'readers'> = {
        kind: props.kind,
        meeting: {
          id: meeting.id,
          title: meeting.title,
          startsAt: meeting.starts_at,
          durationMinutes: meeting.duration_minutes,
          roomName: meeting.room_name,
          roomUrl: meeting.room_url,
          groupId: meeting.group_id,
          groupName: meeting.group_name,
          sequence: invitationSequence(meeting.updated_at),
        },
        participants,
        // Snapshotted like the rest of the payload: the message says what the group said when the
        // meeting was made, and the worker needs no join. Editing a template changes later messages.
        template: props.kind === 'intro' ? meeting.intro_template : null,
      };
      const firstRow = rows.length;
      const key = (channel: string, who: string) =>
        [meeting.id, props.kind, props.revision ?? '', channel, who].join(':');
      const row = (channel: NotificationChannel, personId: string | null, payload: NotificationPayload) => ({
        id: newId(),
        meeting_id: meeting.id,
        person_id: personId,
        channel,
        kind: props.kind,
        payload: JSON.stringify(payload),
        status: 'pending' as const,
        attempts: 0,
        next_attempt_at: now,
        claimed_until: null,
        claimed_by: null,
        recovered: 0 as const,
        last_error: null,
        result: null,
        sent_at: null,
        dedupe_key: key(channel, personId ?? '*'),
        created_at: now,
        updated_at: now,
      });
      if (channels.has('email')) {
        for (const p of attendees) {
          if (!p.email || !wants(p.id, meeting.group_id, 'email')) continue;
          const cc =
            p.assistant_email && p.assistant_enabled === 1
              ? [{ name: p.assistant_name ?? '', email: p.assistant_email }]
              : [];
          const recipient = participants.find((x) => x.id === p.id) as PayloadPerson;
          rows.push(row('email', p.id, { ...base, recipient: { ...recipient, cc } }));
        }
      }
      if (channels.has('slack')) {
        const readers = attendees.filter((p) => p.email && wants(p.id, meeting.group_id, 'slack')).map((p) => p.id);
        if (readers.length) rows.push(row('slack', null, { ...base, readers }));
      }
      if (channels.has('mattermost')) {
        const readers = attendees
          .filter((p) => p.email && wants(p.id, meeting.group_id, 'mattermost'))
          .map((p) => p.id);
        if (readers.length) rows.push(row('mattermost', null, { ...base, readers }));
      }
      // Another system, not a person, reads the webhook: one event per meeting and change.
      if (channels.has('webhook')) rows.push(row('webhook', null, { ...base }));
      // Keep last in this loop: reminders and follow-ups go to every channel queued above.
      rows.push(...followOnRows(meeting, props.kind, rows.slice(firstRow), new Date(now)));
    }
    for (const part of chunks(rows, 100)) {
      // A message already queued for this change (same dedupe key) is not queued again.
      await trx
        .insertInto('notifications')
        .values(part)
        .onConflict((oc) => oc.column('dedupe_key').doNothing())
        .execute();
    }
    queued += rows.length;
  }
  return queued;
}
