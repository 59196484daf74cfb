import type { Db } from '../../src/db/database.js';
import { newId } from '../../src/lib/ids.js';
import { insertPerson } from './people.js';

export interface EventFixture {
  eventId: string;
  dayIds: string[];
  /** Non-break slots in time order. */
  slotIds: string[];
  breakSlotIds: string[];
  roomIds: string[];
  proposalIds: string[];
  people: string[];
  /** proposal id -> owner person ids */
  owners: Map<string, string[]>;
}

export interface FixtureShape {
  days?: number;
  slotsPerDay?: number;
  rooms?: number;
  capacity?: number;
  proposals?: number;
  people?: number;
  /** Ratings per person (each a random proposal, level 25/75/100). */
  ratingsPerPerson?: number;
  tag?: string;
  /** Deterministic pseudo-random ratings. */
  seed?: number;
}

/** A small PRNG so fixtures are the same on every run. */
function mulberry(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * An unconference event straight into the tables (the timetable and proposal use cases are another
 * area's): days with slots (and one break per day), rooms, approved proposals each owned by one
 * person, and interests.
 */
export async function insertUnconference(db: Db, shape: FixtureShape = {}): Promise<EventFixture> {
  const tag = shape.tag ?? newId().slice(-6);
  const days = shape.days ?? 2;
  const slotsPerDay = shape.slotsPerDay ?? 2;
  const nRooms = shape.rooms ?? 2;
  const nProposals = shape.proposals ?? 8;
  const nPeople = shape.people ?? 12;
  const ratings = shape.ratingsPerPerson ?? 4;
  const random = mulberry(shape.seed ?? 7);
  const now = new Date().toISOString();
  const eventId = newId();
  await db
    .insertInto('events')
    .values({
      id: eventId,
      kind: 'unconference',
      name: `Summit ${tag}`,
      description: '',
      description_html: '',
      phase: 'scheduling',
      proposals_during_voting: 0,
      top_n: 10,
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
  await db
    .insertInto('unconf_settings')
    .values({ event_id: eventId, timezone: 'UTC', website_active: 1, schedule_visible: 0, video_rooms: 0 })
    .execute();

  const fixture: EventFixture = {
    eventId,
    dayIds: [],
    slotIds: [],
    breakSlotIds: [],
    roomIds: [],
    proposalIds: [],
    people: [],
    owners: new Map(),
  };
  const base = Date.parse('2030-06-10T09:00:00Z');
  for (let d = 0; d < days; d++) {
    const dayId = newId();
    fixture.dayIds.push(dayId);
    const date = new Date(base + d * 86_400_000).toISOString().slice(0, 10);
    await db
      .insertInto('unconf_days')
      .values({ id: dayId, event_id: eventId, date, label: `Day ${d + 1}` })
      .execute();
    for (let s = 0; s <= slotsPerDay; s++) {
      // The third slot of a day is a break.
      const isBreak = s === 2;
      const start = base + d * 86_400_000 + s * 3_600_000;
      const id = newId();
      await db
        .insertInto('unconf_slots')
        .values({
          id,
          event_id: eventId,
          day_id: dayId,
          starts_at: new Date(start).toISOString(),
          ends_at: new Date(start + 50 * 60_000).toISOString(),
          is_break: isBreak ? 1 : 0,
          label: isBreak ? 'Coffee' : '',
          locked: 0,
        })
        .execute();
      (isBreak ? fixture.breakSlotIds : fixture.slotIds).push(id);
    }
  }
  for (let r = 0; r < nRooms; r++) {
    const id = newId();
    fixture.roomIds.push(id);
    await db
      .insertInto('unconf_rooms')
      .values({
        id,
        event_id: eventId,
        name: `Room ${String.fromCharCode(65 + r)}`,
        name_key: `room ${String.fromCharCode(97 + r)}`,
        capacity: shape.capacity ?? 40,
        url: null,
        is_place: 1,
        position: r,
      })
      .execute();
  }
  for (let p = 0; p < nPeople; p++) {
    fixture.people.push(await insertPerson(db, { username: `u${tag}${p}`.toLowerCase(), name: `Person ${p} ${tag}` }));
  }
  for (let i = 0; i < nProposals; i++) {
    const id = newId();
    const owner = fixture.people[i % fixture.people.length]!;
    fixture.proposalIds.push(id);
    fixture.owners.set(id, [owner]);
    await db
      .insertInto('unconf_proposals')
      .values({
        id,
        event_id: eventId,
        created_by: owner,
        title: `Session ${i + 1}`,
        title_key: `session ${i + 1}`,
        description: '',
        description_html: '',
        status: 'approved',
        approved_title: null,
        approved_description_html: null,
        edit_pending: 0,
        pinned_slot_id: null,
        pinned_room_id: null,
        is_fake: 0,
        created_at: new Date(Date.parse(now) + i).toISOString(),
        updated_at: now,
      })
      .execute();
    await db
      .insertInto('unconf_owners')
      .values({ proposal_id: id, person_id: owner, event_id: eventId, role: 'owner' })
      .execute();
  }
  const rows: Array<{
    proposal_id: string;
    person_id: string;
    event_id: string;
    level: 25 | 75 | 100;
    updated_at: string;
  }> = [];
  for (const person of fixture.people) {
    const seen = new Set<string>();
    for (let k = 0; k < ratings; k++) {
      const proposal = fixture.proposalIds[Math.floor(random() * fixture.proposalIds.length)]!;
      if (seen.has(proposal) || fixture.owners.get(proposal)?.includes(person)) continue;
      seen.add(proposal);
      const level = ([25, 75, 100] as const)[Math.floor(random() * 3)]!;
      rows.push({ proposal_id: proposal, person_id: person, event_id: eventId, level, updated_at: now });
    }
  }
  for (let i = 0; i < rows.length; i += 300)
    await db
      .insertInto('unconf_interests')
      .values(rows.slice(i, i + 300))
      .execute();
  return fixture;
}

/** The working schedule as proposal id -> "slot/room". */
export async function workingSchedule(db: Db, eventId: string): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('unconf_assignments')
    .select(['proposal_id', 'slot_id', 'room_id'])
    .where('event_id', '=', eventId)
    .execute();
  return new Map(rows.map((r) => [r.proposal_id, `${r.slot_id}/${r.room_id}`]));
}

/** Places proposals by hand, in order, one per (slot, room) pair. */
export async function placeInOrder(db: Db, fixture: EventFixture, count: number): Promise<void> {
  const rows = [];
  let k = 0;
  for (const slot of fixture.slotIds) {
    for (const room of fixture.roomIds) {
      if (k >= count) break;
      rows.push({ proposal_id: fixture.proposalIds[k]!, event_id: fixture.eventId, slot_id: slot, room_id: room });
      k++;
    }
  }
  if (rows.length) await db.insertInto('unconf_assignments').values(rows).execute();
}
