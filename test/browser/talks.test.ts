import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resetPassword } from '../../src/features/auth/service.js';
import { seedDemo } from '../../src/features/demo/demo.js';
import { managerPattern } from '../../src/features/mixers/eligibility.js';
import { createTalksEvent, setTalksArchived, setTalksPhase } from '../../src/features/talks/events.js';
import { createProposal } from '../../src/features/talks/proposals.js';
import { createEventBody } from '../../src/features/talks/schemas.js';
import { castVote } from '../../src/features/talks/votes.js';
import { shot } from '../helpers/browser.js';
import { assertFits, browserAppForFile, unlabelledFields } from '../helpers/browserFile.js';
import { insertPerson } from '../helpers/people.js';
import { ADMIN_PASSWORD } from '../helpers/server.js';
import { signIn } from './signIn.js';

const env = browserAppForFile();

test('an admin opens an event; a member proposes, votes, unvotes and sees the results', async () => {
  const db = env.live.ctx.database.db;
  const adminPage = await env.browser.newPage({ viewport: { width: 1200, height: 900 } });
  await signIn(adminPage, env.live.url, 'admin', ADMIN_PASSWORD);

  // The admin creates the event from the Talks page.
  await adminPage.goto(`${env.live.url}/talks`);
  await adminPage.getByRole('button', { name: 'New event' }).click();
  // A pasted 300-character name is not cut to 120 behind the admin's back: the counter and the error say so.
  await adminPage.getByLabel('Name').fill('N'.repeat(300));
  await adminPage.getByText('(300 / 120)').waitFor();
  await adminPage.getByRole('button', { name: 'Create event' }).click();
  await adminPage.getByText('at most 120 characters').first().waitFor();
  assert.equal((await adminPage.getByLabel('Name').inputValue()).length, 300, 'nothing cut');
  await adminPage.getByLabel('Name').fill('Friday lightning talks');
  await adminPage.getByLabel('Description').fill('Five minutes, **any** topic.');
  await adminPage.getByLabel('Talks given on').fill('2030-05-03T17:00');
  await adminPage.getByLabel('Venue').fill('Atrium, 2nd floor');
  assert.equal(await adminPage.getByLabel('Let speakers vote for their own proposals').isChecked(), false);
  await adminPage.screenshot({ path: shot('talks-event-form'), fullPage: true });
  await adminPage.getByLabel('Talks selected').fill('2');
  // Side by side, the two number fields line up, whatever the length of their hints.
  const boxes = [
    await adminPage.getByLabel('Talks selected').boundingBox(),
    await adminPage.getByLabel('Votes per person').boundingBox(),
  ];
  assert.equal(boxes[0]?.y, boxes[1]?.y, 'same top');
  assert.equal(boxes[0]?.height, boxes[1]?.height, 'same height');
  await adminPage.getByLabel('Votes per person').fill('x');
  await adminPage.getByRole('button', { name: 'Create event' }).click();
  await adminPage.getByText('must be a whole number').first().waitFor();
  await adminPage.getByLabel('Votes per person').fill('3');
  await adminPage.getByRole('button', { name: 'Create event' }).click();
  await adminPage.waitForURL(/\/talks\/[^/]+\/manage$/);
  const eventId = adminPage.url().split('/').at(-2)!;

  // Other people's proposals, so the list looks like a real one.
  const colleagues = [];
  for (const [username, title] of [
    ['grace', 'Compilers for everyone'],
    ['linus', 'Kernel debugging in five minutes'],
    ['ada', 'Notes on the analytical engine'],
  ] as const) {
    const id = await insertPerson(db, { username, title: 'Engineer', team: 'Platform' });
    colleagues.push(id);
    await createProposal({
      db,
      actor: { id, role: 'member' },
      eventId,
      input: { title, description: `A talk by ${username}.` },
    });
  }

  // A member signs up and proposes a talk; a too-short title is refused with the field named.
  const member = await env.browser.newPage({ viewport: { width: 1200, height: 900 } });
  await member.goto(`${env.live.url}/signup`);
  await member.getByLabel('Email').fill('margaret@example.org');
  await member.getByLabel('Name').fill('Margaret Hamilton');
  await member.getByLabel('Password').fill('apollo guidance 1969');
  await member.getByRole('button', { name: 'Create account' }).click();
  await member.waitForURL(`${env.live.url}/`);
  await member.goto(`${env.live.url}/talks`);
  await member.getByRole('link', { name: 'Friday lightning talks' }).click();
  await member.getByRole('button', { name: 'Propose a talk' }).click();
  await member.getByLabel('Title').fill('Hi');
  await member.getByRole('button', { name: 'Submit proposal' }).click();
  await member.getByText('at least 3 characters').first().waitFor();
  await member.getByLabel('Title').fill('Software engineering on the Moon');
  await member.getByLabel('Description').fill('How we made **Apollo** software <script>alert(1)</script> safe.');
  await member.getByRole('button', { name: 'Submit proposal' }).click();
  await member.getByText('was proposed').waitFor();
  await member.getByRole('heading', { name: 'Software engineering on the Moon' }).waitFor();
  assert.equal(await member.locator('.talk-description strong', { hasText: 'Apollo' }).count(), 1);
  assert.equal(await member.locator('script', { hasText: 'alert(1)' }).count(), 0, 'no script from a proposal');
  assert.equal(await member.getByText('Your proposals').count(), 1);

  // Voting opens (by the admin, in the manage page).
  await adminPage.reload();
  await adminPage.getByRole('button', { name: 'Open voting' }).click();
  await adminPage.getByRole('dialog').getByRole('button', { name: 'Open voting' }).click();
  await adminPage.getByText('The event is now: voting open').waitFor();

  // The member votes, takes the vote back, votes again.
  await member.reload();
  await member.getByText('You have used 0 of your 3 votes.').waitFor();
  await member.getByText('Atrium, 2nd floor').waitFor();
  // Her own talk: the event keeps the default, so no Vote button on it, and a note why.
  const own = member.locator('.talk-card', { hasText: 'Software engineering on the Moon' });
  await own.getByText('do not vote for their own talk').waitFor();
  assert.equal(await own.getByRole('button', { name: /Vote/ }).count(), 0);
  const card = member.locator('.talk-card', { hasText: 'Compilers for everyone' });
  await card.getByRole('button', { name: 'Vote' }).click();
  await card.getByRole('button', { name: '✓ Voted' }).waitFor();
  await member.getByText('You have used 1 of your 3 votes.').waitFor();
  await member.screenshot({ path: shot('talks-voting'), fullPage: true });
  await card.getByRole('button', { name: '✓ Voted' }).click();
  await card.getByRole('button', { name: 'Vote', exact: true }).waitFor();
  await member.getByText('You have used 0 of your 3 votes.').waitFor();
  await card.getByRole('button', { name: 'Vote', exact: true }).click();
  await card.getByRole('button', { name: '✓ Voted' }).waitFor();
  const kernel = member.locator('.talk-card', { hasText: 'Kernel debugging' });
  await kernel.getByRole('button', { name: 'Vote' }).click();
  await kernel.getByRole('button', { name: '✓ Voted' }).waitFor();
  const stored = await db
    .selectFrom('votes')
    .innerJoin('people', 'people.id', 'votes.person_id')
    .select('votes.proposal_id')
    .where('people.email', '=', 'margaret@example.org')
    .execute();
  assert.equal(stored.length, 2);
  // The order survives a reload (shuffled for this viewer, stably), and so do the marks.
  const order = await member.locator('.talk-title').allTextContents();
  await member.reload();
  await member.getByText('You have used 2 of your 3 votes.').waitFor();
  assert.deepEqual(await member.locator('.talk-title').allTextContents(), order);

  // More votes from colleagues (not from the talk's own speaker), then voting closes.
  for (const id of [...colleagues.slice(1), await insertPerson(db, { username: 'hopper' })]) {
    const compilers = await db
      .selectFrom('proposals')
      .select('id')
      .where('title', '=', 'Compilers for everyone')
      .executeTakeFirstOrThrow();
    await castVote({ db, actor: { id, role: 'member' }, proposalId: compilers.id, voted: true });
  }
  await adminPage.reload();
  await adminPage.getByRole('button', { name: 'Close voting' }).click();
  await adminPage.getByRole('dialog').getByRole('button', { name: 'Close voting' }).click();
  await adminPage.getByText('The event is now: voting closed').waitFor();
  await adminPage.locator('.talks-chart svg').waitFor();
  await adminPage.screenshot({ path: shot('talks-manage'), fullPage: true });

  await member.reload();
  await member.getByRole('heading', { name: 'Results' }).waitFor();
  const titles = await member.locator('.talk-title').allTextContents();
  assert.equal(titles[0], 'Compilers for everyone', 'ranked by votes');
  const winner = member.locator('.talk-card', { hasText: 'Compilers for everyone' });
  assert.match((await winner.locator('.talk-votes').textContent()) ?? '', /4 votes/);
  assert.equal(await member.locator('.talk-card.is-selected').count(), 2, 'top 2 selected');
  assert.equal(await member.getByRole('button', { name: /Vote/ }).count(), 0, 'no voting after closing');
  await member.screenshot({ path: shot('talks-results'), fullPage: true });
  await member.close();
  await adminPage.close();
});

test('at phone width (375 px): the event page and the manage page fit, every field is labelled', async () => {
  const db = env.live.ctx.database.db;
  const event = await db.selectFrom('events').select('id').executeTakeFirstOrThrow();
  const visitor = await env.browser.newPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
  await visitor.goto(`${env.live.url}/talks/${event.id}`);
  await visitor.getByRole('heading', { name: 'Results' }).waitFor();
  await visitor.getByText('Voting closed').first().waitFor();
  await assertFits(visitor);
  await visitor.screenshot({ path: shot('talks-phone-visitor'), fullPage: true });
  await visitor.goto(`${env.live.url}/talks`);
  await visitor.getByRole('link', { name: 'Friday lightning talks' }).waitFor();
  await assertFits(visitor);
  await visitor.screenshot({ path: shot('talks-phone-events'), fullPage: true });
  await visitor.close();

  const admin = await env.browser.newPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
  await signIn(admin, env.live.url, 'admin', ADMIN_PASSWORD);
  await admin.goto(`${env.live.url}/talks/${event.id}/manage`);
  await admin.locator('.talks-chart svg').waitFor();
  await assertFits(admin);
  assert.equal(await unlabelledFields(admin), 0, 'every form field has a label');
  // Hiding needs a reason, then the proposal is hidden.
  const row = admin.locator('tr', { hasText: 'Notes on the analytical engine' });
  await row.getByRole('button', { name: 'Hide' }).click();
  await admin.getByRole('dialog').getByRole('button', { name: 'Hide proposal' }).click();
  await admin.getByRole('dialog').getByText('Say why').waitFor();
  await admin.getByRole('dialog').getByLabel('Reason').fill('Duplicate of another talk');
  await admin.getByRole('dialog').getByRole('button', { name: 'Hide proposal' }).click();
  await admin.getByText('is hidden.').waitFor();
  await row.getByText('Hidden', { exact: true }).waitFor();
  await admin.screenshot({ path: shot('talks-phone-manage'), fullPage: true });
  await assertFits(admin);
  await admin.close();
});

test('the demo organisation: a voting event with a vote curve and a suspicious-voting hint', async () => {
  const db = env.live.ctx.database.db;
  const summary = await seedDemo({
    db,
    titlePattern: managerPattern('Manager|Director|Chief'),
    defaultTimezone: 'UTC',
    force: true,
  });
  const admin = await env.browser.newPage({ viewport: { width: 1200, height: 900 } });
  await signIn(admin, env.live.url, 'admin', ADMIN_PASSWORD);
  await admin.goto(`${env.live.url}/talks/${summary.event.id}/manage`);
  await admin.locator('.talks-chart svg').waitFor();
  await admin.getByText('4 accounts').waitFor();
  await admin.screenshot({ path: shot('talks-demo-manage'), fullPage: true });
  await admin.locator('.talks-chart').screenshot({ path: shot('talks-demo-chart') });
  await admin.close();

  const member = await env.browser.newPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
  await signIn(member, env.live.url, summary.member!.username, summary.member!.password);
  await member.goto(`${env.live.url}/talks/${summary.event.id}`);
  await member.getByText(/You have used \d of your 5 votes/).waitFor();
  await assertFits(member);
  assert.equal(await unlabelledFields(member), 0);
  await member.screenshot({ path: shot('talks-demo-member-phone'), fullPage: true });
  await member.screenshot({ path: shot('talks-demo-member-phone-top') });
  await member.close();
});

test("a visitor's event page has one left edge; a member whose session ends is told the vote was not saved", async () => {
  const db = env.live.ctx.database.db;
  const event = await db
    .selectFrom('events')
    .select('id')
    .where('kind', '=', 'talks')
    .where('phase', '=', 'voting')
    .executeTakeFirstOrThrow();
  for (const viewport of [
    { width: 1280, height: 800 },
    { width: 390, height: 844 },
  ]) {
    const visitor = await env.browser.newPage({ viewport });
    await visitor.goto(`${env.live.url}/talks/${event.id}`);
    await visitor.locator('article').first().waitFor();
    const left = async (selector: string) => (await visitor.locator(selector).first().boundingBox())?.x;
    const edges = [await left('main h1'), await left('main article'), await left('main .talks-votes-used, main p')];
    assert.ok(
      edges.every((x) => x !== undefined && Math.abs(x - edges[0]!) <= 1),
      `one left edge at ${viewport.width}px: ${edges.join(', ')}`,
    );
    await visitor.getByRole('banner').getByRole('link', { name: 'Sign in' }).waitFor();
    await assertFits(visitor);
    await visitor.screenshot({ path: shot(`talks-visitor-${viewport.width}`) });
    await visitor.close();
  }

  const { username } = await db
    .selectFrom('people')
    .select('username')
    .where('role', '=', 'member')
    .executeTakeFirstOrThrow();
  const password = await resetPassword({ db, username });
  const member = await env.browser.newPage({ viewport: { width: 390, height: 844 } });
  await signIn(member, env.live.url, username, password);
  await member.goto(`${env.live.url}/talks/${event.id}`);
  const card = member.locator('article', { has: member.getByRole('button', { name: 'Vote', exact: true }) }).first();
  await card.waitFor();
  // The session ends elsewhere (signed out on another device, or the account disabled).
  const person = await db.selectFrom('people').select('id').where('username', '=', username).executeTakeFirstOrThrow();
  await db.deleteFrom('auth_sessions').where('person_id', '=', person.id).execute();
  await card.getByRole('button', { name: 'Vote', exact: true }).click();
  await member.getByText('Your session has ended, so your last change was not saved.').waitFor();
  await member.screenshot({ path: shot('talks-session-ended-phone') });
  await member.close();
});

test('a tie at the cut-off is explained to everyone, not only to the organisers', async () => {
  const db = env.live.ctx.database.db;
  const event = await createTalksEvent({
    db,
    actorId: null,
    input: createEventBody.parse({ name: 'Tied talks', topN: 1 }),
  });
  const voters = [await insertPerson(db, { username: 'tie-a' }), await insertPerson(db, { username: 'tie-b' })];
  const talks = [];
  for (const [i, title] of ['First come', 'Second come'].entries()) {
    const actor = { id: voters[i]!, role: 'member' as const };
    talks.push(await createProposal({ db, actor, eventId: event.id, input: { title, description: 'Tied.' } }));
  }
  await setTalksPhase({ db, actorId: null, eventId: event.id, phase: 'voting' });
  // Each votes for the other's talk: speakers do not vote for their own by default.
  for (const [i, talk] of talks.entries())
    await castVote({ db, actor: { id: voters[1 - i]!, role: 'member' }, proposalId: talk.id });
  await setTalksPhase({ db, actorId: null, eventId: event.id, phase: 'closed' });

  const visitor = await env.browser.newPage({ viewport: { width: 390, height: 844 } });
  await visitor.goto(`${env.live.url}/talks/${event.id}`);
  await visitor
    .getByText('Some talks tied at the cut-off: among equal votes, the earlier proposal was selected.')
    .waitFor();
  await visitor.locator('article', { hasText: 'First come' }).getByText('Selected').waitFor();
  assert.equal(await visitor.locator('article', { hasText: 'Second come' }).getByText('Selected').count(), 0);
  await visitor.close();
});

test('archived events have their own page, linked from the list, at 1280 and 390 px', async () => {
  const db = env.live.ctx.database.db;
  const event = await createTalksEvent({
    db,
    actorId: null,
    input: createEventBody.parse({ name: 'Autumn lightning talks 2025', description: 'Last year’s talks.' }),
  });
  await setTalksArchived({ db, actorId: null, eventId: event.id, archived: true });
  for (const viewport of [
    { width: 1280, height: 900 },
    { width: 390, height: 844 },
  ]) {
    const visitor = await env.browser.newPage({ viewport });
    await visitor.goto(`${env.live.url}/talks`);
    await visitor.getByRole('heading', { level: 1, name: 'Talks' }).waitFor();
    assert.equal(await visitor.getByText('Autumn lightning talks 2025').count(), 0, 'out of the everyday list');
    await visitor.getByRole('link', { name: 'Archived events' }).click();
    await visitor.waitForURL(`${env.live.url}/talks/archived`);
    await visitor.getByRole('heading', { level: 1, name: 'Archived talks events' }).waitFor();
    await visitor.getByRole('link', { name: 'Autumn lightning talks 2025' }).waitFor();
    await assertFits(visitor);
    await visitor.screenshot({ path: shot(`talks-archived-${viewport.width}`), fullPage: true });
    await visitor.getByRole('link', { name: 'Autumn lightning talks 2025' }).click();
    await visitor.waitForURL(`${env.live.url}/talks/${event.id}`);
    await visitor.close();
  }
});
