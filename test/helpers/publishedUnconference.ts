import type { Db } from '../../src/db/database.js';
import type { InterestLevel } from '../../src/db/schema.js';
import { upsertExternalMeeting } from '../../src/features/meetings/external.js';
import { newId } from '../../src/lib/ids.js';
import { insertPerson } from './people.js';

/**
 * A published unconference written straight into the tables (the attendee side's tests must not
 * depend on the editor or the scheduler): an event, its days, slots (with a break), rooms,
 * proposals with owners, ratings, and version 1 with its sessions.
 */
export interface FixtureSpec {
  name?: string;
  timezone?: string;
  /** Days as YYYY-MM-DD; each gets `slotsPerDay` one-hour slots from 09:00 UTC with a break after the second. */
  days?: string[];
  slotsPerDay?: number;
  rooms?: Array<{ name: string; capacity: number; url?: string | null; isPlace?: boolean }>;
  visible?: boolean;
  videoRooms?: boolean;
}

export interface Fixture {
  eventId: string;
  versionId: string;
  days: Array<{ id: string; date: string }>;
  slots: Array<{ id: string; dayId: string; startsAt: string; endsAt: string; isBreak: boolean }>;
  rooms: Array<{ id: string; name: string; capacity: number }>;
  /** Adds a proposal (approved) owned by these people; returns its id. */
  propose(title: string, owners: string[], description?: string): Promise<string>;
  rate(personId: string, proposalId: string, level: InterestLevel): Promise<void>;
  /** Publishes a version placing these proposals; returns its id. */
  publish(placements: Array<{ proposalId: string; slotId: string; roomId: string }>, number?: number): Promise<string>;
  /** Gives a published session a meeting with a video room (through the meetings service). */
  meetingFor(proposalId: string, participantIds: string[]): Promise<string>;
}

export async function publishedUnconference(db: Db, spec: FixtureSpec = {}): Promise<Fixture> {
  const eventId = newId();
  const now = new Date().toISOString();
  await db
    .insertInto('events')
    .values({
      id: eventId,
      kind: 'unconference',
      name: spec.name ?? 'Design Summit',
      description: 'Sessions proposed by attendees.',
      description_html: '<p>Sessions proposed by attendees.</p>',
      phase: 'published',
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
  await db
    .insertInto('unconf_settings')
    .values({
      event_id: eventId,
      timezone: spec.timezone ?? 'Europe/Berlin',
      website_active: 1,
      schedule_visible: spec.visible === false ? 0 : 1,
      proposal_limit: null,
      video_rooms: spec.videoRooms ? 1 : 0,
      scheduling_at: null,
      publish_at: null,
      finish_at: null,
    })
    .execute();
  const days: Fixture['days'] = [];
  const slots: Fixture['slots'] = [];
  for (const date of spec.days ?? ['2027-03-01', '2027-03-02']) {
    const dayId = newId();
    days.push({ id: dayId, date });
    await db.insertInto('unconf_days').values({ id: dayId, event_id: eventId, date, label: '' }).execute();
    const count = spec.slotsPerDay ?? 4;
    for (let i = 0; i < count; i++) {
      const start = new Date(`${date}T${String(9 + i).padStart(2, '0')}:00:00.000Z`);
      const slot = {
        id: newId(),
        dayId,
        startsAt: start.toISOString(),
        endsAt: new Date(start.getTime() + (i === 2 ? 30 : 55) * 60_000).toISOString(),
        isBreak: i === 2,
      };
      slots.push(slot);
      await db
        .insertInto('unconf_slots')
        .values({
          id: slot.id,
          event_id: eventId,
          day_id: dayId,
          starts_at: slot.startsAt,
          ends_at: slot.endsAt,
          is_break: slot.isBreak ? 1 : 0,
          label: slot.isBreak ? 'Coffee' : '',
          locked: 0,
        })
        .execute();
    }
  }
  const rooms: Fixture['rooms'] = [];
  const roomSpecs = spec.rooms ?? [
    { name: 'Main hall', capacity: 80 },
    { name: 'Room B', capacity: 20, url: 'https://maps.example.org/room-b' },
    { name: 'Online', capacity: 500, isPlace: false },
  ];
  for (const [position, r] of roomSpecs.entries()) {
    const id = newId();
    rooms.push({ id, name: r.name, capacity: r.capacity });
    await db
      .insertInto('unconf_rooms')
      .values({
        id,
        event_id: eventId,
        name: r.name,
        name_key: r.name.toLowerCase(),
        capacity: r.capacity,
        url: r.url ?? null,
        is_place: r.isPlace === false ? 0 : 1,
        position,
      })
      .execute();
  }
  const titles = new Map<string, string>();
  let versionId = '';
  const fixture: Fixture = {
    eventId,
    get versionId() {
      return versionId;
    },
    days,
    slots,
    rooms,
    async propose(title, owners, description = `About ${title}.`) {
      const id = newId();
      titles.set(id, title);
      const at = new Date().toISOString();
      await db
        .insertInto('unconf_proposals')
        .values({
          id,
          event_id: eventId,
          created_by: owners[0] ?? null,
          title,
          title_key: title.toLowerCase(),
          description,
          description_html: `<p>${description.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>`,
          status: 'approved',
          approved_title: null,
          approved_description_html: null,
          edit_pending: 0,
          pinned_slot_id: null,
          pinned_room_id: null,
          is_fake: 0,
          created_at: at,
          updated_at: at,
        })
        .execute();
      for (const [i, person] of owners.entries()) {
        await db
          .insertInto('unconf_owners')
          .values({ proposal_id: id, person_id: person, event_id: eventId, role: i === 0 ? 'owner' : 'co-owner' })
          .execute();
      }
      return id;
    },
    async rate(personId, proposalId, level) {
      await db
        .insertInto('unconf_interests')
        .values({ proposal_id: proposalId, person_id: personId, event_id: eventId, level, updated_at: now })
        .onConflict((oc) => oc.columns(['proposal_id', 'person_id']).doUpdateSet({ level }))
        .execute();
    },
    async publish(placements, number) {
      const id = newId();
      const last = await db
        .selectFrom('unconf_versions')
        .select((eb) => eb.fn.max('number').as('n'))
        .where('event_id', '=', eventId)
        .executeTakeFirst();
      await db
        .insertInto('unconf_versions')
        .values({
          id,
          event_id: eventId,
          number: number ?? Number(last?.n ?? 0) + 1,
          published_at: new Date().toISOString(),
          published_by: null,
          score: null,
          note: '',
        })
        .execute();
      for (const p of placements) {
        const slot = slots.find((s) => s.id === p.slotId)!;
        const room = rooms.find((r) => r.id === p.roomId)!;
        await db
          .insertInto('unconf_version_sessions')
          .values({
            version_id: id,
            proposal_id: p.proposalId,
            title: titles.get(p.proposalId) ?? 'Untitled',
            slot_id: slot.id,
            room_id: room.id,
            room_name: room.name,
            starts_at: slot.startsAt,
            ends_at: slot.endsAt,
            meeting_id: null,
          })
          .execute();
      }
      versionId = id;
      return id;
    },
    async meetingFor(proposalId, participantIds) {
      const session = await db
        .selectFrom('unconf_version_sessions')
        .selectAll()
        .where('version_id', '=', versionId)
        .where('proposal_id', '=', proposalId)
        .executeTakeFirstOrThrow();
      const outcome = await upsertExternalMeeting({
        db,
        meeting: {
          source: 'unconference',
          externalId: proposalId,
          title: session.title,
          startsAt: session.starts_at,
          durationMinutes: 55,
          participantIds,
        },
      });
      await db
        .updateTable('unconf_version_sessions')
        .set({ meeting_id: outcome.meetingId })
        .where('version_id', '=', versionId)
        .where('proposal_id', '=', proposalId)
        .execute();
      return outcome.meetingId;
    },
  };
  return fixture;
}

/** Many people at once (bench and tests). */
export async function manyPeople(db: Db, count: number, prefix = 'p'): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push(await insertPerson(db, { username: `${prefix}${i + 1}` }));
  return ids;
}
