import { createRng } from '../../core/pairing/rng.js';
import { solve } from '../../core/scheduling/index.js';
import type { SchedulingInstance } from '../../core/scheduling/types.js';
import { recordAudit } from '../../db/audit.js';
import type { Db } from '../../db/database.js';
import type { InterestLevel } from '../../db/schema.js';
import { newId } from '../../lib/ids.js';
import { renderMarkdown } from '../../lib/markdown/index.js';
import type { PersonRow } from '../people/presenters.js';
import { forgetAttendance } from './attendance.js';

/**
 * The demo's unconference: a two-day design summit starting a week from now, proposals by demo
 * people, their ratings (clustered as Xen's generator made them), placed by the scheduling engine
 * (a fixed iteration budget: the same demo every time) and published as version 1, so that the
 * timetable, agendas, feeds and exports have something to show.
 *
 * It writes the unconference tables itself because the demo needs a published event in one step;
 * everything it writes is what the admin pages and the scheduler would have written.
 */

const SESSIONS = [
  [
    'Live patching without rebooting guests',
    'Where livepatch stands, what breaks it, and what we need from the toolstack.',
  ],
  ['Fuzzing the device emulator', 'Coverage numbers from the last quarter and a plan for the **next** targets.'],
  ['Release process retrospective', 'What slowed the last release down, and one change to try.'],
  ['Scheduler design: credit2 and beyond', 'Latency-sensitive guests, core scheduling, and the defaults.'],
  ['Documentation sprint', 'Pick a page, fix it in the room. Bring a laptop.'],
  ['Security hardening roadmap', 'Speculative execution, shadow stacks, and the order to land them in.'],
  ['Virtual devices for confidential guests', 'Which devices still need a trusted backend.'],
  ['Onboarding newcomers', 'First patches, mentors, and the review queue from the outside.'],
  ['Continuous integration that people trust', 'Flaky tests: a list, owners, and a deadline.'],
  ['Power management on servers', 'C-states, frequency governors and what guests should see.'],
  ['Packaging for distributions', 'What packagers patch today that should be upstream.'],
  ['Observability: tracing in production', 'Cheap enough to leave on? Numbers from two deployments.'],
] as const;

const freeChoice = (x: number): InterestLevel => (x < 0.55 ? 0 : x < 0.75 ? 25 : x < 0.9 ? 75 : 100);

export async function seedDemoUnconference(props: {
  db: Db;
  people: PersonRow[];
  timezone: string;
  now: Date;
}): Promise<{ id: string; name: string; sessions: number; ratings: number }> {
  const { db } = props;
  const rng = createRng('convene-demo-unconference');
  const eventId = newId();
  const name = 'Design summit';
  const at = props.now.toISOString();
  // The first Monday at least a week away, in UTC dates.
  const start = new Date(props.now.getTime() + 7 * 86_400_000);
  while (start.getUTCDay() !== 1) start.setUTCDate(start.getUTCDate() + 1);
  const dates = [0, 1].map((d) => new Date(start.getTime() + d * 86_400_000).toISOString().slice(0, 10));
  const rendered = await Promise.all(SESSIONS.map(([, text]) => renderMarkdown(text, 'description')));
  const description = 'Two days of sessions proposed and rated by attendees; the scheduler placed them.';

  const result = await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('events')
      .values({
        id: eventId,
        kind: 'unconference',
        name,
        description,
        description_html: `<p>${description}</p>`,
        phase: 'published',
        proposals_during_voting: 0,
        top_n: 0,
        vote_limit: null,
        voting_opens_at: null,
        voting_closes_at: null,
        archived_at: null,
        talks_at: null,
        venue: null,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await trx
      .insertInto('unconf_settings')
      .values({
        event_id: eventId,
        timezone: props.timezone,
        website_active: 1,
        schedule_visible: 1,
        proposal_limit: null,
        video_rooms: 0,
        scheduling_at: null,
        publish_at: null,
        finish_at: null,
      })
      .execute();
    const slots: Array<{ id: string; startsAt: string; endsAt: string; isBreak: boolean }> = [];
    for (const date of dates) {
      const dayId = newId();
      await trx.insertInto('unconf_days').values({ id: dayId, event_id: eventId, date, label: '' }).execute();
      // 09:00, 10:00, coffee 11:00–11:30, 11:30, 13:30 (UTC times; shown in each viewer's zone).
      for (const [hh, mm, minutes, isBreak] of [
        [9, 0, 50, false],
        [10, 0, 50, false],
        [11, 0, 30, true],
        [11, 30, 50, false],
        [13, 30, 50, false],
      ] as const) {
        const startsAt = new Date(`${date}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00.000Z`);
        const slot = {
          id: newId(),
          startsAt: startsAt.toISOString(),
          endsAt: new Date(startsAt.getTime() + minutes * 60_000).toISOString(),
          isBreak,
        };
        slots.push(slot);
        await trx
          .insertInto('unconf_slots')
          .values({
            id: slot.id,
            event_id: eventId,
            day_id: dayId,
            starts_at: slot.startsAt,
            ends_at: slot.endsAt,
            is_break: isBreak ? 1 : 0,
            label: isBreak ? 'Coffee' : '',
            locked: 0,
          })
          .execute();
      }
    }
    const rooms = [
      { id: newId(), name: 'Main hall', capacity: 60, url: null, isPlace: 1 },
      { id: newId(), name: 'Room 2', capacity: 25, url: null, isPlace: 1 },
      { id: newId(), name: 'Online', capacity: 200, url: null, isPlace: 0 },
    ];
    for (const [position, r] of rooms.entries()) {
      await trx
        .insertInto('unconf_rooms')
        .values({
          id: r.id,
          event_id: eventId,
          name: r.name,
          name_key: r.name.toLowerCase(),
          capacity: r.capacity,
          url: r.url,
          is_place: r.isPlace as 0 | 1,
          position,
        })
        .execute();
    }
    const proposals: Array<{ id: string; title: string; owner: PersonRow }> = [];
    for (const [i, [title, text]] of SESSIONS.entries()) {
      const owner = props.people[(i * 7 + 3) % props.people.length]!;
      const id = newId();
      proposals.push({ id, title, owner });
      await trx
        .insertInto('unconf_proposals')
        .values({
          id,
          event_id: eventId,
          created_by: owner.id,
          title,
          title_key: title.toLowerCase(),
          description: text,
          description_html: rendered[i]!,
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
      await trx
        .insertInto('unconf_owners')
        .values({ proposal_id: id, person_id: owner.id, event_id: eventId, role: 'owner' })
        .execute();
    }
    // Ratings: a few people choose freely, the rest copy an earlier person's rating with probability 7/8.
    const raters = props.people.filter(() => rng.next() < 0.8);
    const free = Math.max(2, Math.round(raters.length * 0.1));
    const rows: InterestLevel[][] = [];
    const interests: Array<{
      proposal_id: string;
      person_id: string;
      event_id: string;
      level: InterestLevel;
      updated_at: string;
    }> = [];
    raters.forEach((person, u) => {
      const model = u >= free ? rows[rng.nextInt(u)]! : null;
      const row = proposals.map((_, s) => (model && rng.next() < 7 / 8 ? model[s]! : freeChoice(rng.next())));
      rows.push(row);
      row.forEach((level, s) => {
        if (level > 0 && proposals[s]!.owner.id !== person.id) {
          interests.push({
            proposal_id: proposals[s]!.id,
            person_id: person.id,
            event_id: eventId,
            level,
            updated_at: at,
          });
        }
      });
    });
    for (let i = 0; i < interests.length; i += 400) {
      await trx
        .insertInto('unconf_interests')
        .values(interests.slice(i, i + 400))
        .execute();
    }
    // Placed by the engine, with a fixed iteration budget: the same schedule on every machine.
    const open = slots.filter((s) => !s.isBreak);
    const instance: SchedulingInstance = {
      name,
      slots: open.map((s) => ({ id: s.id, start: s.startsAt, locked: false })),
      rooms: rooms.map((r) => ({ id: r.id, name: r.name, capacity: r.capacity })),
      sessions: proposals.map((p) => ({ id: p.id, title: p.title, owners: [p.owner.id], allowedSlots: null })),
      users: [...new Set([...raters.map((p) => p.id), ...proposals.map((p) => p.owner.id)])],
      interests: {},
    };
    for (const row of interests) {
      const record = instance.interests[row.person_id] ?? {};
      record[row.proposal_id] = row.level;
      instance.interests[row.person_id] = record;
    }
    const solved = await solve(instance, { iterations: 20_000, seed: 'demo', threads: 1, exact: false });
    const versionId = newId();
    await trx
      .insertInto('unconf_versions')
      .values({
        id: versionId,
        event_id: eventId,
        number: 1,
        published_at: at,
        published_by: null,
        score: solved.score,
        note: 'Published by the demo.',
      })
      .execute();
    const slotById = new Map(slots.map((s) => [s.id, s]));
    const roomById = new Map(rooms.map((r) => [r.id, r]));
    const titleOf = new Map(proposals.map((p) => [p.id, p.title]));
    for (const a of solved.assignments) {
      await trx
        .insertInto('unconf_assignments')
        .values({ proposal_id: a.session, event_id: eventId, slot_id: a.slot, room_id: a.room })
        .execute();
      await trx
        .insertInto('unconf_version_sessions')
        .values({
          version_id: versionId,
          proposal_id: a.session,
          title: titleOf.get(a.session)!,
          slot_id: a.slot,
          room_id: a.room,
          room_name: roomById.get(a.room)!.name,
          starts_at: slotById.get(a.slot)!.startsAt,
          ends_at: slotById.get(a.slot)!.endsAt,
          meeting_id: null,
        })
        .execute();
    }
    await recordAudit(trx, {
      actorId: null,
      action: 'unconference.demo_seeded',
      subjectType: 'event',
      subjectId: eventId,
      data: { sessions: solved.assignments.length, ratings: interests.length, score: solved.score },
    });
    return { id: eventId, name, sessions: solved.assignments.length, ratings: interests.length };
  });
  forgetAttendance();
  return result;
}
