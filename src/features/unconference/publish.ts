import { recordAudit } from '../../db/audit.js';
import type { Db, Executor } from '../../db/database.js';
import { isUniqueViolation } from '../../db/errors.js';
import { badRequest, conflict } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { cancelByExternalId, upsertExternalMeeting } from '../meetings/external.js';
import { eventOrigin } from '../meetings/settings.js';
import { scoreOf } from './evaluate.js';
import { markUnconferencePublished } from './events.js';
import { findUnconferenceEvent, loadEventSchedule } from './scheduleInstance.js';
import { assertNoActiveRun, type RunLimits } from './scheduleRuns.js';
import { latestVersion } from './versions.js';

export const MEETING_SOURCE = 'unconference';
/** Interested people ("Yes" and "Very") are the meeting's participants besides its owners. */
export const PARTICIPANT_INTEREST = 75;

/** The meeting key of a session: unique per source across events. */
export const sessionExternalId = (eventId: string, proposalId: string) => `event:${eventId}:${proposalId}`;

export interface PublishOutcome {
  versionId: string;
  number: number;
  sessions: number;
  /** Sessions whose time changed since the previous version (their people were told, when notify). */
  moved: number;
  /** Sessions that kept their time and changed room (their people were told too, when notify). */
  relocated: number;
  removed: number;
  meetingsCreated: number;
  notified: boolean;
}

/**
 * Publishes the working schedule as the next version: the version and its sessions (with title,
 * times and room name copied in) in one transaction; then each session becomes a meeting of the
 * event through the meetings service (source 'unconference', origin event:<id>), its participants
 * the owners and the people who said Yes or Very. The first publication tells nobody unless
 * `notify` is true; later ones tell (unless `notify` is false) only the people of sessions whose
 * time or room changed, with the old and the new time and room. Sessions gone from the schedule
 * are cancelled.
 */
export async function publishSchedule(props: {
  db: Db;
  eventId: string;
  actorId: string | null;
  note?: string;
  notify?: boolean;
  limits: RunLimits;
  now?: Date;
}): Promise<PublishOutcome> {
  const { db, eventId } = props;
  const event = await findUnconferenceEvent(db, eventId);
  await assertNoActiveRun(db, eventId, props.limits);
  const schedule = await loadEventSchedule(db, eventId);
  if (!schedule.working.length)
    throw badRequest('schedule: nothing is scheduled yet: run the scheduler first.', 'schedule');
  const previous = await latestVersion(db, eventId);
  const notify = props.notify ?? previous !== undefined;

  const slots = new Map(schedule.slots.map((s) => [s.id, s]));
  const rooms = new Map(schedule.rooms.map((r) => [r.id, r]));
  const titles = new Map(schedule.sessions.map((s) => [s.id, s.title]));
  const before = new Map<string, { starts_at: string; room_name: string }>();
  if (previous) {
    const rows = await db
      .selectFrom('unconf_version_sessions')
      .select(['proposal_id', 'starts_at', 'room_name'])
      .where('version_id', '=', previous.id)
      .execute();
    for (const r of rows) before.set(r.proposal_id, r);
  }

  const versionId = newId();
  const number = (previous?.number ?? 0) + 1;
  const now = (props.now ?? new Date()).toISOString();
  const sessions = schedule.working.map((p) => ({
    version_id: versionId,
    proposal_id: p.session,
    title: titles.get(p.session) ?? '',
    slot_id: p.slot,
    room_id: p.room,
    room_name: rooms.get(p.room)?.name ?? '',
    starts_at: slots.get(p.slot)!.startsAt,
    ends_at: slots.get(p.slot)!.endsAt,
    meeting_id: null as string | null,
  }));
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('unconf_versions')
        .values({
          id: versionId,
          event_id: eventId,
          number,
          published_at: now,
          published_by: props.actorId,
          score: scoreOf(schedule, schedule.working),
          note: props.note ?? '',
        })
        .execute();
      for (let i = 0; i < sessions.length; i += 200) {
        await trx
          .insertInto('unconf_version_sessions')
          .values(sessions.slice(i, i + 200))
          .execute();
      }
      await markUnconferencePublished(trx, { eventId, actorId: props.actorId, now });
      await recordAudit(trx, {
        actorId: props.actorId,
        action: 'unconference.schedule.publish',
        subjectType: 'unconf_version',
        subjectId: versionId,
        data: { eventId, number, sessions: sessions.length, notify },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw conflict('Another publication of this event happened at the same time.', 'version');
    throw error;
  }

  // The meetings: each upsert is its own transaction in the meetings service. A failure part-way
  // leaves some meetings at the old time; publishing again brings them all to this version.
  const interested = await db
    .selectFrom('unconf_interests')
    .select(['proposal_id', 'person_id'])
    .where('event_id', '=', eventId)
    .where('level', '>=', PARTICIPANT_INTEREST)
    .execute();
  const peopleOf = new Map<string, Set<string>>();
  for (const s of schedule.sessions) peopleOf.set(s.id, new Set(s.owners));
  for (const i of interested) peopleOf.get(i.proposal_id)?.add(i.person_id);

  let moved = 0;
  let relocated = 0;
  let meetingsCreated = 0;
  for (const s of sessions) {
    const old = before.get(s.proposal_id);
    if (old && old.starts_at !== s.starts_at) moved++;
    else if (old && old.room_name !== s.room_name) relocated++;
    const participantIds = [...(peopleOf.get(s.proposal_id) ?? [])];
    if (!participantIds.length) continue;
    const room = rooms.get(s.room_id);
    const outcome = await upsertExternalMeeting({
      db,
      meeting: {
        source: MEETING_SOURCE,
        externalId: sessionExternalId(eventId, s.proposal_id),
        title: s.title,
        startsAt: s.starts_at,
        durationMinutes: Math.max(1, Math.round((Date.parse(s.ends_at) - Date.parse(s.starts_at)) / 60_000)),
        roomUrl: room?.url ?? null,
        participantIds,
        settings: { origin: eventOrigin(eventId), originName: event.name },
        // Meetings keep no room: the room of the previous version is what people were told.
        place: { name: s.room_name, previous: old?.room_name ?? null },
      },
      actorId: props.actorId,
      announce: notify,
      ...(props.now && { now: props.now }),
    });
    if (outcome.outcome === 'created') meetingsCreated++;
    await db
      .updateTable('unconf_version_sessions')
      .set({ meeting_id: outcome.meetingId })
      .where('version_id', '=', versionId)
      .where('proposal_id', '=', s.proposal_id)
      .execute();
  }
  const kept = new Set(sessions.map((s) => s.proposal_id));
  let removed = 0;
  for (const proposalId of before.keys()) {
    if (kept.has(proposalId)) continue;
    removed++;
    await cancelByExternalId({
      db,
      source: MEETING_SOURCE,
      externalId: sessionExternalId(eventId, proposalId),
      actorId: props.actorId,
    });
  }
  return {
    versionId,
    number,
    sessions: sessions.length,
    moved,
    relocated,
    removed,
    meetingsCreated,
    notified: notify,
  };
}

export interface ChangelogEntry {
  number: number;
  publishedAt: string;
  note: string;
  sessions: number;
  changes: Array<{
    /** moved: another time (and maybe room); room_changed: same time, another room. */
    kind: 'added' | 'removed' | 'moved' | 'room_changed';
    proposalId: string;
    title: string;
    from: { startsAt: string; endsAt: string; room: string } | null;
    to: { startsAt: string; endsAt: string; room: string } | null;
  }>;
}

/** Every published version, newest first, with what changed from the one before (the first: all added). */
export async function scheduleChangelog(db: Executor, eventId: string): Promise<ChangelogEntry[]> {
  await findUnconferenceEvent(db, eventId);
  const versions = await db
    .selectFrom('unconf_versions')
    .selectAll()
    .where('event_id', '=', eventId)
    .orderBy('number')
    .execute();
  if (!versions.length) return [];
  const rows = await db
    .selectFrom('unconf_version_sessions')
    .select(['version_id', 'proposal_id', 'title', 'room_name', 'starts_at', 'ends_at'])
    .where(
      'version_id',
      'in',
      versions.map((v) => v.id),
    )
    .orderBy('starts_at')
    .orderBy('title')
    .execute();
  const byVersion = new Map<string, typeof rows>();
  for (const r of rows) byVersion.set(r.version_id, [...(byVersion.get(r.version_id) ?? []), r]);
  const place = (r: (typeof rows)[number]) => ({ startsAt: r.starts_at, endsAt: r.ends_at, room: r.room_name });

  const entries: ChangelogEntry[] = [];
  let prev = new Map<string, (typeof rows)[number]>();
  for (const v of versions) {
    const now = new Map((byVersion.get(v.id) ?? []).map((r) => [r.proposal_id, r]));
    const changes: ChangelogEntry['changes'] = [];
    for (const [id, r] of now) {
      const old = prev.get(id);
      if (!old) changes.push({ kind: 'added', proposalId: id, title: r.title, from: null, to: place(r) });
      else if (old.starts_at !== r.starts_at || old.ends_at !== r.ends_at) {
        changes.push({ kind: 'moved', proposalId: id, title: r.title, from: place(old), to: place(r) });
      } else if (old.room_name !== r.room_name) {
        changes.push({ kind: 'room_changed', proposalId: id, title: r.title, from: place(old), to: place(r) });
      }
    }
    for (const [id, old] of prev) {
      if (!now.has(id)) changes.push({ kind: 'removed', proposalId: id, title: old.title, from: place(old), to: null });
    }
    entries.push({ number: v.number, publishedAt: v.published_at, note: v.note, sessions: now.size, changes });
    prev = now;
  }
  return entries.reverse();
}
