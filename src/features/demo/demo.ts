import { recordAudit } from '../../db/audit.js';
import type { Db } from '../../db/database.js';
import { conflict } from '../../lib/errors.js';
import { randomPassword, resetPassword, signUp } from '../auth/service.js';
import { importDirectory } from '../directory/importDirectory.js';
import { nextOccurrence } from '../mixers/cadence.js';
import { cadenceOf, createGroup } from '../mixers/groups.js';
import { joinGroup } from '../mixers/members.js';
import { findGroupByNameOrId } from '../mixers/queries.js';
import { runRound } from '../mixers/rounds.js';
import { createGroupBody } from '../mixers/schemas.js';
import type { PersonRow } from '../people/presenters.js';
import { findPersonByUsername } from '../people/queries.js';
import { freeUsername, usernameFromName } from '../people/usernames.js';
import { getSettings } from '../settings/service.js';
import { createTalksEvent, setTalksPhase } from '../talks/events.js';
import { createProposal } from '../talks/proposals.js';
import { createEventBody } from '../talks/schemas.js';
import { castVote } from '../talks/votes.js';
import { seedDemoUnconference } from '../unconference/demoEvent.js';
import { demoPeople, demoTalks } from './organisation.js';

const DAY = 86_400_000;

export interface DemoSummary {
  people: number;
  groups: string[];
  rounds: number;
  event: { id: string; name: string; proposals: number; votes: number };
  /** A published unconference: sessions placed by the scheduler, ratings by the demo people. */
  unconference: { id: string; name: string; sessions: number; ratings: number };
  /** A member account with a password, to see the app as a member. */
  member: { username: string; password: string } | null;
  suspiciousAccounts: number;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** What the database already holds besides the first administrator. */
export async function existingData(db: Db): Promise<{ people: number; groups: number; events: number }> {
  const n = (row: { n: string | number }) => Number(row.n);
  const [people, groups, events] = await Promise.all([
    db
      .selectFrom('people')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where((eb) => eb.or([eb('username', '!=', 'admin'), eb('role', '!=', 'admin')]))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('groups')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { people: n(people), groups: n(groups), events: n(events) };
}

async function freeName(db: Db, name: string): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? name : `${name} ${n}`;
    if (!(await findGroupByNameOrId(db, candidate))) return candidate;
  }
}

/** A deterministic pseudo-random sequence, so every demo looks alike. */
function sequence(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `convene demo`: a believable organisation in an empty database, made through the same use cases
 * as real data — the directory import, mixer groups and rounds, a talks event with proposals and
 * votes, and a few accounts signed up together from one address that vote alike (so the results
 * page has a suspicious-voting hint to show). Refuses a database with data unless `force`.
 */
export async function seedDemo(props: {
  db: Db;
  titlePattern: RegExp;
  defaultTimezone: string;
  force?: boolean;
  now?: Date;
  progress?: (line: string) => void;
}): Promise<DemoSummary> {
  const { db } = props;
  const say = props.progress ?? (() => {});
  const now = props.now ?? new Date();
  const existing = await existingData(db);
  if (!props.force && existing.people + existing.groups + existing.events > 0) {
    throw conflict(
      `The database already has data (${plural(existing.people, 'person', 'people')} besides the administrator, ` +
        `${plural(existing.groups, 'mixer group')}, ${plural(existing.events, 'event')}). The demo fills an empty database; run it with --force to add the demo organisation anyway.`,
    );
  }
  const random = sequence(20240611);

  // People, through the directory import: teams, titles, managers, time zones.
  const plan = demoPeople();
  say(`Adding ${plan.length} people in ${new Set(plan.map((p) => p.team)).size} teams…`);
  const usernames: string[] = [];
  for (const person of plan) usernames.push(await freeUsername(db, usernameFromName(person.first, person.last)));
  const imported = await importDirectory({
    db,
    defaultTimezone: props.defaultTimezone,
    records: plan.map((person, i) => ({
      id: `convene-demo-${usernames[i]}`,
      auth_username: usernames[i],
      first_name: person.first,
      last_name: person.last,
      title: person.title,
      avatar: null,
      enabled: true,
      is_manager: person.isManager,
      email: `${usernames[i]}@demo.example`,
      team: person.team,
      manager: person.manager === null ? null : usernames[person.manager],
      timezone: person.timezone,
    })),
  });
  const people: PersonRow[] = [];
  for (const username of usernames) {
    const person = await findPersonByUsername(db, username);
    if (person) people.push(person);
  }

  // Mixers: an automatic weekly coffee pairing with three past rounds, and a walking group people joined.
  const coffeeName = await freeName(db, 'Coffee roulette');
  say(`Mixer group "${coffeeName}" with 3 past rounds…`);
  const coffee = await createGroup({
    db,
    actorId: null,
    input: createGroupBody.parse({
      name: coffeeName,
      description: 'Every Monday, a coffee with someone from another team. Everyone is in; leave any time.',
      cron: '0 10 * * MON',
      timezone: 'Europe/London',
      membership: 'auto',
    }),
  });
  let rounds = 0;
  for (const weeksAgo of [3, 2, 1]) {
    const at = nextOccurrence(cadenceOf(coffee), new Date(now.getTime() - weeksAgo * 7 * DAY));
    if (!at || at >= now) continue;
    const outcome = await runRound({ db, groupId: coffee.id, scheduledFor: at, titlePattern: props.titlePattern });
    if (outcome.created) rounds++;
  }
  const walkName = await freeName(db, 'Walk and talk');
  say(`Mixer group "${walkName}" that people joined, with 1 past round…`);
  const walk = await createGroup({
    db,
    actorId: null,
    input: createGroupBody.parse({
      name: walkName,
      description: 'A 30-minute walk in pairs every other Thursday. Join if you like fresh air.',
      cron: '30 12 * * THU',
      timezone: 'Europe/London',
      everyWeeks: 2,
      anchorDate: new Date(now.getTime() - 14 * DAY).toISOString().slice(0, 10),
    }),
  });
  for (const person of people.filter((_, i) => i % 3 === 1)) {
    await joinGroup({ db, actor: person, groupId: walk.id, titlePattern: props.titlePattern });
  }
  const walked = await runRound({
    db,
    groupId: walk.id,
    scheduledFor: new Date(now.getTime() - 5 * DAY),
    titlePattern: props.titlePattern,
  });
  if (walked.created) rounds++;

  // Talks: an event in voting, proposals from the last week, votes over the last days.
  const event = await createTalksEvent({
    db,
    actorId: null,
    input: createEventBody.parse({
      name: 'Lightning talks: summer meetup',
      description:
        'Five minutes, any topic. Vote for the talks you want to hear — **up to 5 votes** each. ' +
        'The six most voted talks make the programme.',
      topN: 6,
      voteLimit: 5,
      votingClosesAt: new Date(now.getTime() + 5 * DAY).toISOString(),
    }),
  });
  say(`Talks event "${event.name}": ${demoTalks.length} proposals, then voting opens…`);
  const proposals: Array<{ id: string; speakerId: string; appeal: number }> = [];
  for (const [i, talk] of demoTalks.entries()) {
    const speaker = people[(i * 5 + 4) % people.length]!;
    const proposal = await createProposal({
      db,
      actor: speaker,
      eventId: event.id,
      input: { title: talk.title, description: talk.description },
      at: new Date(now.getTime() - (7 - i * 0.3) * DAY),
    });
    proposals.push({ id: proposal.id, speakerId: speaker.id, appeal: talk.appeal });
  }
  await setTalksPhase({ db, actorId: null, eventId: event.id, phase: 'voting' });
  const totalAppeal = proposals.reduce((sum, p) => sum + p.appeal, 0);
  const pick = () => {
    let target = random() * totalAppeal;
    for (const proposal of proposals) {
      target -= proposal.appeal;
      if (target <= 0) return proposal;
    }
    return proposals[proposals.length - 1]!;
  };
  let votes = 0;
  const voters = people.filter(() => random() < 0.85);
  say(`${voters.length} people voting…`);
  for (const voter of voters) {
    const wanted = 1 + Math.floor(random() * 5);
    const chosen = new Set<string>();
    for (let tries = 0; chosen.size < wanted && tries < 20; tries++) {
      const proposal = pick();
      // The demo event keeps the default: speakers do not vote for their own talk.
      if (proposal.speakerId !== voter.id) chosen.add(proposal.id);
    }
    for (const proposalId of chosen) {
      // Most votes come soon after voting opened, then a trickle.
      const ago = 3 * DAY * random() ** 0.5;
      await castVote({ db, actor: voter, proposalId, voted: true, at: new Date(now.getTime() - ago) });
      votes++;
    }
  }

  // Four accounts made together from one address, all voting for the same talk.
  const settings = await getSettings(db);
  let suspiciousAccounts = 0;
  if (settings.registration !== 'closed') {
    say('4 look-alike accounts from one address, voting alike (for the suspicious-voting hint)…');
    const favourite = proposals[proposals.length - 1]!;
    for (let i = 1; i <= 4; i++) {
      const sock = await signUp({
        db,
        input: {
          email: `talk.fan.${Date.now().toString(36)}.${i}@mail.demo.example`,
          name: `Talk Fan ${i}`,
          password: randomPassword(),
          verificationCode: settings.verificationCode,
        },
        ip: '198.51.100.23',
        defaultTimezone: props.defaultTimezone,
      });
      await castVote({ db, actor: sock, proposalId: favourite.id, voted: true });
      suspiciousAccounts++;
      votes++;
    }
  }

  say('Unconference "Design summit": proposals, ratings, the scheduler places them, version 1 published…');
  const unconference = await seedDemoUnconference({ db, people, timezone: props.defaultTimezone, now });

  // One member with a password, to try the member's view.
  const memberUsername = usernames[10];
  const member = memberUsername
    ? { username: memberUsername, password: await resetPassword({ db, username: memberUsername }) }
    : null;

  await recordAudit(db, {
    actorId: null,
    action: 'demo.seed',
    data: { people: imported.created, rounds, eventId: event.id, votes, force: props.force ?? false },
  });
  return {
    people: imported.created + imported.updated + imported.unchanged,
    groups: [coffee.name, walk.name],
    rounds,
    event: { id: event.id, name: event.name, proposals: proposals.length, votes },
    unconference,
    member,
    suspiciousAccounts,
  };
}
