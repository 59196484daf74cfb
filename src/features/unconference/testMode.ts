import type { TestModeView } from '../../contract/unconferenceAttend.js';
import { createRng } from '../../core/pairing/rng.js';
import { recordAudit } from '../../db/audit.js';
import type { Db, Executor } from '../../db/database.js';
import type { InterestLevel } from '../../db/schema.js';
import { conflict, notFound } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { nowIso } from '../../lib/time.js';
import { chunks } from '../people/queries.js';
import { createPerson, deletePeople } from '../people/service.js';
import { forgetAttendance } from './attendance.js';
import { findUnconference } from './publishedSchedule.js';

/**
 * Test mode: fill an unconference with fake people, proposals and ratings to try the scheduler, and
 * clear them again. The ratings are made the way Xen's own generator made them: a few people
 * (5 %, at least 2) rate freely (None / A little / Yes / Very with .60/.18/.13/.09), everyone else
 * copies an earlier "model" person's rating of each proposal with probability 7/8, so tastes
 * cluster as they do in a real community.
 *
 * Fake people are listed in unconf_test_people, have no e-mail, chat id or login and are created
 * disabled: no mixer takes them in and no message can reach them. Fake proposals carry is_fake.
 */

const TOPICS = [
  'Release process',
  'Security hardening',
  'Performance tuning',
  'Testing at scale',
  'Documentation sprint',
  'Packaging',
  'Live patching',
  'Continuous integration',
  'Scheduler design',
  'Memory management',
  'Power management',
  'Observability',
  'Onboarding newcomers',
  'Code review etiquette',
  'Roadmap',
  'Storage backends',
  'Networking offloads',
  'Fuzzing',
  'Virtual devices',
  'Upstreaming',
];

const freeChoice = (x: number): InterestLevel => (x < 0.6 ? 0 : x < 0.78 ? 25 : x < 0.91 ? 75 : 100);

export async function fillTestMode(props: {
  db: Db;
  eventId: string;
  people: number;
  proposals: number;
  seed?: string;
  actorId: string | null;
}): Promise<TestModeView> {
  const event = await findUnconference(props.db, props.eventId);
  if (!event) throw notFound('No such unconference.');
  const seed = props.seed ?? newId();
  // The seed alone: the same seed makes the same people, proposals and ratings in any event.
  const rng = createRng(`unconference-test-mode:${seed}`);
  const result = await props.db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('unconf_test_people')
      .select('person_id')
      .where('event_id', '=', props.eventId)
      .executeTakeFirst();
    if (existing) throw conflict('This unconference already has test data: clear it first.', 'people');
    const tag = newId()
      .slice(0, 6)
      .toLowerCase()
      .replace(/[^a-z0-9]/g, 'x');
    const people: string[] = [];
    for (let i = 0; i < props.people; i++) {
      const n = String(i + 1).padStart(3, '0');
      const person = await createPerson(trx, {
        name: `Test person ${n}`,
        username: `test-${tag}-${n}`,
        email: null,
        timezone: event.timezone,
        enabled: 0,
        verified: 0,
      });
      people.push(person.id);
    }
    for (const chunk of chunks(people)) {
      await trx
        .insertInto('unconf_test_people')
        .values(chunk.map((person_id) => ({ event_id: props.eventId, person_id })))
        .execute();
    }
    // Proposals, owned by a pool of 0.4 × proposals people (some own two), 10 % with a co-owner.
    const now = nowIso();
    const ownerPool = Math.max(1, Math.min(people.length, Math.round(0.4 * props.proposals)));
    const proposals: string[] = [];
    const taken = new Set(
      (
        await trx.selectFrom('unconf_proposals').select('title_key').where('event_id', '=', props.eventId).execute()
      ).map((r) => r.title_key),
    );
    const owners: Array<{ proposal_id: string; person_id: string; event_id: string; role: 'owner' | 'co-owner' }> = [];
    for (let s = 0; s < props.proposals; s++) {
      const id = newId();
      let title = `${TOPICS[s % TOPICS.length]} (test ${s + 1})`;
      while (taken.has(title.toLowerCase())) title = `${title} again`;
      taken.add(title.toLowerCase());
      proposals.push(id);
      await trx
        .insertInto('unconf_proposals')
        .values({
          id,
          event_id: props.eventId,
          created_by: props.actorId,
          title,
          title_key: title.toLowerCase(),
          description: `A generated session for trying the scheduler (${title}).`,
          description_html: `<p>A generated session for trying the scheduler (${title}).</p>`,
          status: 'approved',
          approved_title: null,
          approved_description_html: null,
          edit_pending: 0,
          pinned_slot_id: null,
          pinned_room_id: null,
          is_fake: 1,
          created_at: now,
          updated_at: now,
        })
        .execute();
      const owner = people[rng.nextInt(ownerPool)]!;
      owners.push({ proposal_id: id, person_id: owner, event_id: props.eventId, role: 'owner' });
      if (rng.next() < 0.1) {
        const other = people[rng.nextInt(ownerPool)]!;
        if (other !== owner)
          owners.push({ proposal_id: id, person_id: other, event_id: props.eventId, role: 'co-owner' });
      }
    }
    for (const chunk of chunks(owners, 200)) await trx.insertInto('unconf_owners').values(chunk).execute();
    // Ratings: a few free choosers, then everyone copies an earlier person with probability 7/8.
    const free = Math.max(2, Math.round(people.length * 0.05));
    const ratings: InterestLevel[][] = [];
    const rows: Array<{
      proposal_id: string;
      person_id: string;
      event_id: string;
      level: InterestLevel;
      updated_at: string;
    }> = [];
    people.forEach((person, u) => {
      const model = u >= free ? ratings[rng.nextInt(u)]! : null;
      const row: InterestLevel[] = proposals.map((_, s) =>
        model && rng.next() < 7 / 8 ? model[s]! : freeChoice(rng.next()),
      );
      ratings.push(row);
      row.forEach((level, s) => {
        if (level > 0) {
          rows.push({ proposal_id: proposals[s]!, person_id: person, event_id: props.eventId, level, updated_at: now });
        }
      });
    });
    for (const chunk of chunks(rows, 500)) await trx.insertInto('unconf_interests').values(chunk).execute();
    await recordAudit(trx, {
      actorId: props.actorId,
      action: 'unconference.test_mode.filled',
      subjectType: 'event',
      subjectId: props.eventId,
      data: { people: people.length, proposals: proposals.length, interests: rows.length, seed },
    });
    return { people: people.length, proposals: proposals.length, interests: rows.length };
  });
  forgetAttendance();
  return result;
}

/** Removes the event's fake people, fake proposals and every rating and ownership they carried. */
export async function clearTestMode(props: { db: Db; eventId: string; actorId: string | null }): Promise<TestModeView> {
  const event = await findUnconference(props.db, props.eventId);
  if (!event) throw notFound('No such unconference.');
  const result = await props.db.transaction().execute(async (trx) => {
    const people = (
      await trx.selectFrom('unconf_test_people').select('person_id').where('event_id', '=', props.eventId).execute()
    ).map((r) => r.person_id);
    const counted = await countTestData(trx, props.eventId, people);
    // Fake proposals first (ratings, owners and schedule places go with them), then the people.
    await trx.deleteFrom('unconf_proposals').where('event_id', '=', props.eventId).where('is_fake', '=', 1).execute();
    await deletePeople(trx, people);
    await recordAudit(trx, {
      actorId: props.actorId,
      action: 'unconference.test_mode.cleared',
      subjectType: 'event',
      subjectId: props.eventId,
      data: counted,
    });
    return counted;
  });
  forgetAttendance();
  return result;
}

async function countTestData(db: Executor, eventId: string, people: string[]): Promise<TestModeView> {
  const proposals = await db
    .selectFrom('unconf_proposals')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('event_id', '=', eventId)
    .where('is_fake', '=', 1)
    .executeTakeFirstOrThrow();
  let interests = 0;
  for (const chunk of chunks(people)) {
    const row = await db
      .selectFrom('unconf_interests')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('event_id', '=', eventId)
      .where('person_id', 'in', chunk)
      .executeTakeFirstOrThrow();
    interests += Number(row.n);
  }
  return { people: people.length, proposals: Number(proposals.n), interests };
}

/** The people of an event's test mode (publish and messages leave them out). */
export async function testPeopleOf(db: Executor, eventId: string): Promise<Set<string>> {
  const rows = await db.selectFrom('unconf_test_people').select('person_id').where('event_id', '=', eventId).execute();
  return new Set(rows.map((r) => r.person_id));
}
