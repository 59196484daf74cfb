import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { shot } from '../helpers/browser.js';
import { assertFits, browserAppForFile, unlabelledFields } from '../helpers/browserFile.js';
import { clientFor, insertPerson } from '../helpers/people.js';
import { runCli } from '../helpers/process.js';
import { adminClient } from '../helpers/server.js';
import { signInAsAdmin } from './signIn.js';

const env = browserAppForFile();

const GROUP = 'Coffee Roulette';
const MEMBER_EMAIL = 'grace@example.org';
const MEMBER_NAME = 'Grace Hopper';

let adminContext: BrowserContext;
let memberContext: BrowserContext;
let groupId: string;

const db = () => env.live.ctx.database.db;

/** A small picture as a data URI, so partner avatars exercise the <img> path. */
const avatar = (fill: string) =>
  `data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><rect width="8" height="8" fill="${fill}"/></svg>`)}`;

/** Full-page screenshots draw the sticky top bar where the page is scrolled to: start at the top. */
async function top(page: Page) {
  await page.evaluate(() => window.scrollTo(0, 0));
}

env.before(async () => {
  adminContext = await env.browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'Europe/Paris' });
  // The member lives in New York: times on their pages are in New York time.
  memberContext = await env.browser.newContext({
    viewport: { width: 1200, height: 900 },
    timezoneId: 'America/New_York',
    locale: 'en-US',
  });
});

test('an admin creates a mixer group in the admin area, with server errors under the right field', async () => {
  const page = await adminContext.newPage();
  await signInAsAdmin(page, env.live.url);
  await page.goto(`${env.live.url}/admin`);
  await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Mixers' }).click();
  await page.waitForURL(`${env.live.url}/admin/mixers`);
  await page.getByRole('heading', { name: 'Create a group' }).waitFor();
  await page.getByText('No groups yet').waitFor();

  await page.getByLabel('Name', { exact: true }).fill(GROUP);
  await page.getByLabel('Description').fill('A half-hour coffee with someone from another team, every Monday.');
  await page.getByLabel('Cron expression').fill('every monday');
  await page.getByLabel('Timezone').selectOption('Europe/Paris');
  await page.getByRole('button', { name: 'Create group' }).click();
  // The server refuses the cron; its message sits under the cron field, which gets the focus.
  const cronError = page.locator('.field.has-error').filter({ has: page.getByLabel('Cron expression') });
  await cronError.getByRole('alert').filter({ hasText: /cron/i }).waitFor();
  assert.equal(await page.getByLabel('Cron expression').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name), 'cron');
  await top(page);
  await page.screenshot({ path: shot('mixers-admin-create-error'), fullPage: true });

  await page.getByLabel('Schedule', { exact: true }).selectOption({ label: 'Weekly on Monday at 10:00' });
  assert.equal(await page.getByLabel('Cron expression').inputValue(), '0 10 * * MON');
  await page.getByText('Mondays at 10:00 (Europe/Paris)').waitFor();
  await page.getByRole('radio', { name: 'Make a bigger group' }).check();
  await page.getByRole('button', { name: 'Create group' }).click();
  await page.waitForURL(/\/admin\/mixers\/[^/]+$/);
  await page.getByRole('heading', { level: 1, name: GROUP }).waitFor();
  await page.getByText(`Created “${GROUP}”`).waitFor();
  groupId = page.url().split('/').pop()!;

  const stored = await db().selectFrom('groups').selectAll().where('id', '=', groupId).executeTakeFirstOrThrow();
  assert.equal(stored.name, GROUP);
  assert.equal(stored.cron, '0 10 * * MON');
  assert.equal(stored.timezone, 'Europe/Paris');
  assert.equal(stored.membership, 'open');
  await page.close();
});

test('a member signs up, joins on /mixers, and after `convene match` sees their match', async () => {
  const page = await memberContext.newPage();
  await page.goto(`${env.live.url}/signup`);
  await page.getByLabel('Email').fill(MEMBER_EMAIL);
  await page.getByLabel('Name').fill(MEMBER_NAME);
  await page.getByLabel('Password').fill('compiler pioneer 1952');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByText(MEMBER_NAME).first().waitFor();

  await page.goto(`${env.live.url}/mixers`);
  const card = page.getByRole('article', { name: GROUP });
  await card.getByText('Not a member').waitFor();
  await card.getByText('Mondays at 10:00 (Europe/Paris)').waitFor();
  // Next round in the member's own timezone: Monday 10:00 in Paris is 04:00 in New York.
  const nextRound = await card.locator('dt:text-is("Next round") + dd').innerText();
  assert.match(nextRound, /04:00/);
  assert.match(nextRound, /EST|GMT-5/);
  await card.getByRole('button', { name: 'Join' }).click();
  await card.getByText('Member', { exact: true }).waitFor();
  await card.getByText('1 member', { exact: true }).waitFor();
  await page.getByText(/No matches yet/).waitFor();

  // Three colleagues, joined through the API; two have pictures.
  const colleagues = [
    { username: 'ada', name: 'Ada Lovelace', team: 'Research', title: 'Analyst', avatarUrl: avatar('#7c3aed') },
    { username: 'alan', name: 'Alan Turing', team: 'Platform', title: 'Staff Engineer', avatarUrl: avatar('#0891b2') },
    { username: 'katherine', name: 'Katherine Johnson', team: 'Flight', title: 'Mathematician', avatarUrl: null },
  ];
  for (const colleague of colleagues) {
    const id = await insertPerson(db(), colleague);
    if (colleague.avatarUrl)
      await db().updateTable('people').set({ avatar_url: colleague.avatarUrl }).where('id', '=', id).execute();
    const client = await clientFor(env.live.app, db(), id);
    const joined = await client.post(`/api/v1/mixers/groups/${groupId}/join`);
    assert.equal(joined.status, 200, JSON.stringify(joined.body));
  }

  // The real CLI, as a separate process, on the same SQLite file.
  const cli = await runCli(['match', '--group', GROUP], { DATABASE_URL: env.database.url });
  assert.equal(cli.code, 0, cli.output);
  assert.match(cli.output, /2 pairs/);

  const me = await db().selectFrom('people').select(['id']).where('email', '=', MEMBER_EMAIL).executeTakeFirstOrThrow();
  const partner = await db()
    .selectFrom('meeting_participants as mine')
    .innerJoin('meeting_participants as theirs', 'theirs.meeting_id', 'mine.meeting_id')
    .innerJoin('people', 'people.id', 'theirs.person_id')
    .select(['people.name', 'people.title', 'people.team'])
    .where('mine.person_id', '=', me.id)
    .where('theirs.person_id', '!=', me.id)
    .executeTakeFirstOrThrow();

  await page.reload();
  const matches = page.getByRole('region', { name: 'Your matches' });
  const current = matches.getByRole('list', { name: `Matched with in ${GROUP}` });
  await current.getByText(partner.name).waitFor();
  await current.getByText(`${partner.title} · ${partner.team}`).waitFor();
  await top(page);
  await page.screenshot({ path: shot('mixers-member'), fullPage: true });

  // The group page says the same, with the member's standing.
  await card.getByRole('link', { name: GROUP }).click();
  await page.waitForURL(/\/mixers\/groups\//);
  await page.getByRole('heading', { level: 1, name: GROUP }).waitFor();
  await page.getByText(partner.name).first().waitFor();
  await page.getByText('4 members', { exact: true }).waitFor();

  // Pause until a date, then resume.
  await page.getByRole('button', { name: 'Pause…' }).click();
  const until = new Date(Date.now() + 21 * 86_400_000).toISOString().slice(0, 10);
  await page.getByLabel('Pause until').fill(until);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await page
    .getByText(/^Paused until/)
    .first()
    .waitFor();
  const paused = await db()
    .selectFrom('group_members')
    .select(['status', 'paused_until'])
    .where('person_id', '=', me.id)
    .executeTakeFirstOrThrow();
  assert.deepEqual(paused, { status: 'paused', paused_until: `${until}T00:00:00.000Z` });
  await page.getByRole('button', { name: 'Resume now' }).click();
  await page.getByText('Member', { exact: true }).waitFor();
  await page.close();
});

test('an assistant manages the mixers of someone who named them', async () => {
  const ada = await db().selectFrom('people').select(['id']).where('username', '=', 'ada').executeTakeFirstOrThrow();
  const grace = await db()
    .selectFrom('people')
    .select(['username'])
    .where('email', '=', MEMBER_EMAIL)
    .executeTakeFirstOrThrow();
  const adaClient = await clientFor(env.live.app, db(), ada.id);
  const named = await adaClient.put('/api/v1/mixers/assistant', { username: grace.username });
  assert.equal(named.status, 200, JSON.stringify(named.body));

  const page = await memberContext.newPage();
  await page.goto(`${env.live.url}/mixers`);
  const switcher = page.getByRole('group', { name: 'Managing:' });
  await switcher.getByRole('button', { name: 'Ada Lovelace' }).click();
  await page.getByRole('heading', { name: 'Ada Lovelace’s groups' }).waitFor();
  const card = page.getByRole('article', { name: GROUP });
  await card.getByRole('button', { name: 'Skip next round' }).click();
  await card.getByText('Skipping next round').waitFor();
  const skipped = await db()
    .selectFrom('group_members')
    .select(['skip_round_at'])
    .where('person_id', '=', ada.id)
    .executeTakeFirstOrThrow();
  assert.ok(skipped.skip_round_at, 'Ada skips the next round');
  // Leaving asks first; joining again works on her behalf too.
  await card.getByRole('button', { name: 'Leave' }).click();
  const dialog = page.getByRole('dialog', { name: `Leave ${GROUP}?` });
  await dialog.getByText('Ada Lovelace won’t be paired in this group any more').waitFor();
  await dialog.getByRole('button', { name: 'Leave group' }).click();
  await card.getByText('Not a member').waitFor();
  await card.getByRole('button', { name: 'Join for Ada Lovelace' }).click();
  await card.getByText('Member', { exact: true }).waitFor();
  await page.getByRole('region', { name: 'Ada Lovelace’s matches' }).waitFor();
  await switcher.getByRole('button', { name: 'Me' }).click();
  await page.getByRole('heading', { name: 'Your assistant' }).waitFor();

  // Grace names her own assistant: an unknown username is refused under the field.
  const assistant = page.getByRole('form', { name: 'Name your assistant' });
  await assistant.getByLabel('Assistant’s username').fill('nobody-here');
  await assistant.getByRole('button', { name: 'Save assistant' }).click();
  await assistant.getByRole('alert').filter({ hasText: 'Nobody with that username' }).waitFor();
  await assistant.getByLabel('Assistant’s username').fill('alan');
  await assistant.getByRole('button', { name: 'Save assistant' }).click();
  await page.getByText('Alan Turing is now your assistant.').waitFor();
  await page.getByText('Current assistant:').waitFor();
  const graceRow = await db()
    .selectFrom('people')
    .select(['assistant_id'])
    .where('email', '=', MEMBER_EMAIL)
    .executeTakeFirstOrThrow();
  const alan = await db().selectFrom('people').select(['id']).where('username', '=', 'alan').executeTakeFirstOrThrow();
  assert.equal(graceRow.assistant_id, alan.id);
  await page.close();
});

test('the admin group page shows the round, runs another after a preview, and charts the stats', async () => {
  const page = await adminContext.newPage();
  await page.goto(`${env.live.url}/admin/mixers/${groupId}`);
  await page.getByRole('heading', { level: 1, name: GROUP }).waitFor();

  const rounds = page.getByRole('region', { name: 'Rounds', exact: true });
  await rounds.getByText('2 meetings').waitFor();
  await rounds.getByText(MEMBER_NAME).waitFor();
  const members = page.getByRole('region', { name: 'Members', exact: true });
  await members.getByText('Katherine Johnson').waitFor();

  // Add someone through the search.
  await insertPerson(db(), { username: 'dorothy', name: 'Dorothy Vaughan', team: 'Flight' });
  await members.getByLabel('Add person').fill('Dorothy');
  await members.getByRole('button', { name: 'Add Dorothy Vaughan' }).click();
  await members.getByText('Added Dorothy Vaughan.').waitFor();
  await members.locator('.member-name', { hasText: 'Dorothy Vaughan' }).waitFor();

  const run = page.getByRole('region', { name: 'Run a round now', exact: true });
  await run.getByRole('button', { name: 'Preview a round' }).click();
  await run.getByRole('heading', { name: /^Preview:/ }).waitFor();
  assert.equal(
    await db()
      .selectFrom('rounds')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.n)),
    1,
    'a preview saves nothing',
  );
  await run.getByRole('button', { name: 'Run the round' }).click();
  // A round was made minutes ago: a second one within the group's interval needs confirming.
  await run.getByText(/less than its usual interval/).waitFor();
  await run.getByRole('button', { name: 'Make another round anyway' }).click();
  await run.getByText(/^Round saved/).waitFor();
  await rounds.getByText('2 rounds').waitFor();

  const stats = page.getByRole('region', { name: 'Stats', exact: true });
  const chart = stats.getByRole('img', { name: /Rates per round over 2 rounds/ });
  await chart.waitFor();
  assert.equal(await stats.locator('.chart-dot').count(), 6, 'three series, two rounds');
  assert.equal(await stats.locator('.visually-hidden table tbody tr').count(), 2);
  // Editing one setting keeps the others.
  const edit = page.getByRole('form', { name: 'Edit group' });
  await edit.getByLabel('Description').fill('Coffee with someone new, every Monday morning.');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await edit.getByText('Saved', { exact: true }).waitFor();
  await page.getByText('Coffee with someone new, every Monday morning.').first().waitFor();
  const edited = await db().selectFrom('groups').selectAll().where('id', '=', groupId).executeTakeFirstOrThrow();
  assert.deepEqual(
    { cron: edited.cron, timezone: edited.timezone, oddPolicy: edited.odd_policy },
    { cron: '0 10 * * MON', timezone: 'Europe/Paris', oddPolicy: 'trio' },
  );

  await top(page);
  await page.screenshot({ path: shot('mixers-admin-group'), fullPage: true });
  // Close-ups, without the sticky top bar covering them.
  await page.addStyleTag({ content: '.topbar { position: static; }' });
  await stats.screenshot({ path: shot('mixers-admin-stats') });
  await run.screenshot({ path: shot('mixers-admin-run') });

  // Archiving hides a group from the list until "Show archived groups"; restoring brings it back.
  const admin = await adminClient(env.live.app);
  const created = await admin.post('/api/v1/mixers/groups', {
    name: 'Book Club',
    cron: '0 17 * * THU',
    timezone: 'Europe/London',
    everyWeeks: 2,
    anchorDate: '2026-01-01',
    size: 3,
    eligibility: { kind: 'teams', teams: ['Research', 'Flight'] },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  await page.goto(`${env.live.url}/admin/mixers`);
  // Names are unique, whatever the case: the server's refusal sits under the name.
  await page.getByRole('button', { name: 'New group' }).click();
  const create = page.getByRole('form', { name: 'Create a group' });
  await create.getByLabel('Name', { exact: true }).fill(GROUP.toLowerCase());
  await create.getByRole('button', { name: 'Create group' }).click();
  await create.getByRole('alert').filter({ hasText: 'A group with this name already exists' }).waitFor();
  await create.getByRole('button', { name: 'Cancel' }).click();
  assert.equal(await create.count(), 0);

  const bookClub = page.getByRole('row', { name: /Book Club/ });
  await bookClub.getByText('Thursdays at 17:00, every 2 weeks (Europe/London)').waitFor();
  await bookClub.getByRole('button', { name: 'Archive Book Club' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Archive group' }).click();
  await page.getByText('Archived “Book Club”.').waitFor();
  assert.equal(await bookClub.count(), 0);
  // The box follows the address (?archived=true), which the router updates a moment after the
  // click: wait for what it shows rather than for the box itself.
  await page.getByLabel('Show archived groups').click();
  await bookClub.getByText('Archived', { exact: true }).waitFor();
  await page.screenshot({ path: shot('mixers-admin-groups'), fullPage: true });
  await bookClub.getByRole('button', { name: 'Restore Book Club' }).click();
  await page.getByText('Restored “Book Club”.').waitFor();
  assert.equal(await bookClub.getByText('Archived', { exact: true }).count(), 0);
  // Archiving and restoring leave the rest of the group as it was.
  await bookClub.getByText('Thursdays at 17:00, every 2 weeks (Europe/London)').waitFor();
  await bookClub.getByText('Teams: Research, Flight').waitFor();
  const kept = await db().selectFrom('groups').selectAll().where('name', '=', 'Book Club').executeTakeFirstOrThrow();
  assert.deepEqual(
    {
      size: kept.size,
      everyWeeks: kept.every_weeks,
      anchor: kept.anchor_date,
      eligibility: JSON.parse(kept.eligibility),
    },
    { size: 3, everyWeeks: 2, anchor: '2026-01-01', eligibility: { kind: 'teams', teams: ['Research', 'Flight'] } },
  );
  await page.close();
});

test('the Mixers pages work at phone width (375 px) without sideways scrolling', async () => {
  const phone = await env.browser.newContext({
    viewport: { width: 375, height: 812 },
    isMobile: true,
    hasTouch: true,
    timezoneId: 'America/New_York',
    storageState: await memberContext.storageState(),
  });
  const page = await phone.newPage();
  await page.goto(`${env.live.url}/mixers`);
  await page.getByRole('article', { name: GROUP }).waitFor();
  await page.getByRole('region', { name: 'Your matches' }).locator('.match-partner').first().waitFor();
  await page.getByRole('article', { name: GROUP }).getByRole('button', { name: 'Pause…' }).click();
  await top(page);
  await page.screenshot({ path: shot('mixers-phone'), fullPage: true });
  await assertFits(page, '/mixers');
  assert.equal(await unlabelledFields(page), 0, 'every form field has a label');
  await page.getByRole('article', { name: GROUP }).getByRole('link', { name: GROUP }).click();
  await page.getByRole('heading', { level: 1, name: GROUP }).waitFor();
  await top(page);
  await page.screenshot({ path: shot('mixers-group-phone'), fullPage: true });
  await assertFits(page, 'the group page');
  await page.close();
  await phone.close();

  // Dark mode, for a look.
  const dark = await env.browser.newContext({
    viewport: { width: 1200, height: 900 },
    colorScheme: 'dark',
    timezoneId: 'America/New_York',
    storageState: await memberContext.storageState(),
  });
  const darkPage = await dark.newPage();
  await darkPage.goto(`${env.live.url}/mixers`);
  await darkPage.getByRole('region', { name: 'Your matches' }).locator('.match-partner').first().waitFor();
  await darkPage.screenshot({ path: shot('mixers-dark'), fullPage: true });
  await dark.close();

  const adminPhone = await env.browser.newContext({
    viewport: { width: 375, height: 812 },
    isMobile: true,
    hasTouch: true,
    storageState: await adminContext.storageState(),
  });
  const admin = await adminPhone.newPage();
  await admin.goto(`${env.live.url}/admin/mixers/${groupId}`);
  await admin.getByRole('img', { name: /Rates per round/ }).waitFor();
  await top(admin);
  await admin.screenshot({ path: shot('mixers-admin-group-phone'), fullPage: true });
  await assertFits(admin, 'the admin group page');
  assert.equal(await unlabelledFields(admin), 0, 'every form field has a label');
  await admin.goto(`${env.live.url}/admin/mixers`);
  await admin.getByRole('link', { name: GROUP }).first().waitFor();
  await top(admin);
  await admin.screenshot({ path: shot('mixers-admin-groups-phone'), fullPage: true });
  await assertFits(admin, 'the admin groups page');
  await adminPhone.close();
});

test('the admin sees who cannot be reached, the round warning, and undoes the latest round', async () => {
  // No channel is on in this app: nobody can be reached, and nobody was told of the rounds.
  const phone = await env.browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    timezoneId: 'Europe/Paris',
    storageState: await adminContext.storageState(),
  });
  const small = await phone.newPage();
  await small.goto(`${env.live.url}/admin/mixers/${groupId}`);
  const reachCard = small.getByRole('region', { name: 'Who can be reached' });
  await reachCard.getByText(/Nobody in this group can be reached/).waitFor();
  await reachCard.getByRole('link', { name: 'Channels' }).waitFor();
  const roundsSmall = small.getByRole('region', { name: 'Rounds', exact: true });
  await roundsSmall.getByText(/Nobody in this round was told of their match/).waitFor();
  await roundsSmall.getByRole('button', { name: 'Undo this round' }).waitFor();
  await top(small);
  await small.screenshot({ path: shot('mixers-admin-reach-390'), fullPage: true });
  await small.addStyleTag({ content: '.topbar { position: static; }' });
  await roundsSmall.screenshot({ path: shot('mixers-admin-rounds-390') });
  await reachCard.screenshot({ path: shot('mixers-admin-reach-card-390') });
  await assertFits(small, 'the admin group page with its warnings');
  await phone.close();

  const page = await adminContext.newPage();
  await page.goto(`${env.live.url}/admin/mixers/${groupId}`);
  const rounds = page.getByRole('region', { name: 'Rounds', exact: true });
  await rounds.getByText(/Nobody in this round was told/).waitFor();
  await top(page);
  await page.screenshot({ path: shot('mixers-admin-reach-1280'), fullPage: true });
  const before = await db().selectFrom('rounds').select(['id', 'undone_at']).where('group_id', '=', groupId).execute();
  await rounds.getByRole('button', { name: 'Undo this round' }).click();
  const dialog = page.getByRole('dialog', { name: 'Undo the latest round?' });
  await dialog.getByText(/people who were told of their match get a cancellation/).waitFor();
  await page.addStyleTag({ content: '.topbar { position: static; }' });
  await page.screenshot({ path: shot('mixers-admin-undo-confirm-1280') });
  await dialog.getByRole('button', { name: 'Undo the round' }).click();
  await rounds.getByText(/^Round undone: \d+ meetings? cancelled\. Nobody had heard of it yet/).waitFor();
  await rounds.getByText('Undone', { exact: true }).waitFor();
  // The outcome stays said after the panel reloads.
  await rounds.getByText(/^Round undone: /).waitFor();
  const after = await db().selectFrom('rounds').select(['id', 'undone_at']).where('group_id', '=', groupId).execute();
  assert.equal(after.length, before.length, 'the round is kept, marked undone');
  assert.equal(after.filter((r) => r.undone_at).length, 1);
  // The earlier round is the latest that counts now, but only the newest round can be undone.
  assert.equal(await rounds.getByRole('button', { name: 'Undo this round' }).count(), 0);
  await rounds.screenshot({ path: shot('mixers-admin-undone-1280') });
  await page.close();
});
