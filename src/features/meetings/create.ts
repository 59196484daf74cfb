import { withRows } from '../../db/bulkInsert.js';
import type { Executor } from '../../db/database.js';
import { newRoomName } from '../../integrations/jitsi.js';
import { badRequest } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { announceMeetings } from './announce.js';
import { type MeetingMessageSettings, NO_ORIGIN, settingsColumns } from './settings.js';

const MEETING_INTEGERS = ['duration_minutes', 'reminder_minutes', 'follow_up_days'];

/** A meeting about to be made, by any source: a mixer round, an admin, an event, an outside system. */
export interface MeetingDraft {
  /** 'round', 'manual', 'unconference', or an outside source's name ('intra42', an API caller's). */
  source: string;
  /** Unique per source; null for meetings nobody outside refers to. */
  externalId?: string | null;
  groupId?: string | null;
  roundId?: string | null;
  title: string;
  startsAt?: string | null;
  durationMinutes?: number | null;
  /** A link that came with the meeting; else it gets a private video room. */
  roomUrl?: string | null;
  participantIds: string[];
  settings?: Partial<MeetingMessageSettings>;
  /** When the outside source last changed it (the newest wins when updates arrive out of order). */
  externalUpdatedAt?: string | null;
}

/**
 * Makes meetings with their participants and video rooms, and queues their intros (with the
 * reminders and follow-ups that follow) — in the caller's transaction, so a round, an import or an
 * admin's meeting exists exactly with its messages. The only code that inserts meetings.
 * `announce: false` stores without telling anyone (a meeting whose time has already passed).
 */
export async function createMeetings(
  trx: Executor,
  drafts: MeetingDraft[],
  options: { announce?: boolean; now?: Date } = {},
): Promise<{ ids: string[]; queued: number }> {
  if (!drafts.length) return { ids: [], queued: 0 };
  const now = (options.now ?? new Date()).toISOString();
  const rows = drafts.map((draft) => {
    const settings = { ...NO_ORIGIN, ...draft.settings };
    return {
      id: newId(),
      source: draft.source,
      external_id: draft.externalId ?? null,
      group_id: draft.groupId ?? null,
      round_id: draft.roundId ?? null,
      title: draft.title,
      starts_at: draft.startsAt ?? null,
      duration_minutes: draft.durationMinutes ?? (draft.startsAt ? 30 : null),
      room_url: draft.roomUrl ?? null,
      room_name: draft.roomUrl ? null : newRoomName(settings.originName ?? draft.title),
      status: 'scheduled' as const,
      external_updated_at: draft.externalUpdatedAt ?? null,
      created_at: now,
      updated_at: now,
      ...settingsColumns(settings),
    };
  });
  drafts.forEach((draft, i) => {
    if (!new Set(draft.participantIds).size) {
      throw badRequest(`meetings[${i}].participants: must name at least one person.`, 'participants');
    }
  });
  for (let i = 0; i < rows.length; i += 100) {
    await withRows(trx, trx.insertInto('meetings'), rows.slice(i, i + 100), MEETING_INTEGERS).execute();
  }
  const participants = rows.flatMap((row, i) =>
    [...new Set(drafts[i]?.participantIds)].map((person_id) => ({
      meeting_id: row.id,
      person_id,
      role: 'participant',
    })),
  );
  for (let i = 0; i < participants.length; i += 300) {
    await withRows(trx, trx.insertInto('meeting_participants'), participants.slice(i, i + 300)).execute();
  }
  const ids = rows.map((row) => row.id);
  const queued =
    options.announce === false
      ? 0
      : (
          await announceMeetings(trx, {
            meetingIds: ids,
            kind: 'intro',
            ...(options.now && { now: options.now }),
            known: { meetings: rows, participation: participants },
          })
        ).queued;
  return { ids, queued };
}
