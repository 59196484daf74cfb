import { recordAudit } from '../../db/audit.js';
import type { Db } from '../../db/database.js';
import { badRequest, conflict, notFound } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { nowIso } from '../../lib/time.js';
import { prepareMeetings } from './prepare.js';

/** An admin's (or an integration's) meeting: participants, an optional time, a room, intros queued. */
export async function createMeeting(props: {
  db: Db;
  title: string;
  participantIds: string[];
  startsAt?: string | null;
  durationMinutes?: number | null;
  actorId?: string | null;
}): Promise<{ meetingId: string; queued: number }> {
  const ids = [...new Set(props.participantIds)];
  if (ids.length < 1) throw badRequest('A meeting needs at least one participant.', 'participantIds');
  return props.db.transaction().execute(async (trx) => {
    const found = await trx.selectFrom('people').select('id').where('id', 'in', ids).execute();
    if (found.length !== ids.length) throw badRequest('Some participants do not exist.', 'participantIds');
    const meetingId = newId();
    const now = nowIso();
    await trx
      .insertInto('meetings')
      .values({
        id: meetingId,
        source: 'manual',
        external_id: null,
        group_id: null,
        round_id: null,
        title: props.title,
        starts_at: props.startsAt ?? null,
        duration_minutes: props.durationMinutes ?? (props.startsAt ? 30 : null),
        room_url: null,
        status: 'scheduled',
        created_at: now,
        updated_at: now,
      })
      .execute();
    await trx
      .insertInto('meeting_participants')
      .values(ids.map((person_id) => ({ meeting_id: meetingId, person_id, role: 'participant' })))
      .execute();
    const queued = await prepareMeetings(trx, { meetingIds: [meetingId], kind: 'intro' });
    await recordAudit(trx, {
      actorId: props.actorId ?? null,
      action: 'meeting.create',
      subjectType: 'meeting',
      subjectId: meetingId,
      data: { participants: ids.length, startsAt: props.startsAt ?? null },
    });
    return { meetingId, queued };
  });
}

/** Cancels a meeting and queues the cancellation (with an iCalendar CANCEL where it had a time). */
export async function cancelMeeting(props: { db: Db; meetingId: string; actorId?: string | null }): Promise<number> {
  return props.db.transaction().execute(async (trx) => {
    const meeting = await trx
      .selectFrom('meetings')
      .select(['id', 'status'])
      .where('id', '=', props.meetingId)
      .executeTakeFirst();
    if (!meeting) throw notFound('No such meeting.');
    if (meeting.status === 'cancelled') throw conflict('The meeting is already cancelled.');
    await trx
      .updateTable('meetings')
      .set({ status: 'cancelled', updated_at: nowIso() })
      .where('id', '=', meeting.id)
      .execute();
    const queued = await prepareMeetings(trx, { meetingIds: [meeting.id], kind: 'cancel' });
    await recordAudit(trx, {
      actorId: props.actorId ?? null,
      action: 'meeting.cancel',
      subjectType: 'meeting',
      subjectId: meeting.id,
    });
    return queued;
  });
}
