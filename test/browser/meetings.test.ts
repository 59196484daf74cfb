import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { createSession } from '../../src/features/auth/sessions.js';
import { managerPattern } from '../../src/features/mixers/eligibility.js';
import { runRound } from '../../src/features/mixers/rounds.js';
import { shot } from '../helpers/browser.js';
import { assertFits, browserAppForFile, unlabelledFields } from '../helpers/browserFile.js';
import { clientFor, insertPerson } from '../helpers/people.js';
import { adminClient } from '../helpers/server.js';

const env = browserAppForFile();

let desktop: BrowserContext;
let meetingId: string;

const db = () => env.live.ctx.database.db;
const avatar = `data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><rect width="8" height="8" fill="#7c3aed"/></svg>')}`;

/** Full-page screenshots draw the sticky top bar where the page is scrolled to: start at the top. */
async function top(page: Page) {
  await page.evaluate(() => window.scrollTo(0, 0));
}

/** "2030-03-04" for `days` from now, on New York's calendar. */
function newYorkDate(days: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(
    new Date(Date.now() + days * 86_400_000),
  );
}

env.before(async () => {
  const admin = await adminClient(env.live.app);
  const group = await admin.post('/api/v1/mixers/groups', { name: 'Coffee Roulette', cron: '0 10 * * MON' });
  assert.equal(group.status, 201, JSON.stringify(group.body));
  const grace = await insertPerson(db(), {
    username: 'grace',
    name: 'Grace Hopper',
    title: 'Rear Admiral',
    team: 'Navy',
  });
  const ada = await insertPerson(db(), { username: 'ada', name: 'Ada Lovelace', title: 'Analyst', team: 'Research' });
  await db().updateTable('people').set({ timezone: 'America/New_York' }).where('id', '=', grace).execute();
  await db().updateTable('people').set({ avatar_url: avatar }).where('id', '=', ada).execute();
  for (const id of [grace, ada]) {
    const joined = await (await clientFor(env.live.app, db(), id)).post(
      `/api/v1/mixers/groups/${group.body.group.id}/join`,
    );
    assert.equal(joined.status, 200);
  }
  const outcome = await runRound({
    db: db(),
    groupId: group.body.group.id,
    scheduledFor: new Date(),
    titlePattern: managerPattern('Manager'),
  });
  assert.equal(outcome.stats.pairs, 1);
  const { token } = await createSession(db(), { personId: grace, days: 1 });
  // Grace's browser says Paris; her profile says New York: pages must follow the profile.
  desktop = await env.browser.newContext({
    viewport: { width: 1200, height: 900 },
    timezoneId: 'Europe/Paris',
    locale: 'en-US',
  });
  await desktop.addCookies([{ name: 'convene_session', value: token, url: env.live.url }]);
});

test('from a mixer match to its meeting page: the partner, the room, a time set in my timezone', async () => {
  const page = await desktop.newPage();
  await page.goto(`${env.live.url}/mixers`);
  await page.getByRole('link', { name: 'Meeting with Ada Lovelace in Coffee Roulette' }).click();
  await page.waitForURL(/\/meetings\/[^/]+$/);
  meetingId = page.url().split('/').pop() ?? '';
  await page.getByRole('heading', { level: 1 }).waitFor();
  const who = page.getByRole('region', { name: 'Who' });
  await who.getByText('Ada Lovelace').waitFor();
  await who.getByText('Analyst · Research').waitFor();
  await page.getByText('No time set yet').waitFor();
  // No chat channel reaches Ada (no channel is on here): her address is how Grace writes to her.
  await who.getByRole('link', { name: 'ada@example.org' }).waitFor();
  assert.equal(await who.getByText('grace@example.org').count(), 0, 'not one’s own address');
  const join = page.getByRole('link', { name: 'Join the video room' });
  assert.match(
    (await join.getAttribute('href')) ?? '',
    /^https:\/\/meet\.jit\.si\/convene-coffee-roulette-[a-z2-7]{24}$/,
  );
  assert.equal(await unlabelledFields(page), 0);
  await top(page);
  await page.screenshot({ path: shot('meetings-page-untimed'), fullPage: true });

  const day = newYorkDate(3);
  await page.getByLabel('Date').fill(day);
  await page.getByLabel('Time', { exact: true }).fill('09:30');
  await page.getByRole('button', { name: 'Set time' }).click();
  await page
    .getByText('Time set. Nobody was sent a message: no channel that reaches people is on for them.', { exact: false })
    .waitFor();
  const stored = await db().selectFrom('meetings').selectAll().where('id', '=', meetingId).executeTakeFirstOrThrow();
  assert.equal(stored.status, 'scheduled');
  const inNewYork = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'America/New_York',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(stored.starts_at ?? ''));
  assert.equal(inNewYork.replace(',', ''), `${day} 09:30`, 'typed in New York time, stored in UTC');
  const when = await page.getByRole('region', { name: 'When' }).locator('.meeting-time').innerText();
  assert.match(when, /09:30/);
  assert.match(when, /EST|EDT|GMT-[45]/);
  // Three days ahead, the room is not open yet; the calendar is offered.
  assert.ok(await page.getByRole('button', { name: 'Join the video room' }).isDisabled());
  await page.getByText(/The room opens 10 minutes before the start/).waitFor();
  const ics = page.getByRole('link', { name: 'Add to calendar (.ics)' });
  assert.equal(await ics.getAttribute('href'), `/api/v1/meetings/${meetingId}/calendar.ics`);
  assert.match(
    (await page.getByRole('link', { name: 'Google Calendar' }).getAttribute('href')) ?? '',
    /calendar\.google\.com.*dates=/,
  );
  // No message channel is configured here (the API test covers the messages): the change is audited.
  const audit = await db().selectFrom('audit_log').select('action').where('subject_id', '=', meetingId).execute();
  assert.ok(audit.some((row) => row.action === 'meeting.reschedule'));
  // "Did you meet?" waits for the meeting: three days ahead there is nothing to answer yet.
  const feedback = page.getByRole('region', { name: 'Did you meet?' });
  await feedback.getByText('Once the meeting has started').waitFor();
  assert.equal(await feedback.getByRole('button', { name: 'Yes, we met' }).count(), 0);
  await top(page);
  await page.screenshot({ path: shot('meetings-page-timed'), fullPage: true });
  // Once it has begun it can be answered here too, and changed; the latest answer is the one kept.
  const begun = new Date(Date.now() - 10 * 60_000).toISOString();
  await db().updateTable('meetings').set({ starts_at: begun }).where('id', '=', meetingId).execute();
  await page.reload();
  await feedback.getByRole('button', { name: 'No, we didn’t' }).click();
  await feedback.getByText('You said you didn’t meet.').waitFor();
  await feedback.getByRole('button', { name: 'Yes, we met' }).click();
  await feedback.getByText('You said you met. Thanks!').waitFor();
  const answers = await db().selectFrom('meeting_feedback').selectAll().where('meeting_id', '=', meetingId).execute();
  assert.deepEqual(
    answers.map((row) => [row.answer, row.via]),
    [['yes', 'web']],
  );
  // Back to the time the member set, for the list tests that follow.
  await db().updateTable('meetings').set({ starts_at: stored.starts_at }).where('id', '=', meetingId).execute();
  await page.close();
});

test('/meetings lists the match under Upcoming, with the time in my timezone; cancelling moves it to Past', async () => {
  const page = await desktop.newPage();
  await page.goto(`${env.live.url}/meetings`);
  const card = page.getByRole('article', { name: 'Ada Lovelace' });
  await card.getByText('Coffee Roulette').waitFor();
  assert.match(await card.locator('time').innerText(), /09:30/);
  await top(page);
  await page.screenshot({ path: shot('meetings-list-desktop'), fullPage: true });
  await page.getByRole('button', { name: 'Past' }).click();
  await page.getByText(/No past meetings yet/).waitFor();

  const phone = await env.browser.newContext({
    viewport: { width: 375, height: 800 },
    timezoneId: 'Europe/Paris',
    storageState: await desktop.storageState(),
  });
  const small = await phone.newPage();
  await small.goto(`${env.live.url}/meetings`);
  await small.getByRole('article', { name: 'Ada Lovelace' }).waitFor();
  await assertFits(small, '/meetings at 375 px');
  await top(small);
  await small.screenshot({ path: shot('meetings-list-phone'), fullPage: true });
  await small.getByRole('link', { name: 'Ada Lovelace' }).click();
  await small.getByRole('region', { name: 'Who' }).getByText('Ada Lovelace').waitFor();
  await assertFits(small, 'the meeting page at 375 px');
  await top(small);
  await small.screenshot({ path: shot('meetings-page-phone'), fullPage: true });

  await small.getByRole('button', { name: 'Cancel meeting' }).waitFor();
  assert.equal(
    await small.getByRole('button', { name: /We met|Mark as done/ }).count(),
    0,
    'a meeting that has not started cannot be marked done',
  );
  await small.getByRole('button', { name: 'Cancel meeting' }).click();
  const dialog = small.getByRole('dialog', { name: 'Cancel this meeting?' });
  await dialog.getByRole('button', { name: 'Cancel meeting' }).click();
  await small.getByText('The meeting was cancelled.').waitFor();
  await small
    .getByText(/Nobody is sent a cancellation: .+ had not been sent anything about it yet, so nothing goes to them\.$/)
    .waitFor();
  assert.equal(await small.getByText(/video room is closed/).count(), 0, 'a Jitsi room never closes');
  assert.equal(await small.getByRole('link', { name: 'Join the video room' }).count(), 0);
  await top(small);
  await small.screenshot({ path: shot('meetings-page-cancelled-phone'), fullPage: true });
  await small.goto(`${env.live.url}/meetings?when=past`);
  await small.getByRole('article', { name: 'Ada Lovelace' }).getByText('Cancelled').waitFor();
  await phone.close();
  await page.close();
});

test('an untimed match says when it was matched, in the list at 1280 and 390 px', async () => {
  const group = await db()
    .selectFrom('groups')
    .select('id')
    .where('name', '=', 'Coffee Roulette')
    .executeTakeFirstOrThrow();
  const outcome = await runRound({
    db: db(),
    groupId: group.id,
    scheduledFor: new Date(Date.now() + 60_000),
    titlePattern: managerPattern('Manager'),
  });
  assert.equal(outcome.stats.pairs, 1);
  const phone = await env.browser.newContext({
    viewport: { width: 390, height: 844 },
    timezoneId: 'Europe/Paris',
    storageState: await desktop.storageState(),
  });
  const wide = await desktop.newPage();
  await wide.setViewportSize({ width: 1280, height: 900 });
  for (const page of [wide, await phone.newPage()]) {
    await page.goto(`${env.live.url}/meetings`);
    const card = page.getByRole('article', { name: 'Ada Lovelace' });
    await card.getByText(/^Matched on .+ · no time set$/).waitFor();
    await assertFits(page, '/meetings');
    await top(page);
    await page.screenshot({ path: shot(`meetings-matched-on-${page.viewportSize()?.width}`), fullPage: true });
    await page.goto(`${env.live.url}/mixers`);
    await page
      .getByRole('region', { name: 'Your matches' })
      .getByText(/^Matched on /)
      .first()
      .waitFor();
    await page.screenshot({ path: shot(`mixers-matched-on-${page.viewportSize()?.width}`), fullPage: true });
    await page.close();
  }
  await phone.close();
});
