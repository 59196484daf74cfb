import type { Selectable } from 'kysely';
import type { Executor } from '../../db/database.js';

export { isUniqueViolation } from '../../db/errors.js';

import type { EventPhase, EventsTable, ProposalsTable } from '../../db/schema.js';

/** A talks event: the `events` row with the talks' own phases (queries below select kind 'talks' only). */
export type EventRow = Omit<Selectable<EventsTable>, 'phase'> & { phase: EventPhase };
export type ProposalRow = Selectable<ProposalsTable>;

export interface SpeakerRow {
  speaker_name: string;
  speaker_username: string;
  speaker_title: string | null;
  speaker_team: string | null;
  speaker_avatar: string | null;
}

export type ProposalWithSpeaker = ProposalRow & SpeakerRow;

export const findTalksEvent = (db: Executor, id: string): Promise<EventRow | undefined> =>
  db.selectFrom('events').selectAll().where('id', '=', id).where('kind', '=', 'talks').executeTakeFirst() as Promise<
    EventRow | undefined
  >;

export const findProposal = (db: Executor, id: string): Promise<ProposalRow | undefined> =>
  db.selectFrom('proposals').selectAll().where('id', '=', id).executeTakeFirst();

export const findProposalByTitle = (db: Executor, eventId: string, titleKey: string) =>
  db
    .selectFrom('proposals')
    .select('id')
    .where('event_id', '=', eventId)
    .where('title_key', '=', titleKey)
    .executeTakeFirst();

function withSpeaker(db: Executor) {
  return db
    .selectFrom('proposals')
    .innerJoin('people', 'people.id', 'proposals.speaker_id')
    .selectAll('proposals')
    .select([
      'people.name as speaker_name',
      'people.username as speaker_username',
      'people.title as speaker_title',
      'people.team as speaker_team',
      'people.avatar_url as speaker_avatar',
    ]);
}

export const findProposalWithSpeaker = (db: Executor, id: string): Promise<ProposalWithSpeaker | undefined> =>
  withSpeaker(db).where('proposals.id', '=', id).executeTakeFirst();

export function proposalsOfEvent(
  db: Executor,
  eventId: string,
  options: { includeHidden?: boolean } = {},
): Promise<ProposalWithSpeaker[]> {
  let query = withSpeaker(db).where('proposals.event_id', '=', eventId);
  if (!options.includeHidden) query = query.where('proposals.hidden', '=', 0);
  return query.orderBy('proposals.created_at').orderBy('proposals.id').execute();
}

export const proposalsOfSpeaker = (db: Executor, eventId: string, personId: string): Promise<ProposalWithSpeaker[]> =>
  withSpeaker(db)
    .where('proposals.event_id', '=', eventId)
    .where('proposals.speaker_id', '=', personId)
    .orderBy('proposals.created_at')
    .execute();

/** Every talks event, newest first; with `archived`, only the archived (true) or the current (false) ones. */
export async function listTalksEvents(db: Executor, options: { archived?: boolean } = {}): Promise<EventRow[]> {
  let query = db.selectFrom('events').selectAll().where('kind', '=', 'talks');
  if (options.archived !== undefined) {
    query = query.where('archived_at', options.archived ? 'is not' : 'is', null);
  }
  return (await query.orderBy('created_at', 'desc').execute()) as EventRow[];
}

/** Visible proposals per event. */
export async function proposalCounts(db: Executor, eventIds: string[]): Promise<Map<string, number>> {
  if (!eventIds.length) return new Map();
  const rows = await db
    .selectFrom('proposals')
    .select(['event_id', (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('event_id', 'in', eventIds)
    .where('hidden', '=', 0)
    .groupBy('event_id')
    .execute();
  return new Map(rows.map((row) => [row.event_id, Number(row.n)]));
}

/**
 * A person's votes in an event, as a query to select from: found through the event's proposals, one
 * probe of the votes' primary key (proposal, person) each (there is no person-first index).
 */
export const votesOfPersonInEvent = (db: Executor, eventId: string, personId: string) =>
  db
    .selectFrom('votes')
    .where('proposal_id', 'in', db.selectFrom('proposals').select('id').where('event_id', '=', eventId))
    .where('person_id', '=', personId);

export async function votesOfPerson(db: Executor, eventId: string, personId: string): Promise<string[]> {
  const rows = await votesOfPersonInEvent(db, eventId, personId).select('proposal_id').execute();
  return rows.map((row) => row.proposal_id);
}

export async function countVotesOfPerson(db: Executor, eventId: string, personId: string): Promise<number> {
  const row = await votesOfPersonInEvent(db, eventId, personId)
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The key that makes titles unique per event whatever their case or spacing. */
export { titleKey } from '../proposals/titles.js';
