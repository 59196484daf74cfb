import { recordAudit } from '../../db/audit.js';
import type { Db } from '../../db/database.js';
import type { EventPhase } from '../../db/schema.js';
import { badRequest, notFound } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { renderMarkdown } from '../../lib/markdown/index.js';
import { nowIso } from '../../lib/time.js';
import { listChanged } from './cache.js';
import { phaseAt } from './phase.js';
import { type EventRow, findTalksEvent } from './queries.js';
import type { CreateEventInput, UpdateEventInput } from './schemas.js';

/** Switch times as stored: UTC ISO text, which sorts and compares as strings on both engines. */
const utc = (value: string | null): string | null => (value === null ? null : new Date(value).toISOString());

function checkTimes(opensAt: string | null, closesAt: string | null): void {
  if (opensAt && closesAt && closesAt <= opensAt) {
    throw badRequest('votingClosesAt: Voting must close after it opens.', 'votingClosesAt');
  }
}

export async function createTalksEvent(props: {
  db: Db;
  actorId: string | null;
  input: CreateEventInput;
  /** The phase to start in (the demo starts one in voting); proposals by default. */
  phase?: EventPhase;
}): Promise<EventRow> {
  const { input } = props;
  const opensAt = utc(input.votingOpensAt);
  const closesAt = utc(input.votingClosesAt);
  checkTimes(opensAt, closesAt);
  const descriptionHtml = await renderMarkdown(input.description, 'description');
  const now = nowIso();
  const event: EventRow = {
    id: newId(),
    kind: 'talks',
    name: input.name,
    description: input.description,
    description_html: descriptionHtml,
    phase: props.phase ?? 'proposals',
    proposals_during_voting: input.proposalsDuringVoting ? 1 : 0,
    top_n: input.topN,
    vote_limit: input.voteLimit,
    voting_opens_at: opensAt,
    voting_closes_at: closesAt,
    allow_self_vote: input.allowSelfVote ? 1 : 0,
    archived_at: null,
    talks_at: utc(input.talksAt),
    venue: input.venue,
    created_at: now,
    updated_at: now,
  };
  await props.db.transaction().execute(async (trx) => {
    await trx.insertInto('events').values(event).execute();
    await recordAudit(trx, {
      actorId: props.actorId,
      action: 'event.create',
      subjectType: 'event',
      subjectId: event.id,
      data: { kind: 'talks', name: event.name },
    });
  });
  return event;
}

export async function updateTalksEvent(props: {
  db: Db;
  actorId: string | null;
  eventId: string;
  changes: UpdateEventInput;
}): Promise<EventRow> {
  const { changes } = props;
  // Rendered before the transaction: it may take up to the renderer's deadline.
  const descriptionHtml =
    changes.description !== undefined ? await renderMarkdown(changes.description, 'description') : undefined;
  const updated = await props.db.transaction().execute(async (trx) => {
    const event = await findTalksEvent(trx, props.eventId);
    if (!event) throw notFound('No such event.');
    const opensAt = changes.votingOpensAt !== undefined ? utc(changes.votingOpensAt) : event.voting_opens_at;
    const closesAt = changes.votingClosesAt !== undefined ? utc(changes.votingClosesAt) : event.voting_closes_at;
    checkTimes(opensAt, closesAt);
    await trx
      .updateTable('events')
      .set({
        ...(changes.name !== undefined && { name: changes.name }),
        ...(changes.description !== undefined && {
          description: changes.description,
          description_html: descriptionHtml,
        }),
        ...(changes.topN !== undefined && { top_n: changes.topN }),
        ...(changes.voteLimit !== undefined && { vote_limit: changes.voteLimit }),
        ...(changes.proposalsDuringVoting !== undefined && {
          proposals_during_voting: changes.proposalsDuringVoting ? 1 : 0,
        }),
        ...(changes.allowSelfVote !== undefined && { allow_self_vote: changes.allowSelfVote ? 1 : 0 }),
        ...(changes.talksAt !== undefined && { talks_at: utc(changes.talksAt) }),
        ...(changes.venue !== undefined && { venue: changes.venue }),
        voting_opens_at: opensAt,
        voting_closes_at: closesAt,
        updated_at: nowIso(),
      })
      .where('id', '=', event.id)
      .execute();
    await recordAudit(trx, {
      actorId: props.actorId,
      action: 'event.update',
      subjectType: 'event',
      subjectId: event.id,
      data: { fields: Object.keys(changes) },
    });
    return (await findTalksEvent(trx, event.id)) as EventRow;
  });
  listChanged(props.db, updated.id);
  return updated;
}

/**
 * The admin moves the event to a phase. Switch times already past would move it straight back, so
 * they are cleared: the admin's word is the latest.
 */
export async function setTalksPhase(props: {
  db: Db;
  actorId: string | null;
  eventId: string;
  phase: EventPhase;
}): Promise<EventRow> {
  const updated = await props.db.transaction().execute(async (trx) => {
    const event = await findTalksEvent(trx, props.eventId);
    if (!event) throw notFound('No such event.');
    const now = nowIso();
    const from = phaseAt(event, now);
    const past = (at: string | null) => at !== null && at <= now;
    await trx
      .updateTable('events')
      .set({
        phase: props.phase,
        voting_opens_at: props.phase === 'proposals' && past(event.voting_opens_at) ? null : event.voting_opens_at,
        voting_closes_at: props.phase !== 'closed' && past(event.voting_closes_at) ? null : event.voting_closes_at,
        updated_at: now,
      })
      .where('id', '=', event.id)
      .execute();
    await recordAudit(trx, {
      actorId: props.actorId,
      action: 'event.phase',
      subjectType: 'event',
      subjectId: event.id,
      data: { from, to: props.phase },
    });
    return (await findTalksEvent(trx, event.id)) as EventRow;
  });
  listChanged(props.db, updated.id);
  return updated;
}

/**
 * The job's half of timed switches: writes down phases whose switch time has passed. The update is
 * conditional on the phase it read, so with several processes each switch is recorded once.
 */
export async function switchDuePhases(props: { db: Db; now?: Date }): Promise<number> {
  const now = (props.now ?? new Date()).toISOString();
  const due = (await props.db
    .selectFrom('events')
    .selectAll()
    .where('kind', '=', 'talks')
    .where('phase', '!=', 'closed')
    .where((eb) =>
      eb.or([
        eb.and([eb('phase', '=', 'proposals'), eb('voting_opens_at', '<=', now)]),
        eb('voting_closes_at', '<=', now),
      ]),
    )
    .execute()) as EventRow[];
  let switched = 0;
  for (const event of due) {
    const to = phaseAt(event, now);
    if (to === event.phase) continue;
    const changed = await props.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('events')
        .set({ phase: to, updated_at: now })
        .where('id', '=', event.id)
        .where('phase', '=', event.phase)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return false;
      await recordAudit(trx, {
        actorId: null,
        action: 'event.phase',
        subjectType: 'event',
        subjectId: event.id,
        data: { from: event.phase, to, timed: true },
      });
      return true;
    });
    if (changed) {
      switched++;
      listChanged(props.db, event.id);
    }
  }
  return switched;
}

/** Archives an event (kept with its proposals, votes and results, out of the everyday list) or brings it back. */
export async function setTalksArchived(props: {
  db: Db;
  actorId: string | null;
  eventId: string;
  archived: boolean;
}): Promise<EventRow> {
  const updated = await props.db.transaction().execute(async (trx) => {
    const event = await findTalksEvent(trx, props.eventId);
    if (!event) throw notFound('No such event.');
    const now = nowIso();
    await trx
      .updateTable('events')
      .set({ archived_at: props.archived ? (event.archived_at ?? now) : null, updated_at: now })
      .where('id', '=', event.id)
      .execute();
    await recordAudit(trx, {
      actorId: props.actorId,
      action: props.archived ? 'event.archive' : 'event.unarchive',
      subjectType: 'event',
      subjectId: event.id,
      data: { name: event.name },
    });
    return (await findTalksEvent(trx, event.id)) as EventRow;
  });
  listChanged(props.db, updated.id);
  return updated;
}

/** What deleting an event takes with it: the confirmation names these numbers. */
export async function talksEventDeletion(db: Db, eventId: string): Promise<{ proposals: number; votes: number }> {
  const event = await findTalksEvent(db, eventId);
  if (!event) throw notFound('No such event.');
  const [proposals, votes] = await Promise.all([
    db
      .selectFrom('proposals')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('event_id', '=', eventId)
      .executeTakeFirst(),
    db
      .selectFrom('votes')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('event_id', '=', eventId)
      .executeTakeFirst(),
  ]);
  return { proposals: Number(proposals?.n ?? 0), votes: Number(votes?.n ?? 0) };
}

/**
 * Deletes an event with its proposals, votes and ballots (the foreign keys cascade). The audit entry
 * keeps what went, as the confirmation named it.
 */
export async function deleteTalksEvent(props: { db: Db; actorId: string | null; eventId: string }): Promise<void> {
  const gone = await talksEventDeletion(props.db, props.eventId);
  await props.db.transaction().execute(async (trx) => {
    const event = await findTalksEvent(trx, props.eventId);
    if (!event) throw notFound('No such event.');
    await trx.deleteFrom('events').where('id', '=', event.id).execute();
    await recordAudit(trx, {
      actorId: props.actorId,
      action: 'event.delete',
      subjectType: 'event',
      subjectId: event.id,
      data: { name: event.name, ...gone },
    });
  });
  listChanged(props.db, props.eventId);
}
