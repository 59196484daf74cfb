import { createHmac } from 'node:crypto';
import type { Executor } from '../../db/database.js';
import type { FeedbackAnswer, FeedbackVia } from '../../db/schema.js';
import { badRequest, conflict, forbidden, notFound } from '../../lib/errors.js';
import { constantTimeEqual } from '../../lib/ids.js';
import { nowIso } from '../../lib/time.js';

/**
 * "Did you meet?" answers. A follow-up message carries one signed link per answer, so a person
 * answers in one click without signing in; the signature binds the meeting and the person, and
 * only the answer is theirs to choose.
 */
export function feedbackToken(key: Buffer, meetingId: string, personId: string): string {
  return createHmac('sha256', key).update(`feedback:${meetingId}:${personId}`).digest('base64url').slice(0, 32);
}

export function checkFeedbackToken(key: Buffer, meetingId: string, personId: string, token: string): boolean {
  return constantTimeEqual(feedbackToken(key, meetingId, personId), token);
}

/** A timed meeting can be answered from its start; an untimed match from the next day (UTC) after it was made. */
export function answerableFrom(meeting: { starts_at: string | null; created_at: string }): number {
  if (meeting.starts_at) return Date.parse(meeting.starts_at);
  const made = new Date(meeting.created_at);
  return Date.UTC(made.getUTCFullYear(), made.getUTCMonth(), made.getUTCDate() + 1);
}

/**
 * Records (or changes) a participant's answer. Answering twice keeps one row: the latest answer.
 */
export async function recordFeedback(
  db: Executor,
  props: { meetingId: string; personId: string; answer: FeedbackAnswer; via: FeedbackVia; at?: string },
): Promise<void> {
  if (props.answer !== 'yes' && props.answer !== 'no') throw badRequest('The answer must be yes or no.', 'answer');
  const meeting = await db
    .selectFrom('meetings')
    .select(['id', 'status', 'starts_at', 'created_at'])
    .where('id', '=', props.meetingId)
    .executeTakeFirst();
  if (!meeting) throw notFound('No such meeting.');
  const participant = await db
    .selectFrom('meeting_participants')
    .select('person_id')
    .where('meeting_id', '=', props.meetingId)
    .where('person_id', '=', props.personId)
    .executeTakeFirst();
  if (!participant) throw forbidden('Only the meeting’s participants can say whether it took place.');
  // Whether people met is known only once they could have: an answer before that would count a
  // meeting that has not happened (and inflate the group's "met" share).
  if (meeting.status === 'cancelled') throw conflict('The meeting was cancelled.');
  const now = props.at ? Date.parse(props.at) : Date.now();
  const from = answerableFrom(meeting);
  if (now < from) {
    const when = new Date(from).toISOString().slice(0, 16).replace('T', ' ');
    throw conflict(
      meeting.starts_at
        ? `The meeting has not taken place yet: you can answer once it has started (${when} UTC).`
        : `You were matched today: you can say whether you met from tomorrow (${when} UTC).`,
      'answer',
    );
  }
  const values = { answer: props.answer, via: props.via, answered_at: props.at ?? nowIso() };
  await db
    .insertInto('meeting_feedback')
    .values({ meeting_id: props.meetingId, person_id: props.personId, ...values })
    .onConflict((oc) => oc.columns(['meeting_id', 'person_id']).doUpdateSet(values))
    .execute();
}

export interface GroupFeedback {
  /** Follow-ups answered (one per person per meeting). */
  answers: number;
  /** Meetings at least one participant said took place. */
  met: number;
  /** Meetings with at least one answer. */
  answeredMeetings: number;
  /** met / answeredMeetings, 0 when nobody answered. */
  metRate: number;
}

/** What the group's follow-up answers say: how many of its meetings took place. */
export async function groupFeedback(db: Executor, groupId: string): Promise<GroupFeedback> {
  const rows = await db
    .selectFrom('meeting_feedback')
    .innerJoin('meetings', 'meetings.id', 'meeting_feedback.meeting_id')
    .select(['meeting_feedback.meeting_id', 'meeting_feedback.answer'])
    .where('meetings.group_id', '=', groupId)
    .execute();
  const byMeeting = new Map<string, boolean>();
  for (const row of rows)
    byMeeting.set(row.meeting_id, (byMeeting.get(row.meeting_id) ?? false) || row.answer === 'yes');
  const met = [...byMeeting.values()].filter(Boolean).length;
  return {
    answers: rows.length,
    met,
    answeredMeetings: byMeeting.size,
    metRate: byMeeting.size === 0 ? 0 : met / byMeeting.size,
  };
}
