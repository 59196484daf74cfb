import { sql } from 'kysely';
import { type ApiTokenRef, recordAudit } from '../../db/audit.js';
import type { Db, Executor } from '../../db/database.js';
import { lockRow } from '../../db/rowLock.js';
import type { NotificationChannel, NotificationKind } from '../../db/schema.js';
import { badRequest, conflict, notFound } from '../../lib/errors.js';
import { nowIso } from '../../lib/time.js';
import { staleReasons } from '../notifications/freshness.js';
import { isRemoval, parsePayload } from '../notifications/payload.js';
import type { Queued } from '../notifications/queue.js';
import { introRecipients } from '../notifications/reach.js';
import { announceMeetings } from './announce.js';
import { createMeetings } from './create.js';
import { participantIdsOf } from './queries.js';

/** An admin's meeting: participants, an optional time, a room, intros queued. */
export async function createMeeting(props: {
  db: Db;
  title: string;
  participantIds: string[];
  startsAt?: string | null;
  durationMinutes?: number | null;
  actorId?: string | null;
  /** Refuse a start in the past (people creating a meeting by hand; imports may carry past ones). */
  futureOnly?: boolean;
}): Promise<{ meetingId: string; queued: number }> {
  const ids = [...new Set(props.participantIds)];
  if (ids.length < 1) throw badRequest('participantIds must name at least one person.', 'participantIds');
  if (props.futureOnly && props.startsAt) assertFuture(props.startsAt, new Date());
  return props.db.transaction().execute(async (trx) => {
    const found = await trx.selectFrom('people').select('id').where('id', 'in', ids).execute();
    if (found.length !== ids.length)
      throw badRequest('participantIds names someone who does not exist.', 'participantIds');
    const made = await createMeetings(trx, [
      {
        source: 'manual',
        title: props.title,
        startsAt: props.startsAt ?? null,
        durationMinutes: props.durationMinutes ?? null,
        participantIds: ids,
      },
    ]);
    const meetingId = made.ids[0] as string;
    await recordAudit(trx, {
      actorId: props.actorId ?? null,
      action: 'meeting.create',
      subjectType: 'meeting',
      subjectId: meetingId,
      data: { participants: ids.length, startsAt: props.startsAt ?? null },
    });
    return { meetingId, queued: made.queued };
  });
}

/** What calling a meeting off queued, and the participants it tells nothing (see `callOff`). */
export type CallOff = Queued & { unaware: string[] };

/** Cancels a meeting and tells the people who had heard of it (with an iCalendar CANCEL where it had a time). */
export async function cancelMeeting(props: { db: Db; meetingId: string; actorId?: string | null }): Promise<CallOff> {
  return props.db.transaction().execute((trx) => cancelMeetingIn(trx, props));
}

/** `cancelMeeting` in the caller's transaction: an admin, a participant, the API or a 42 destroy. */
export async function cancelMeetingIn(
  trx: Executor,
  props: {
    meetingId: string;
    actorId?: string | null;
    apiToken?: ApiTokenRef | null;
    /** What the audit entry says besides (a meeting from outside: its source and the id it has there). */
    audit?: Record<string, unknown>;
  },
): Promise<CallOff> {
  const meeting = await lockMeeting(trx, props.meetingId);
  if (meeting.status === 'cancelled') throw conflict('The meeting is already cancelled.');
  if (meeting.status === 'done') throw conflict('The meeting has already taken place.');
  const calledOff = await callOff(trx, meeting, 'The meeting was cancelled.');
  await recordAudit(trx, {
    actorId: props.actorId ?? null,
    apiToken: props.apiToken ?? null,
    action: 'meeting.cancel',
    subjectType: 'meeting',
    subjectId: meeting.id,
    data: { ...props.audit, told: calledOff.told.length },
  });
  return calledOff;
}

/**
 * Withdraws meetings in the caller's transaction (a mixer round undone): each one still open is
 * called off as `cancelMeetingIn` does. A meeting already cancelled or held is left as it is.
 */
export async function withdrawMeetings(
  trx: Executor,
  props: { meetingIds: string[]; actorId?: string | null; reason: string },
): Promise<{ cancelled: string[]; told: string[]; channels: Queued['channels'] }> {
  const cancelled: string[] = [];
  const told = new Set<string>();
  const channels = new Set<Queued['channels'][number]>();
  for (const meetingId of props.meetingIds) {
    const meeting = await lockMeeting(trx, meetingId);
    if (meeting.status === 'cancelled' || meeting.status === 'done') continue;
    const calledOff = await callOff(trx, meeting, props.reason);
    cancelled.push(meeting.id);
    for (const id of calledOff.told) told.add(id);
    for (const channel of calledOff.channels) channels.add(channel);
    await recordAudit(trx, {
      actorId: props.actorId ?? null,
      action: 'meeting.cancel',
      subjectType: 'meeting',
      subjectId: meeting.id,
      data: { reason: props.reason, told: calledOff.told.length },
    });
  }
  return { cancelled, told: [...told], channels: [...channels] };
}

/** The messages that tell someone of a meeting: whoever one reached hears of its changes. */
const HEARD_OF_IT: NotificationKind[] = ['intro', 'rescheduled', 'reminder', 'follow_up'];

/**
 * Who has heard of the meeting: the people a message about it reached or a worker is sending to
 * now. Read after the waiting messages a change replaces were dropped, so one a worker claimed
 * meanwhile counts as heard.
 */
async function peopleWhoHeard(trx: Executor, meetingId: string): Promise<Set<string>> {
  const heard = await introRecipients(trx, [meetingId], ['sent', 'sending'], HEARD_OF_IT);
  return heard.get(meetingId) ?? new Set<string>();
}

/**
 * A change to a meeting whose intros have not all gone out: the waiting ones describe it as it
 * was (the old time, the old people), so they are dropped, and their readers are introduced afresh
 * to the meeting as it is now (`announceChange`). Returns whose intro was waiting, and whether the
 * webhook's was; everyone else has heard of the meeting — by a message, or by what its source
 * published (an unconference's agenda, whose first publication sends nothing) — and is told the
 * change itself.
 */
export async function supersedeWaitingIntros(
  trx: Executor,
  meetingId: string,
): Promise<{ people: Set<string>; webhook: boolean }> {
  const pending = (await introRecipients(trx, [meetingId], ['pending'])).get(meetingId) ?? new Set<string>();
  const webhookIntro = await trx
    .selectFrom('notifications')
    .select('id')
    .where('meeting_id', '=', meetingId)
    .where('channel', '=', 'webhook')
    .where('kind', '=', 'intro')
    .where('status', '=', 'pending')
    .limit(1)
    .executeTakeFirst();
  await skipWaiting(trx, meetingId, ['intro'], SUPERSEDED);
  // Reached already on another channel (the Slack intro went, the e-mail one waited): not new to them.
  const heard = await peopleWhoHeard(trx, meetingId);
  return { people: new Set([...pending].filter((id) => !heard.has(id))), webhook: webhookIntro !== undefined };
}

const SUPERSEDED = 'The meeting changed before it was sent: a new introduction replaced it.';

/**
 * Tells a change: `kind` ('rescheduled', or a re-armed 'reminder') to `told`, the people who knew
 * the meeting, and an intro of the meeting as it is now to `fresh` (people added, and those whose
 * intro was waiting); the webhook gets the intro if its own was waiting, else the change.
 */
export async function announceChange(
  trx: Executor,
  props: {
    meetingId: string;
    kind: 'rescheduled' | 'reminder' | null;
    waiting: { people: Set<string>; webhook: boolean };
    told: string[];
    fresh: string[];
    revision: string;
    now?: Date;
  },
): Promise<Queued> {
  const { meetingId, waiting, revision } = props;
  const now = props.now ? { now: props.now } : {};
  const parts: Queued[] = [];
  if (props.kind && (props.told.length || !waiting.webhook)) {
    parts.push(
      await announceMeetings(trx, {
        meetingIds: [meetingId],
        kind: props.kind,
        revision,
        only: props.told,
        webhook: !waiting.webhook,
        ...now,
      }),
    );
  }
  if (props.fresh.length || waiting.webhook) {
    parts.push(
      await announceMeetings(trx, {
        meetingIds: [meetingId],
        kind: 'intro',
        revision,
        only: props.fresh,
        webhook: waiting.webhook,
        ...now,
      }),
    );
  }
  return {
    queued: parts.reduce((n, q) => n + q.queued, 0),
    told: [...new Set(parts.flatMap((q) => q.told))],
    channels: [...new Set(parts.flatMap((q) => q.channels))],
  };
}

/**
 * Cancels one open meeting, locked by the caller: every message about it that has not gone out is
 * dropped (an intro still waiting never leaves), and only the people a message about it already
 * reached — or a worker is sending to now — are told it is off. The others (`unaware`) had heard nothing of it,
 * and a cancellation would be the first they hear: they are sent nothing. The webhook, which
 * another system reads, is queued its event; the outbox sends it only if that system heard of the
 * meeting (freshness.ts).
 */
async function callOff(trx: Executor, meeting: { id: string; updated_at: string }, reason: string): Promise<CallOff> {
  await trx
    .updateTable('meetings')
    .set({ status: 'cancelled', updated_at: nextUpdatedAt(meeting.updated_at, new Date()) })
    .where('id', '=', meeting.id)
    .execute();
  await skipWaiting(trx, meeting.id, ['intro', 'reminder', 'rescheduled', 'follow_up'], reason);
  await removalsBecomeCancellations(trx, meeting.id);
  const reached = await peopleWhoHeard(trx, meeting.id);
  const queued = await announceMeetings(trx, { meetingIds: [meeting.id], kind: 'cancel', only: [...reached] });
  const going = await cancellationsThatGo(trx, meeting.id);
  const participants = await participantIdsOf(trx, meeting.id);
  return { ...queued, ...going, unaware: participants.filter((id) => !reached.has(id)) };
}

/**
 * A removal notice still waiting would tell its reader the meeting goes on for the others: now it
 * is off for everyone, so it goes as a plain cancellation. The webhook's removal event stays: the
 * people were removed, and the integrator hears of the cancellation by its own event.
 */
async function removalsBecomeCancellations(trx: Executor, meetingId: string): Promise<void> {
  const waiting = await trx
    .selectFrom('notifications')
    .select(['id', 'payload'])
    .where('meeting_id', '=', meetingId)
    .where('kind', '=', 'cancel')
    .where('status', '=', 'pending')
    .where('channel', '!=', 'webhook')
    .execute();
  for (const row of waiting) {
    const payload = parsePayload(row.payload);
    if (!isRemoval(payload)) continue;
    delete payload.removed;
    await trx
      .updateTable('notifications')
      .set({ payload: JSON.stringify(payload), updated_at: nowIso() })
      .where('id', '=', row.id)
      .where('status', '=', 'pending')
      .execute();
  }
}

/**
 * Whom the cancellation just queued will really reach, and by which channels: its rows judged by
 * the rule the outbox applies when it sends them (freshness.ts). A channel on which nothing about
 * the meeting went out (an e-mail intro sent, the Slack one still waiting and now dropped) skips
 * its cancellation, so the answer must not name it.
 */
async function cancellationsThatGo(trx: Executor, meetingId: string): Promise<Pick<Queued, 'told' | 'channels'>> {
  const rows = (
    await trx
      .selectFrom('notifications')
      .select(['id', 'meeting_id', 'person_id', 'channel', 'payload'])
      .where('meeting_id', '=', meetingId)
      .where('kind', '=', 'cancel')
      .where('status', '=', 'pending')
      .where('channel', '!=', 'webhook')
      .execute()
  )
    .map((row) => ({ ...row, payload: parsePayload(row.payload) }))
    // A removal notice still waiting is not this cancellation.
    .filter((row) => !isRemoval(row.payload));
  const stale = await staleReasons(trx, rows);
  const told = new Set<string>();
  const channels = new Set<NotificationChannel>();
  for (const row of rows) {
    if (stale.has(row.id)) continue;
    for (const id of row.person_id ? [row.person_id] : (row.payload.readers ?? [])) told.add(id);
    channels.add(row.channel);
  }
  return { told: [...told], channels: [...channels] };
}

/**
 * Sends the intros of meetings that some participants have not had — made while no channel
 * reached them — now that one does: per meeting, only the people no intro has reached or is on its
 * way to. The announcement's dedupe keys name it, so asking twice (or two admins at once) tells
 * nobody twice. Cancelled, held and past meetings are not announced.
 */
export async function announceUntold(
  trx: Executor,
  props: { meetingIds: string[]; now?: Date },
): Promise<{ meetings: number; told: string[]; channels: Queued['channels'] }> {
  const now = props.now ?? new Date();
  const told = new Set<string>();
  const channels = new Set<Queued['channels'][number]>();
  let meetings = 0;
  const already = await introRecipients(trx, props.meetingIds, ['pending', 'sending', 'sent']);
  for (let i = 0; i < props.meetingIds.length; i += 400) {
    const ids = props.meetingIds.slice(i, i + 400);
    const open = await trx
      .selectFrom('meetings')
      .select(['id', 'starts_at'])
      .where('id', 'in', ids)
      .where('status', 'in', ['scheduled', 'rescheduled'])
      .execute();
    const people = await trx
      .selectFrom('meeting_participants')
      .select(['meeting_id', 'person_id'])
      .where('meeting_id', 'in', ids)
      .execute();
    for (const meeting of open) {
      if (meeting.starts_at && Date.parse(meeting.starts_at) <= now.getTime()) continue;
      const heard = already.get(meeting.id) ?? new Set<string>();
      const only = people.filter((p) => p.meeting_id === meeting.id && !heard.has(p.person_id)).map((p) => p.person_id);
      if (!only.length) continue;
      const queued = await announceMeetings(trx, {
        meetingIds: [meeting.id],
        kind: 'intro',
        revision: 'announced',
        only,
        now,
      });
      if (queued.told.length) meetings++;
      for (const id of queued.told) told.add(id);
      for (const channel of queued.channels) channels.add(channel);
    }
  }
  return { meetings, told: [...told], channels: [...channels] };
}

/**
 * Marks the meeting's waiting reminders (or follow-ups) 'skipped' with the reason, in the
 * transaction of the change, so the deliveries page shows at once that they will not go out rather
 * than 'pending' until their due time. Rows a worker has claimed ('sending') are left to it:
 * freshness.ts skips them at send time. The skipped rows' dedupe keys get their id appended, so
 * the key is free for a message queued later for the same time.
 */
export async function skipWaiting(trx: Executor, meetingId: string, kinds: NotificationKind[], reason: string) {
  await trx
    .updateTable('notifications')
    .set({
      status: 'skipped',
      last_error: reason,
      claimed_until: null,
      claimed_by: null,
      dedupe_key: sql<string>`dedupe_key || ${':skipped:'} || id`,
      updated_at: nowIso(),
    })
    .where('meeting_id', '=', meetingId)
    .where('kind', 'in', kinds)
    .where('status', '=', 'pending')
    .execute();
}

/** The ICS SEQUENCE is updated_at in seconds: two changes within one second must still count up. */
export const nextUpdatedAt = (previous: string, now: Date) =>
  new Date(Math.max(now.getTime(), Date.parse(previous) + 1000)).toISOString();

function assertFuture(startsAt: string, now: Date): void {
  if (Date.parse(startsAt) <= now.getTime()) throw badRequest('startsAt: must be in the future.', 'startsAt');
}

/** Reads a meeting once its row is locked (src/db/rowLock.ts): changes to one meeting queue up. */
export async function lockMeeting(trx: Executor, meetingId: string) {
  await lockRow(trx, 'meetings', meetingId);
  const meeting = await trx
    .selectFrom('meetings')
    .select(['id', 'status', 'title', 'room_url', 'starts_at', 'duration_minutes', 'updated_at', 'external_updated_at'])
    .where('id', '=', meetingId)
    .executeTakeFirst();
  if (!meeting) throw notFound('No such meeting.');
  return meeting;
}

/**
 * Sets or changes a meeting's time (a mixer pair arranging their coffee, or an admin) and tells
 * everyone, with a new calendar invitation, in the same transaction. A first time keeps the status
 * 'scheduled'; moving an existing time makes it 'rescheduled'. Setting the time it already has
 * changes nothing and sends nothing.
 */
export async function rescheduleMeeting(props: {
  db: Db;
  meetingId: string;
  startsAt: string;
  durationMinutes?: number | null;
  actorId?: string | null;
  now?: Date;
}): Promise<{ changed: boolean; queued: Queued }> {
  const now = props.now ?? new Date();
  assertFuture(props.startsAt, now);
  const startsAt = new Date(props.startsAt).toISOString();
  return props.db.transaction().execute(async (trx) => {
    const meeting = await lockMeeting(trx, props.meetingId);
    if (meeting.status === 'cancelled') throw conflict('The meeting is cancelled: its time can no longer change.');
    if (meeting.status === 'done') throw conflict('The meeting has already taken place.');
    const duration = props.durationMinutes ?? meeting.duration_minutes ?? 30;
    if (meeting.starts_at === startsAt && meeting.duration_minutes === duration) {
      return { changed: false, queued: { queued: 0, told: [], channels: [] } };
    }
    const updatedAt = nextUpdatedAt(meeting.updated_at, now);
    await trx
      .updateTable('meetings')
      .set({
        starts_at: startsAt,
        duration_minutes: duration,
        status: meeting.starts_at ? 'rescheduled' : meeting.status,
        updated_at: updatedAt,
      })
      .where('id', '=', meeting.id)
      .execute();
    // Before queuing the new ones: skipping frees the old reminders' dedupe keys, so moving back
    // to a time the meeting once had (or changing only the duration) still queues reminders.
    await skipWaiting(trx, meeting.id, ['reminder'], 'The meeting was moved to another time.');
    const waiting = await supersedeWaitingIntros(trx, meeting.id);
    const people = await participantIdsOf(trx, meeting.id);
    // The revision names this change, so moving back to an earlier time is news again.
    const revision = `${startsAt}@${updatedAt}`;
    const queued = await announceChange(trx, {
      meetingId: meeting.id,
      kind: 'rescheduled',
      waiting,
      told: people.filter((id) => !waiting.people.has(id)),
      fresh: people.filter((id) => waiting.people.has(id)),
      revision,
      now,
    });
    await notePreviousTime(trx, meeting.id, revision, meeting.starts_at);
    await recordAudit(trx, {
      actorId: props.actorId ?? null,
      action: 'meeting.reschedule',
      subjectType: 'meeting',
      subjectId: meeting.id,
      data: { from: meeting.starts_at, to: startsAt, durationMinutes: duration },
    });
    return { changed: true, queued };
  });
}

/** Adds facts to the 'rescheduled' messages just queued for one revision of a meeting's change. */
async function patchRescheduled(
  trx: Executor,
  meetingId: string,
  revision: string,
  facts: Record<string, string | null>,
): Promise<void> {
  const rows = await trx
    .selectFrom('notifications')
    .select(['id', 'payload'])
    .where('meeting_id', '=', meetingId)
    .where('kind', '=', 'rescheduled')
    .where('dedupe_key', 'like', `${meetingId}:rescheduled:${revision}:%`)
    .execute();
  for (const row of rows) {
    const payload = JSON.parse(row.payload) as { meeting: Record<string, unknown> };
    Object.assign(payload.meeting, facts);
    await trx
      .updateTable('notifications')
      .set({ payload: JSON.stringify(payload) })
      .where('id', '=', row.id)
      .execute();
  }
}

/**
 * Adds the time before the change to the messages just queued for it, so a first time reads
 * "Time set" rather than "Rescheduled". prepareMeetings snapshots only the meeting as it is now.
 */
export async function notePreviousTime(trx: Executor, meetingId: string, revision: string, previous: string | null) {
  await patchRescheduled(trx, meetingId, revision, { previousStartsAt: previous });
}

/**
 * Adds the place (and the one before) to the 'rescheduled' messages just queued for a change, so
 * they say where as well as when: meetings store no place, the source that has one names it.
 */
export async function notePlace(
  trx: Executor,
  meetingId: string,
  revision: string,
  place: { name: string; previous: string | null },
) {
  await patchRescheduled(trx, meetingId, revision, { place: place.name, previousPlace: place.previous });
}

/** Marks a meeting as having taken place. No message goes out; the follow-up asks the participants. */
export async function markMeetingDone(props: {
  db: Db;
  meetingId: string;
  actorId?: string | null;
  now?: Date;
}): Promise<void> {
  const now = props.now ?? new Date();
  await props.db.transaction().execute(async (trx) => {
    const meeting = await lockMeeting(trx, props.meetingId);
    if (meeting.status === 'cancelled') throw conflict('The meeting was cancelled.');
    if (meeting.status === 'done') return;
    // Done is "we met": a meeting that has not begun cannot have happened (an untimed one may have).
    if (meeting.starts_at && Date.parse(meeting.starts_at) > now.getTime()) {
      throw conflict('The meeting has not started yet: it can be marked done once its start time has passed.');
    }
    await trx
      .updateTable('meetings')
      .set({ status: 'done', updated_at: nowIso() })
      .where('id', '=', meeting.id)
      .execute();
    await recordAudit(trx, {
      actorId: props.actorId ?? null,
      action: 'meeting.done',
      subjectType: 'meeting',
      subjectId: meeting.id,
    });
  });
}

/** An origin renamed (a mixer group, an event): its meetings show the new name from now on. */
export async function renameOrigin(trx: Executor, origin: string, name: string): Promise<void> {
  await trx.updateTable('meetings').set({ origin_name: name }).where('origin', '=', origin).execute();
}
