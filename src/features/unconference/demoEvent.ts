import { createRng } from '../../core/pairing/rng.js';
import { solve } from '../../core/scheduling/index.js';
import { recordAudit } from '../../db/audit.js';
import type { Db } from '../../db/database.js';
import type { InterestLevel } from '../../db/schema.js';
import type { PersonRow } from '../people/presenters.js';
import { forgetAttendance } from './attendance.js';
import { createUnconferenceEvent } from './events.js';
import { setInterest } from './interest.js';
import { applyMove } from './moves.js';
import { approveProposal, createProposal } from './proposals.js';
import { publishSchedule } from './publish.js';
import { loadEventSchedule } from './scheduleInstance.js';
import { addDay, addRoom, addSlot } from './timetable.js';

/**
 * The demo's unconference: a two-day design summit starting a week from now, proposals by demo
 * people, their ratings (clustered as Xen's generator made them), placed by the scheduling engine
 * (a fixed iteration budget, so the same demo on every machine) and published as version 1, so that
 * the timetable, agendas, feeds and exports have something to show.
 *
 * It is built through the same use cases as the admin pages, the proposers and the raters use, so
 * it holds exactly what they would have made; what the organisers would do is done by the system
 * (a null actor: the audit log says "system"). Publishing tells nobody.
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
  const system = null;
  const rng = createRng('convene-demo-unconference');
  const name = 'Design summit';
  // The first Monday at least a week away.
  const start = new Date(props.now.getTime() + 7 * 86_400_000);
  while (start.getUTCDay() !== 1) start.setUTCDate(start.getUTCDate() + 1);
  const dates = [0, 1].map((d) => new Date(start.getTime() + d * 86_400_000).toISOString().slice(0, 10));

  const event = await createUnconferenceEvent({
    db,
    actorId: system,
    input: {
      name,
      description: 'Two days of sessions proposed and rated by attendees; the scheduler placed them.',
      timezone: props.timezone,
      websiteActive: true,
      scheduleVisible: true,
      proposalLimit: null,
      videoRooms: false,
      schedulingAt: null,
      publishAt: null,
      finishAt: null,
    },
  });
  const eventId = event.id;
  for (const date of dates) {
    const day = await addDay({ db, actorId: system, eventId, date, label: '' });
    // 09:00, 10:00, coffee 11:00–11:30, 11:30, 13:30, in the event's zone.
    for (const [slotStart, slotEnd, isBreak] of [
      ['09:00', '09:50', false],
      ['10:00', '10:50', false],
      ['11:00', '11:30', true],
      ['11:30', '12:20', false],
      ['13:30', '14:20', false],
    ] as const) {
      await addSlot({
        db,
        actorId: system,
        eventId,
        input: { dayId: day.id, start: slotStart, end: slotEnd, isBreak, label: isBreak ? 'Coffee' : '' },
      });
    }
  }
  // Online is a small circle on a call, not an overflow for everyone: the big sessions go to the halls.
  for (const room of [
    { name: 'Main hall', capacity: 60, url: null, isPlace: true },
    { name: 'Room 2', capacity: 25, url: null, isPlace: true },
    { name: 'Online', capacity: 15, url: null, isPlace: false },
  ]) {
    await addRoom({ db, actorId: system, eventId, input: room });
  }

  const proposals: Array<{ id: string; owner: PersonRow }> = [];
  for (const [i, [title, description]] of SESSIONS.entries()) {
    const owner = props.people[(i * 7 + 3) % props.people.length]!;
    const proposal = await createProposal({ db, actor: owner, eventId, input: { title, description, coOwners: [] } });
    if (proposal.status !== 'approved') await approveProposal({ db, actorId: system, proposalId: proposal.id });
    proposals.push({ id: proposal.id, owner });
  }

  // Ratings: a few people choose freely, the rest copy an earlier person's rating with probability 7/8.
  const raters = props.people.filter(() => rng.next() < 0.8);
  const free = Math.max(2, Math.round(raters.length * 0.1));
  const rows: InterestLevel[][] = [];
  let ratings = 0;
  for (const [u, person] of raters.entries()) {
    const model = u >= free ? rows[rng.nextInt(u)]! : null;
    const row = proposals.map((_, s) => (model && rng.next() < 7 / 8 ? model[s]! : freeChoice(rng.next())));
    rows.push(row);
    for (const [s, level] of row.entries()) {
      if (level === 0 || proposals[s]!.owner.id === person.id || person.role === 'admin') continue;
      await setInterest({ db, actor: person, proposalId: proposals[s]!.id, level });
      ratings++;
    }
  }

  // Placed by the engine with a fixed iteration budget, saved as the organisers' moves would be.
  const limits = { maxSeconds: 60, staleSeconds: 60 };
  const schedule = await loadEventSchedule(db, eventId);
  const solved = await solve(schedule.instance, { iterations: 20_000, seed: 'demo', threads: 1, exact: false });
  for (const a of solved.assignments) {
    await applyMove({
      db,
      eventId,
      move: { proposalId: a.session, slotId: a.slot, roomId: a.room },
      actorId: system,
      limits,
    });
  }
  const published = await publishSchedule({
    db,
    eventId,
    actorId: system,
    note: 'Published by the demo.',
    notify: false,
    limits,
  });
  await recordAudit(db, {
    actorId: system,
    action: 'unconference.demo_seeded',
    subjectType: 'event',
    subjectId: eventId,
    data: { sessions: published.sessions, ratings, score: solved.score },
  });
  forgetAttendance();
  return { id: eventId, name, sessions: published.sessions, ratings };
}
