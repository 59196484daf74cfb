import type { CreateEventInput, UpdateEventInput } from '../../contract/unconference.js';
import { recordAudit } from '../../db/audit.js';
import type { Db, Executor } from '../../db/database.js';
import type { UnconferencePhase } from '../../db/schema.js';
import { badRequest, notFound } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { renderMarkdown } from '../../lib/markdown/index.js';
import { nowIso } from '../../lib/time.js';
import { PHASE_ORDER, unconferencePhaseAt } from './phase.js';
import { findUnconferenceEvent, type UnconfEventRow } from './queries.js';
import { reanchorSlots } from './timetable.js';

const utc = (value: string | null): string | null => (value === null ? null : new Date(value).toISOString());

/** Set times must come in the phases' order. */
function checkTimes(times: { scheduling_at: string | null; publish_at: string | null; finish_at: string | null }) {
  const ordered: Array<[string, string | null]> = [
    ['schedulingAt', times.scheduling_at],
    ['publishAt', times.publish_at],
    ['finishAt', times.finish_at],
  ];
  let last: [string, string] | null = null;
  for (const [field, at] of ordered) {
    if (at === null) continue;
    if (last && at <= last[1]) throw badRequest(`${field}: must be after ${last[0]}.`, field);
    last = [field, at];
  }
}

export async function createUnconferenceEvent(props: {
  db: Db;
  actorId: string | null;
  input: CreateEventInput;
}): Promise<UnconfEventRow> {
  const { input } = props;
  const times = {
    scheduling_at: utc(input.schedulingAt),
    publish_at: utc(input.publishAt),
    finish_at: utc(input.finishAt),
  };
  checkTimes(times);
  const descriptionHtml = await renderMarkdown(input.description, 'description');
  const now = nowIso();
  const id = newId();
  await props.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('events')
      .values({
        id,
        kind: 'unconference',
        name: input.name,
        description: input.description,
        description_html: descriptionHtml,
        phase: 'proposals',
        // The talks' own settings, unused here.
        proposals_during_voting: 0,
        top_n: 0,
        vote_limit: null,
        voting_opens_at: null,
        voting_closes_at: null,
        archived_at: null,
        talks_at: null,
        venue: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await trx
      .insertInto('unconf_settings')
      .values({
        event_id: id,
        timezone: input.timezone,
        website_active: input.websiteActive ? 1 : 0,
        schedule_visible: input.scheduleVisible ? 1 : 0,
        proposal_limit: input.proposalLimit,
        video_rooms: input.videoRooms ? 1 : 0,
        ...times,
      })
      .execute();
    await recordAudit(trx, {
      actorId: props.actorId,
      action: 'event.create',
      subjectType: 'event',
      subjectId: id,
      data: { kind: 'unconference', name: input.name },
    });
  });
  return (await findUnconferenceEvent(props.db, id)) as UnconfEventRow;
}

export async function updateUnconferenceEvent(props: {
  db: Db;
  actorId: string | null;
  eventId: string;
  changes: UpdateEventInput;
}): Promise<UnconfEventRow> {
  const { changes } = props;
  const descriptionHtml =
    changes.description !== undefined ? await renderMarkdown(changes.description, 'description') : undefined;
  return props.db.transaction().execute(async (trx) => {
    const event = await findUnconferenceEvent(trx, props.eventId);
    if (!event) throw notFound('No such event.');
    const times = {
      scheduling_at: changes.schedulingAt !== undefined ? utc(changes.schedulingAt) : event.settings.scheduling_at,
      publish_at: changes.publishAt !== undefined ? utc(changes.publishAt) : event.settings.publish_at,
      finish_at: changes.finishAt !== undefined ? utc(changes.finishAt) : event.settings.finish_at,
    };
    checkTimes(times);
    const now = nowIso();
    // Slots keep their wall-clock times in the new zone.
    if (changes.timezone !== undefined) await reanchorSlots(trx, event.id, event.settings.timezone, changes.timezone);
    if (changes.name !== undefined || changes.description !== undefined) {
      await trx
        .updateTable('events')
        .set({
          ...(changes.name !== undefined && { name: changes.name }),
          ...(changes.description !== undefined && {
            description: changes.description,
            description_html: descriptionHtml,
          }),
          updated_at: now,
        })
        .where('id', '=', event.id)
        .execute();
    } else {
      await trx.updateTable('events').set({ updated_at: now }).where('id', '=', event.id).execute();
    }
    await trx
      .updateTable('unconf_settings')
      .set({
        ...(changes.timezone !== undefined && { timezone: changes.timezone }),
        ...(changes.websiteActive !== undefined && { website_active: changes.websiteActive ? 1 : 0 }),
        ...(changes.scheduleVisible !== undefined && { schedule_visible: changes.scheduleVisible ? 1 : 0 }),
        ...(changes.proposalLimit !== undefined && { proposal_limit: changes.proposalLimit }),
        ...(changes.videoRooms !== undefined && { video_rooms: changes.videoRooms ? 1 : 0 }),
        ...times,
      })
      .where('event_id', '=', event.id)
      .execute();
    await recordAudit(trx, {
      actorId: props.actorId,
      action: 'event.update',
      subjectType: 'event',
      subjectId: event.id,
      data: { kind: 'unconference', fields: Object.keys(changes) },
    });
    return (await findUnconferenceEvent(trx, event.id)) as UnconfEventRow;
  });
}

/**
 * The one write of a phase move, whoever makes it (the admin, a publication, the job): the event's
 * phase and its `event.phase` audit entry. With `onlyFrom`, only an event still in one of those
 * phases moves, so a move another process made first is not recorded twice. True when it moved.
 */
async function movePhase(
  trx: Executor,
  move: {
    eventId: string;
    to: UnconferencePhase;
    actorId: string | null;
    now: string;
    /** The phase it moves from, as the audit entry records it. */
    from?: UnconferencePhase;
    onlyFrom?: UnconferencePhase[];
    cause?: { byPublication: true } | { timed: true };
  },
): Promise<boolean> {
  let update = trx.updateTable('events').set({ phase: move.to, updated_at: move.now }).where('id', '=', move.eventId);
  if (move.onlyFrom) update = update.where('phase', 'in', move.onlyFrom);
  const moved = await update.executeTakeFirst();
  if (Number(moved.numUpdatedRows) === 0) return false;
  await recordAudit(trx, {
    actorId: move.actorId,
    action: 'event.phase',
    subjectType: 'event',
    subjectId: move.eventId,
    data: { kind: 'unconference', ...(move.from && { from: move.from }), to: move.to, ...move.cause },
  });
  return true;
}

/**
 * The admin moves the event to a phase now (forward or back). Set times already past would move it
 * straight on again, so those are cleared: the admin's word is the latest.
 */
export async function setUnconferencePhase(props: {
  db: Db;
  actorId: string | null;
  eventId: string;
  phase: UnconferencePhase;
}): Promise<UnconfEventRow> {
  return props.db.transaction().execute(async (trx) => {
    const event = await findUnconferenceEvent(trx, props.eventId);
    if (!event) throw notFound('No such event.');
    const now = nowIso();
    const from = unconferencePhaseAt({ phase: event.phase, ...event.settings }, now);
    const keep = (at: string | null) => (at !== null && at <= now ? null : at);
    await movePhase(trx, { eventId: event.id, from, to: props.phase, actorId: props.actorId, now });
    await trx
      .updateTable('unconf_settings')
      .set({
        scheduling_at: keep(event.settings.scheduling_at),
        publish_at: keep(event.settings.publish_at),
        finish_at: keep(event.settings.finish_at),
      })
      .where('event_id', '=', event.id)
      .execute();
    return (await findUnconferenceEvent(trx, event.id)) as UnconfEventRow;
  });
}

/**
 * Publishing a schedule makes the event published: an event still taking proposals or being
 * scheduled moves on, one that is finished stays so. Inside the publication's transaction.
 */
export async function markUnconferencePublished(
  trx: Executor,
  props: { eventId: string; actorId: string | null; now: string },
): Promise<void> {
  await movePhase(trx, {
    ...props,
    to: 'published',
    onlyFrom: ['proposals', 'scheduling'],
    cause: { byPublication: true },
  });
}

/**
 * The job's half of timed moves (`unconference-phases` in src/jobs/registry.ts): writes down the
 * phase of every unconference whose set time has passed. Conditional on the phase it read, so with
 * several processes each move is recorded once.
 */
export async function switchDueUnconferencePhases(props: { db: Db; now?: Date }): Promise<number> {
  const now = (props.now ?? new Date()).toISOString();
  const due = await props.db
    .selectFrom('events')
    .innerJoin('unconf_settings', 'unconf_settings.event_id', 'events.id')
    .select([
      'events.id',
      'events.phase',
      'unconf_settings.scheduling_at',
      'unconf_settings.publish_at',
      'unconf_settings.finish_at',
    ])
    .where('events.kind', '=', 'unconference')
    .where('events.phase', '!=', 'finished')
    .where((eb) =>
      eb.or([
        eb('unconf_settings.scheduling_at', '<=', now),
        eb('unconf_settings.publish_at', '<=', now),
        eb('unconf_settings.finish_at', '<=', now),
      ]),
    )
    .execute();
  let switched = 0;
  for (const row of due) {
    const phase = row.phase as UnconferencePhase;
    const to = unconferencePhaseAt({ ...row, phase }, now);
    if (PHASE_ORDER.indexOf(to) <= PHASE_ORDER.indexOf(phase)) continue;
    const changed = await props.db.transaction().execute((trx) =>
      movePhase(trx, {
        eventId: row.id,
        from: phase,
        to,
        actorId: null,
        now,
        onlyFrom: [phase],
        cause: { timed: true },
      }),
    );
    if (changed) switched++;
  }
  return switched;
}

/** Deletes an unconference with everything in it (the foreign keys cascade). */
export async function deleteUnconferenceEvent(props: { db: Db; actorId: string | null; eventId: string }) {
  await props.db.transaction().execute(async (trx) => {
    const event = await findUnconferenceEvent(trx, props.eventId);
    if (!event) throw notFound('No such event.');
    // Working placements reference slots and rooms without a cascade of their own: they go first.
    await trx.deleteFrom('unconf_assignments').where('event_id', '=', event.id).execute();
    await trx.deleteFrom('events').where('id', '=', event.id).execute();
    await recordAudit(trx, {
      actorId: props.actorId,
      action: 'event.delete',
      subjectType: 'event',
      subjectId: event.id,
      data: { kind: 'unconference', name: event.name },
    });
  });
}
