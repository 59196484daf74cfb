import type { Executor } from '../../db/database.js';
import { notFound } from '../../lib/errors.js';
import type { PersonRow } from '../people/presenters.js';

export type MeetingAccess = 'participant' | 'assistant' | 'admin';

/**
 * How the viewer may see a meeting: as one of its participants, as the assistant a participant
 * named (who arranges their calendar), or as an admin. Anyone else gets the same 404 as for a
 * meeting that does not exist, so ids reveal nothing. Whoever may see a meeting may also arrange
 * it (set its time, cancel it, mark it done): assistants exist to manage calendars.
 */
export async function meetingAccess(db: Executor, viewer: PersonRow, meetingId: string): Promise<MeetingAccess> {
  const meeting = await db.selectFrom('meetings').select('id').where('id', '=', meetingId).executeTakeFirst();
  if (meeting) {
    const participant = await db
      .selectFrom('meeting_participants')
      .select('person_id')
      .where('meeting_id', '=', meetingId)
      .where('person_id', '=', viewer.id)
      .executeTakeFirst();
    if (participant) return 'participant';
    const assisted = await db
      .selectFrom('meeting_participants')
      .innerJoin('people', 'people.id', 'meeting_participants.person_id')
      .select('people.id')
      .where('meeting_participants.meeting_id', '=', meetingId)
      .where('people.assistant_id', '=', viewer.id)
      .executeTakeFirst();
    if (assisted) return 'assistant';
    if (viewer.role === 'admin') return 'admin';
  }
  throw notFound('No such meeting.');
}
