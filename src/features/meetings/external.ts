import { type ApiTokenRef, recordAudit, recordAudits } from '../../db/audit.js';
import { whereKeyIn } from '../../db/bulkInsert.js';
import type { Db, Executor } from '../../db/database.js';
import { isBusy, isUniqueViolation } from '../../db/errors.js';
import { AppError, badRequest } from '../../lib/errors.js';
import { announceMeetings } from './announce.js';
import { createMeetings, type MeetingDraft } from './create.js';
import { participantIdsOf } from './queries.js';
import {
  announceChange,
  cancelMeetingIn,
  lockMeeting,
  nextUpdatedAt,
  notePlace,
  notePreviousTime,
  skipWaiting,
  supersedeWaitingIntros,
} from './service.js';
import type { MeetingMessageSettings } from './settings.js';

/**
 * What a cancelled meeting's external id becomes (`<id>:cancelled:<meetingId>`), freeing `<id>` for
 * a meeting made anew: no source may send an id holding it.
 */
export const CANCELLED_MARK = ':cancelled:';

/** The id a source knows a meeting by: a cancelled one's without the mark that freed it for reuse. */
export function sourcesExternalId(externalId: string | null): string | null {
  if (externalId === null) return null;
  const mark = externalId.indexOf(CANCELLED_MARK);
  return mark === -1 ? externalId : externalId.slice(0, mark);
}

/**
 * How far ahead of this server's clock a source's change time may be. The newest change wins: one
 * dated years ahead would make every real update after it "stale", for ever.
 */
const MAX_CHANGE_AHEAD_MS = 24 * 3_600_000;

/** Whether a source's change time (ISO 8601) is within a day of now, as every way in requires. */
export const changeTimeIsNear = (time: string): boolean => Date.parse(time) <= Date.now() + MAX_CHANGE_AHEAD_MS;

/** A meeting as an outside source (the 42 intranet, a queue, an API caller) describes it. */
export interface ExternalMeeting {
  source: string;
  externalId: string;
  title: string;
  startsAt: string | null;
  durationMinutes?: number | null;
  roomUrl?: string | null;
  participantIds: string[];
  settings?: Partial<MeetingMessageSettings>;
  /** The source's own change time: an update older than the one stored changes nothing. */
  updatedAt?: string | null;
  /**
   * Where it happens (a room of an event), for sources that have places: meetings store no place,
   * so the source names the one it last told people too. A different place at the same time is a
   * change people are told about ("Room changed", old and new place); a first place is not.
   */
  place?: { name: string; previous: string | null } | null;
  /**
   * A source whose ids never come back once it has cancelled them (a 42 scale team destroyed is
   * gone): a later create or update under a cancelled key is a late retry and changes nothing,
   * instead of making the meeting anew.
   */
  staysCancelled?: boolean;
}

export type UpsertOutcome =
  | { meetingId: string; outcome: 'created'; announced: boolean }
  | { meetingId: string; outcome: 'updated'; moved: boolean; relocated: boolean; added: string[]; removed: string[] }
  | { meetingId: string; outcome: 'unchanged' | 'stale' | 'cancelled' };

/**
 * Creates or updates the meeting a source knows as (source, externalId), in one transaction with
 * its messages: a new meeting is announced (unless its time has passed: stored, nobody told); a
 * changed time is a "rescheduled" notice with the reminder re-armed (a changed place alone too,
 * with the waiting reminder kept); people added get the intro,
 * people removed a cancellation. An update older than the stored one (`updatedAt`) is ignored, so
 * a burst arriving out of order ends with the newest. A cancelled meeting that comes again is
 * made anew under the same key, unless its source's ids never come back (`staysCancelled`).
 */
export async function upsertExternalMeeting(props: {
  db: Db;
  meeting: ExternalMeeting;
  actorId?: string | null;
  apiToken?: ApiTokenRef | null;
  now?: Date;
  /** false: stored and updated without telling anyone (e.g. an unconference's first publication). */
  announce?: boolean;
}): Promise<UpsertOutcome> {
  const { db, ...rest } = props;
  // Two first deliveries of one meeting racing: the loser's insert meets the unique key (source,
  // external id), its transaction is rolled back whole, and it runs again as an update.
  for (let tries = 1; ; tries++) {
    try {
      return await db.transaction().execute((trx) => upsertExternalMeetingIn(trx, rest));
    } catch (error) {
      if (tries < 3 && (isUniqueViolation(error) || isBusy(error))) continue;
      throw error;
    }
  }
}

/**
 * `upsertExternalMeeting` in the caller's transaction (a batch of deliveries committed together).
 * A unique violation (a concurrent first delivery of the same meeting) is the caller's to retry.
 */
export async function upsertExternalMeetingIn(
  trx: Executor,
  props: {
    meeting: ExternalMeeting;
    actorId?: string | null;
    apiToken?: ApiTokenRef | null;
    now?: Date;
    announce?: boolean;
  },
): Promise<UpsertOutcome> {
  const now = props.now ?? new Date();
  const tell = props.announce !== false;
  const m = props.meeting;
  const participantIds = [...new Set(m.participantIds)];
  if (!participantIds.length) throw badRequest('participants: must name at least one person.', 'participants');
  const startsAt = m.startsAt ? new Date(m.startsAt).toISOString() : null;
  const future = !startsAt || Date.parse(startsAt) > now.getTime();
  const found = await trx
    .selectFrom('meetings')
    .select('id')
    .where('source', '=', m.source)
    .where('external_id', '=', m.externalId)
    .executeTakeFirst();
  // Row lock first (concurrent updates of one meeting queue up here), then read what to compare:
  // read before the lock, an older update could pass the check and then overwrite a newer one.
  const existing = found && (await lockMeeting(trx, found.id));
  if (m.updatedAt && existing?.external_updated_at && m.updatedAt < existing.external_updated_at) {
    return { meetingId: existing.id, outcome: 'stale' as const };
  }
  if (existing?.status === 'cancelled' && m.staysCancelled) {
    return { meetingId: existing.id, outcome: 'cancelled' as const };
  }
  if (!existing || existing.status === 'cancelled') {
    if (existing) {
      // The key is unique per source: the cancelled meeting gives it up and keeps its history.
      await trx
        .updateTable('meetings')
        .set({ external_id: `${m.externalId}${CANCELLED_MARK}${existing.id}` })
        .where('id', '=', existing.id)
        .execute();
    }
    const [made] = await createExternalMeetingsIn(trx, [m], props);
    return made as UpsertOutcome;
  }

  const current = await participantIdsOf(trx, existing.id);
  const added = participantIds.filter((id) => !current.includes(id));
  const removed = current.filter((id) => !participantIds.includes(id));
  const duration = m.durationMinutes ?? existing.duration_minutes ?? (startsAt ? 30 : null);
  const moved = existing.starts_at !== startsAt || existing.duration_minutes !== duration;
  const place = m.place ?? null;
  const relocated = place !== null && place.previous !== null && place.previous !== place.name;
  // A new title or link is nobody's news, but the waiting reminders must not carry the old ones.
  const renamed = existing.title !== m.title || (existing.room_url ?? null) !== (m.roomUrl ?? null);
  const changed = moved || relocated || renamed || added.length > 0 || removed.length > 0;
  const updatedAt = nextUpdatedAt(existing.updated_at, now);
  await trx
    .updateTable('meetings')
    .set({
      title: m.title,
      starts_at: startsAt,
      duration_minutes: duration,
      room_url: m.roomUrl ?? null,
      external_updated_at: m.updatedAt ?? existing.external_updated_at,
      ...(moved && existing.starts_at ? { status: 'rescheduled' as const } : {}),
      updated_at: changed ? updatedAt : existing.updated_at,
    })
    .where('id', '=', existing.id)
    .execute();
  if (!changed) {
    return { meetingId: existing.id, outcome: 'unchanged' as const };
  }

  // The intros still waiting describe the meeting as it was: they go, and their readers are
  // introduced to it as it is now.
  const waiting = tell ? await supersedeWaitingIntros(trx, existing.id) : null;
  // Told before they leave the meeting: the cancellation is the meeting as they knew it. Someone
  // whose intro was still waiting had heard nothing of it and is sent nothing.
  const toldRemoved = waiting ? removed.filter((id) => !waiting.people.has(id)) : [];
  if (toldRemoved.length) {
    await announceMeetings(trx, {
      meetingIds: [existing.id],
      kind: 'cancel',
      revision: updatedAt,
      only: toldRemoved,
      now,
    });
  }
  if (removed.length) {
    await trx
      .deleteFrom('meeting_participants')
      .where('meeting_id', '=', existing.id)
      .where('person_id', 'in', removed)
      .execute();
  }
  if (added.length) {
    await trx
      .insertInto('meeting_participants')
      .values(added.map((person_id) => ({ meeting_id: existing.id, person_id, role: 'participant' })))
      .execute();
  }
  if (future && (moved || renamed || added.length || removed.length)) {
    // The waiting reminders name the old time, title, link or people: they go, and new ones come
    // with the notices below (or alone, for the people who stay when only the rest changed). A new
    // place alone keeps them: the time they are due at has not changed.
    await skipWaiting(trx, existing.id, ['reminder'], 'The meeting changed.');
  }
  if (future && waiting) {
    const revision = `${startsAt}@${updatedAt}`;
    const stay = participantIds.filter((id) => !added.includes(id));
    // Its reminder follows a move; with the place alone changed, the waiting one (same key) stays.
    // Without a move, the people who stay get their reminder re-armed (the waiting one named the
    // old title, link or people).
    const kind = moved || relocated ? 'rescheduled' : renamed || added.length || removed.length ? 'reminder' : null;
    await announceChange(trx, {
      meetingId: existing.id,
      kind,
      waiting,
      told: stay.filter((id) => !waiting.people.has(id)),
      fresh: [...stay.filter((id) => waiting.people.has(id)), ...added],
      revision,
      now,
    });
    if (kind === 'rescheduled') {
      await notePreviousTime(trx, existing.id, revision, existing.starts_at);
      if (place) await notePlace(trx, existing.id, revision, place);
    }
  }
  await recordAudit(trx, {
    actorId: props.actorId ?? null,
    apiToken: props.apiToken ?? null,
    action: 'meeting.update',
    subjectType: 'meeting',
    subjectId: existing.id,
    data: {
      source: m.source,
      externalId: m.externalId,
      moved,
      relocated,
      renamed,
      added: added.length,
      removed: removed.length,
    },
  });
  return { meetingId: existing.id, outcome: 'updated' as const, moved, relocated, added, removed };
}

/**
 * Many meetings at once, in the caller's transaction, each as `upsertExternalMeetingIn` would have
 * it in the list's order: the ones new to their source (none stored under the key, and the first
 * of their key in the list) are made together, in a few statements whatever their number; the
 * others (updates, a key that comes again, a cancelled meeting made anew) one by one after them,
 * in order. Keys are independent, so only the order within one key matters, and it is kept.
 */
export async function upsertExternalMeetingsIn(
  trx: Executor,
  meetings: readonly ExternalMeeting[],
  props: { actorId?: string | null; now?: Date; announce?: boolean } = {},
): Promise<UpsertOutcome[]> {
  const stored = new Set<string>();
  const bySource = new Map<string, string[]>();
  for (const m of meetings) bySource.set(m.source, [...(bySource.get(m.source) ?? []), m.externalId]);
  for (const [source, externalIds] of bySource) {
    const unique = [...new Set(externalIds)];
    for (let i = 0; i < unique.length; i += 400) {
      const rows = await whereKeyIn(
        trx,
        trx.selectFrom('meetings').select('external_id').where('source', '=', source),
        'external_id',
        unique.slice(i, i + 400),
      ).execute();
      for (const row of rows) stored.add(`${source}\u0000${row.external_id}`);
    }
  }
  const fresh: number[] = [];
  const later: number[] = [];
  const taken = new Set(stored);
  meetings.forEach((m, i) => {
    const key = `${m.source}\u0000${m.externalId}`;
    if (taken.has(key)) later.push(i);
    else {
      taken.add(key);
      fresh.push(i);
    }
  });
  const outcomes: UpsertOutcome[] = new Array(meetings.length);
  const made = await createExternalMeetingsIn(
    trx,
    fresh.map((i) => meetings[i] as ExternalMeeting),
    props,
  );
  fresh.forEach((i, n) => {
    outcomes[i] = made[n] as UpsertOutcome;
  });
  for (const i of later)
    outcomes[i] = await upsertExternalMeetingIn(trx, { ...props, meeting: meetings[i] as ExternalMeeting });
  return outcomes;
}

/**
 * Makes meetings nobody has stored under their (source, external id) yet — a unique violation if
 * one has — announced unless their time has passed (stored, nobody told) or `announce` is false.
 */
async function createExternalMeetingsIn(
  trx: Executor,
  meetings: readonly ExternalMeeting[],
  props: { actorId?: string | null; apiToken?: ApiTokenRef | null; now?: Date; announce?: boolean },
): Promise<Array<UpsertOutcome & { outcome: 'created' }>> {
  const now = props.now ?? new Date();
  const tell = props.announce !== false;
  const drafts = meetings.map((m): MeetingDraft & { announced: boolean } => {
    const participantIds = [...new Set(m.participantIds)];
    if (!participantIds.length) throw badRequest('participants: must name at least one person.', 'participants');
    const startsAt = m.startsAt ? new Date(m.startsAt).toISOString() : null;
    const future = !startsAt || Date.parse(startsAt) > now.getTime();
    return {
      source: m.source,
      externalId: m.externalId,
      title: m.title,
      startsAt,
      durationMinutes: m.durationMinutes ?? null,
      roomUrl: m.roomUrl ?? null,
      participantIds,
      externalUpdatedAt: m.updatedAt ?? null,
      ...(m.settings && { settings: m.settings }),
      announced: future && tell,
    };
  });
  const ids = new Map<MeetingDraft, string>();
  // Told and untold ones apart (a past evaluation is stored, nobody told): one call each at most.
  for (const announce of [true, false]) {
    const group = drafts.filter((d) => d.announced === announce);
    if (!group.length) continue;
    const made = await createMeetings(
      trx,
      group.map(({ announced: _, ...draft }) => draft),
      { announce, now },
    );
    group.forEach((draft, i) => {
      ids.set(draft, made.ids[i] as string);
    });
  }
  const outcomes = drafts.map((d) => ({
    meetingId: ids.get(d) as string,
    outcome: 'created' as const,
    announced: d.announced,
  }));
  await recordAudits(
    trx,
    outcomes.map((o, i) => ({
      actorId: props.actorId ?? null,
      apiToken: props.apiToken ?? null,
      action: 'meeting.create',
      subjectType: 'meeting',
      subjectId: o.meetingId,
      data: { source: drafts[i]?.source, externalId: drafts[i]?.externalId, announced: o.announced },
    })),
  );
  return outcomes;
}

/**
 * Cancels the meeting a source knows as (source, externalId) and tells its people. An unknown id,
 * or a meeting already cancelled, changes nothing (a source may say "destroy" more than once).
 */
export async function cancelByExternalId(props: {
  db: Db;
  source: string;
  externalId: string;
  actorId?: string | null;
  apiToken?: ApiTokenRef | null;
}): Promise<CancelOutcome> {
  const { db, ...rest } = props;
  return db.transaction().execute((trx) => cancelByExternalIdIn(trx, rest));
}

/** What a cancel by external id did; `already` says why a known meeting was left as it was. */
export interface CancelOutcome {
  meetingId: string | null;
  cancelled: boolean;
  already?: 'cancelled' | 'done';
}

/** `cancelByExternalId` in the caller's transaction. */
export async function cancelByExternalIdIn(
  trx: Executor,
  props: {
    source: string;
    externalId: string;
    actorId?: string | null;
    apiToken?: ApiTokenRef | null;
    /** The source's own time of the cancellation: an update older than it, arriving late, is stale. */
    updatedAt?: string | null;
  },
): Promise<CancelOutcome> {
  const find = () =>
    trx
      .selectFrom('meetings')
      .select(['id', 'status'])
      .where('source', '=', props.source)
      .where('external_id', '=', props.externalId)
      .executeTakeFirst();
  const found = await find();
  if (!found) return { meetingId: null, cancelled: false };
  if (props.updatedAt) {
    const at = props.updatedAt;
    await trx
      .updateTable('meetings')
      .set({ external_updated_at: at })
      .where('id', '=', found.id)
      .where((eb) => eb.or([eb('external_updated_at', 'is', null), eb('external_updated_at', '<', at)]))
      .execute();
  }
  if (found.status === 'cancelled' || found.status === 'done') {
    return { meetingId: found.id, cancelled: false, already: found.status };
  }
  try {
    await cancelMeetingIn(trx, {
      meetingId: found.id,
      actorId: props.actorId ?? null,
      apiToken: props.apiToken ?? null,
      audit: { source: props.source, externalId: props.externalId },
    });
  } catch (error) {
    // Cancelled or held meanwhile by another request: the outcome the caller wanted stands.
    if (error instanceof AppError && error.status === 409) {
      const now = await find();
      return { meetingId: found.id, cancelled: false, already: now?.status === 'done' ? 'done' : 'cancelled' };
    }
    throw error;
  }
  return { meetingId: found.id, cancelled: true };
}
