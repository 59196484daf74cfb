import type { Selectable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type {
  EventsTable,
  UnconfDaysTable,
  UnconferencePhase,
  UnconfProposalsTable,
  UnconfRoomsTable,
  UnconfSettingsTable,
  UnconfSlotsTable,
} from '../../db/schema.js';

export { isUniqueViolation } from '../../db/errors.js';

/** An unconference: the `events` row (kind 'unconference', its own phases) and its settings. */
export type UnconfEventRow = Omit<Selectable<EventsTable>, 'phase'> & {
  phase: UnconferencePhase;
  settings: Selectable<UnconfSettingsTable>;
};
export type DayRow = Selectable<UnconfDaysTable>;
export type SlotRow = Selectable<UnconfSlotsTable>;
export type RoomRow = Selectable<UnconfRoomsTable>;
export type UnconfProposalRow = Selectable<UnconfProposalsTable>;

export interface Timetable {
  days: DayRow[];
  /** Every slot of the event, by start time. */
  slots: SlotRow[];
  rooms: RoomRow[];
}

/** One unconference event with its settings, or undefined (also for a talks event's id). */
export async function findUnconferenceEvent(db: Executor, id: string): Promise<UnconfEventRow | undefined> {
  const event = await db
    .selectFrom('events')
    .selectAll()
    .where('id', '=', id)
    .where('kind', '=', 'unconference')
    .executeTakeFirst();
  if (!event) return undefined;
  const settings = await db.selectFrom('unconf_settings').selectAll().where('event_id', '=', id).executeTakeFirst();
  if (!settings) return undefined;
  return { ...event, phase: event.phase as UnconferencePhase, settings };
}

/** Every unconference event, newest first. */
export async function listUnconferenceEvents(db: Executor): Promise<UnconfEventRow[]> {
  const rows = await db
    .selectFrom('events')
    .innerJoin('unconf_settings', 'unconf_settings.event_id', 'events.id')
    .selectAll('events')
    .select([
      'unconf_settings.timezone',
      'unconf_settings.website_active',
      'unconf_settings.schedule_visible',
      'unconf_settings.proposal_limit',
      'unconf_settings.video_rooms',
      'unconf_settings.scheduling_at',
      'unconf_settings.publish_at',
      'unconf_settings.finish_at',
    ])
    .where('events.kind', '=', 'unconference')
    .orderBy('events.created_at', 'desc')
    .execute();
  return rows.map(
    ({
      timezone,
      website_active,
      schedule_visible,
      proposal_limit,
      video_rooms,
      scheduling_at,
      publish_at,
      finish_at,
      ...event
    }) => ({
      ...event,
      phase: event.phase as UnconferencePhase,
      settings: {
        event_id: event.id,
        timezone,
        website_active,
        schedule_visible,
        proposal_limit,
        video_rooms,
        scheduling_at,
        publish_at,
        finish_at,
      },
    }),
  );
}

/** The event's days (by date), slots (by start) and rooms (in their order). */
export async function loadTimetable(db: Executor, eventId: string): Promise<Timetable> {
  const [days, slots, rooms] = await Promise.all([
    db.selectFrom('unconf_days').selectAll().where('event_id', '=', eventId).orderBy('date').execute(),
    db
      .selectFrom('unconf_slots')
      .selectAll()
      .where('event_id', '=', eventId)
      .orderBy('starts_at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('unconf_rooms')
      .selectAll()
      .where('event_id', '=', eventId)
      .orderBy('position')
      .orderBy('name_key')
      .execute(),
  ]);
  return { days, slots, rooms };
}

export const countNonBreakSlots = async (db: Executor, eventId: string): Promise<number> =>
  Number(
    (
      await db
        .selectFrom('unconf_slots')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .where('event_id', '=', eventId)
        .where('is_break', '=', 0)
        .executeTakeFirstOrThrow()
    ).n,
  );

/**
 * The limit on proposals a member may own: as set, else the number of non-break slots; null
 * (none) while the event has no slots yet.
 */
export async function effectiveProposalLimit(db: Executor, event: UnconfEventRow): Promise<number | null> {
  if (event.settings.proposal_limit !== null) return event.settings.proposal_limit;
  const slots = await countNonBreakSlots(db, event.id);
  return slots > 0 ? slots : null;
}

/** Why a slot or room cannot go: the sessions the working or a published schedule has there. */
export async function sessionsHeldBy(
  db: Executor,
  where: { slotIds?: string[]; roomIds?: string[] },
): Promise<{ working: number; published: number }> {
  const slotIds = where.slotIds ?? [];
  const roomIds = where.roomIds ?? [];
  if (!slotIds.length && !roomIds.length) return { working: 0, published: 0 };
  const [working, published] = await Promise.all([
    db
      .selectFrom('unconf_assignments')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where((eb) =>
        eb.or([
          ...(slotIds.length ? [eb('slot_id', 'in', slotIds)] : []),
          ...(roomIds.length ? [eb('room_id', 'in', roomIds)] : []),
        ]),
      )
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('unconf_version_sessions')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where((eb) =>
        eb.or([
          ...(slotIds.length ? [eb('slot_id', 'in', slotIds)] : []),
          ...(roomIds.length ? [eb('room_id', 'in', roomIds)] : []),
        ]),
      )
      .executeTakeFirstOrThrow(),
  ]);
  return { working: Number(working.n), published: Number(published.n) };
}

export const findProposal = (db: Executor, id: string): Promise<UnconfProposalRow | undefined> =>
  db.selectFrom('unconf_proposals').selectAll().where('id', '=', id).executeTakeFirst();

export interface OwnerRow {
  proposal_id: string;
  person_id: string;
  role: 'owner' | 'co-owner';
  name: string;
  username: string;
}

export async function ownersOf(db: Executor, proposalIds: string[]): Promise<Map<string, OwnerRow[]>> {
  const byProposal = new Map<string, OwnerRow[]>();
  if (!proposalIds.length) return byProposal;
  const rows = await db
    .selectFrom('unconf_owners')
    .innerJoin('people', 'people.id', 'unconf_owners.person_id')
    .select([
      'unconf_owners.proposal_id',
      'unconf_owners.person_id',
      'unconf_owners.role',
      'people.name',
      'people.username',
    ])
    .where('unconf_owners.proposal_id', 'in', proposalIds)
    .execute();
  rows.sort((a, b) => (a.role === b.role ? a.name.localeCompare(b.name) : a.role === 'owner' ? -1 : 1));
  for (const row of rows) {
    const list = byProposal.get(row.proposal_id) ?? [];
    list.push(row as OwnerRow);
    byProposal.set(row.proposal_id, list);
  }
  return byProposal;
}

/** Proposals the person proposed (role owner) in the event, rejected ones left out: what the limit counts. */
export async function countOwnedProposals(db: Executor, eventId: string, personId: string): Promise<number> {
  const row = await db
    .selectFrom('unconf_owners')
    .innerJoin('unconf_proposals', 'unconf_proposals.id', 'unconf_owners.proposal_id')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('unconf_owners.event_id', '=', eventId)
    .where('unconf_owners.person_id', '=', personId)
    .where('unconf_owners.role', '=', 'owner')
    .where('unconf_proposals.status', '!=', 'rejected')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export const proposalsOfEvent = (db: Executor, eventId: string): Promise<UnconfProposalRow[]> =>
  db
    .selectFrom('unconf_proposals')
    .selectAll()
    .where('event_id', '=', eventId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();

/** Stored ratings (owners are not stored: they count as 100 wherever they are read). */
export const interestsOfEvent = (db: Executor, eventId: string) =>
  db
    .selectFrom('unconf_interests')
    .select(['proposal_id', 'person_id', 'level'])
    .where('event_id', '=', eventId)
    .execute();

export async function allowedSlotsOf(db: Executor, proposalIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  if (!proposalIds.length) return map;
  const rows = await db
    .selectFrom('unconf_allowed_slots')
    .select(['proposal_id', 'slot_id'])
    .where('proposal_id', 'in', proposalIds)
    .execute();
  for (const row of rows) map.set(row.proposal_id, [...(map.get(row.proposal_id) ?? []), row.slot_id]);
  return map;
}

export interface SchedulableProposal {
  id: string;
  title: string;
  /** Owner first, then co-owners (person ids). */
  owners: string[];
  /** null = any slot. */
  allowedSlots: string[] | null;
  pinnedSlotId: string | null;
  pinnedRoomId: string | null;
  isFake: boolean;
}

/**
 * What the scheduler needs: the approved proposals (an approved one with an edit waiting still
 * counts), their owners and allowed slots, and every person's interest in them, owners counted as
 * 100 in their own proposals. `users` is everyone with a rating or a proposal.
 */
export async function loadProposalsWithInterest(
  db: Executor,
  eventId: string,
): Promise<{
  proposals: SchedulableProposal[];
  interests: Record<string, Record<string, number>>;
  users: string[];
}> {
  const rows = (await proposalsOfEvent(db, eventId)).filter((row) => row.status === 'approved');
  const ids = rows.map((row) => row.id);
  const [owners, allowed, stored] = await Promise.all([
    ownersOf(db, ids),
    allowedSlotsOf(db, ids),
    interestsOfEvent(db, eventId),
  ]);
  const included = new Set(ids);
  const interests: Record<string, Record<string, number>> = {};
  const put = (person: string, proposal: string, level: number) => {
    interests[person] ??= {};
    interests[person][proposal] = level;
  };
  for (const row of stored) if (included.has(row.proposal_id)) put(row.person_id, row.proposal_id, row.level);
  const proposals = rows.map((row) => {
    const ownerIds = (owners.get(row.id) ?? []).map((owner) => owner.person_id);
    for (const owner of ownerIds) put(owner, row.id, 100);
    const slots = allowed.get(row.id);
    return {
      id: row.id,
      title: row.approved_title && row.edit_pending ? row.approved_title : row.title,
      owners: ownerIds,
      allowedSlots: slots?.length ? slots : null,
      pinnedSlotId: row.pinned_slot_id,
      pinnedRoomId: row.pinned_room_id,
      isFake: row.is_fake === 1,
    };
  });
  return { proposals, interests, users: Object.keys(interests).sort() };
}
