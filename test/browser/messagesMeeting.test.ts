import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { Page } from 'playwright-core';
import { createSession } from '../../src/features/auth/sessions.js';
import { upsertExternalMeeting } from '../../src/features/meetings/external.js';
import { cancelMeeting, createMeeting } from '../../src/features/meetings/service.js';
import { shot } from '../helpers/browser.js';
import { assertFits, browserAppForFile } from '../helpers/browserFile.js';
import { deliverLive } from '../helpers/outbox.js';
import { insertPerson } from '../helpers/people.js';
import { adminClient } from '../helpers/server.js';
import { TestSmtp } from '../helpers/smtp.js';
import { signInAsAdmin } from './signIn.js';

const env = browserAppForFile();

let smtp: TestSmtp;
const db = () => env.live.ctx.database.db;

env.before(async () => {
  smtp = await new TestSmtp().start();
  const admin = await adminClient(env.live.app);
  const saved = await admin.put('/api/v1/admin/channels/email', {
    enabled: true,
    smtpUrl: smtp.url,
    from: 'Convene <convene@example.org>',
  });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
});

after(async () => {
  await smtp?.stop();
});

const deliver = () => deliverLive(db(), env.live.config);

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

/** Waits until every row of the table shows `kind` in its Kind column (the filter has applied). */
async function onlyKind(page: Page, kind: string) {
  await page.waitForFunction((kind) => {
    const cells = [...document.querySelectorAll('.messages-table tbody td[data-label="Kind"]')];
    return cells.length > 0 && cells.every((cell) => cell.textContent === kind);
  }, kind);
}

/** The texts of a select's options, by its label. */
const optionsOf = (page: Page, label: string) =>
  page
    .getByLabel(label, { exact: true })
    .locator('option')
    .evaluateAll((options) => options.map((o) => o.textContent ?? ''));

test("from a meeting's page to what was sent about it: a removal is labelled Removed", async () => {
  const ann = await insertPerson(db(), { username: 'ann', name: 'Ann Stays' });
  const ben = await insertPerson(db(), { username: 'ben', name: 'Ben Removed' });
  const cat = await insertPerson(db(), { username: 'cat', name: 'Cat Other' });
  // A meeting from an HR tool (an API caller): Ben is taken out of it, it goes on for Ann.
  const external = {
    source: 'hr-tool',
    externalId: 'loop-1',
    title: 'Interview loop',
    durationMinutes: 45,
    settings: { origin: 'source:hr-tool', originName: 'hr-tool' },
  };
  const made = await upsertExternalMeeting({
    db: db(),
    meeting: { ...external, startsAt: inDays(3), participantIds: [ann, ben], updatedAt: '2026-01-01T10:00:00Z' },
  });
  await deliver();
  const startsAt = (
    await db().selectFrom('meetings').select('starts_at').where('id', '=', made.meetingId).executeTakeFirstOrThrow()
  ).starts_at;
  await upsertExternalMeeting({
    db: db(),
    meeting: { ...external, startsAt, participantIds: [ann], updatedAt: '2026-01-01T11:00:00Z' },
  });
  // Elsewhere: a 42 evaluation, and a meeting cancelled as a whole.
  await upsertExternalMeeting({
    db: db(),
    meeting: {
      source: 'intra42',
      externalId: '9001',
      title: 'Evaluation of libft',
      startsAt: inDays(2),
      durationMinutes: 30,
      participantIds: [cat, ann],
      settings: { origin: 'source:intra42', originName: '42 evaluations' },
    },
  });
  const calledOff = await createMeeting({
    db: db(),
    title: 'Coffee called off',
    participantIds: [ann, cat],
    startsAt: inDays(4),
  });
  await deliver();
  await cancelMeeting({ db: db(), meetingId: calledOff.meetingId });
  await deliver();

  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signInAsAdmin(page, env.live.url);
  await page.goto(`${env.live.url}/meetings/${made.meetingId}`);
  await page.getByRole('heading', { name: 'Interview loop', level: 1 }).waitFor();
  await page.getByRole('link', { name: 'Messages about this meeting' }).click();
  await page.waitForURL(
    (url) => url.pathname === '/admin/messages' && url.searchParams.get('meeting') === made.meetingId,
  );

  // The filter is named by the meeting's title; every row is about it.
  const meetingFilter = page.getByLabel('Meeting', { exact: true });
  await meetingFilter.waitFor();
  await page.getByRole('option', { name: 'Interview loop' }).waitFor({ state: 'attached' });
  assert.equal(await meetingFilter.inputValue(), made.meetingId);
  const rows = page.locator('.messages-table tbody tr');
  await rows.first().waitFor();
  for (const title of await rows.locator('td[data-label="Meeting"]').allInnerTexts()) {
    assert.match(title, /^Interview loop/);
  }
  const removal = page.locator('.messages-table tbody tr', { hasText: 'Ben Removed' }).filter({
    has: page.locator('td[data-label="Kind"]', { hasText: /^Removed$/ }),
  });
  await removal.first().waitFor();
  assert.equal(await rows.locator('td[data-label="Kind"]', { hasText: 'Cancellation' }).count(), 0);
  // Ben's reminder, skipped when he was taken out, says so; it is not offered again.
  const skippedReminder = page
    .locator('.messages-table tbody tr', { hasText: 'Ben Removed' })
    .filter({ has: page.locator('td[data-label="Kind"]', { hasText: /^Reminder$/ }) });
  await skippedReminder.getByText('Not sent again: They were removed from the meeting').first().waitFor();
  assert.equal(await skippedReminder.getByRole('button', { name: /Resend/ }).count(), 0);

  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: shot('messages-meeting-1280'), fullPage: true });

  // Kinds: removals apart from cancellations.
  assert.ok((await optionsOf(page, 'Kind')).includes('Removed'));
  await page.getByLabel('Kind', { exact: true }).selectOption('removal');
  await page.waitForURL((url) => url.searchParams.get('kind') === 'removal');
  await onlyKind(page, 'Removed');
  for (const kind of await rows.locator('td[data-label="Kind"]').allInnerTexts()) assert.equal(kind, 'Removed');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: shot('messages-meeting-removed-1280'), fullPage: true });

  // Every origin with messages is offered, by name.
  const origins = await optionsOf(page, 'Origin');
  for (const name of ['42 evaluations (source)', 'hr-tool (source)']) assert.ok(origins.includes(name), origins.join());
  await assertFits(page, 'Messages about a meeting at 1280 px');

  // All meetings again: the cancellation of the other meeting is a Cancellation, not a removal.
  await meetingFilter.selectOption('');
  await page.getByLabel('Kind', { exact: true }).selectOption('cancel');
  await page.waitForURL((url) => !url.searchParams.has('meeting') && url.searchParams.get('kind') === 'cancel');
  await onlyKind(page, 'Cancellation');
  await page.locator('.messages-table tbody tr', { hasText: 'Coffee called off' }).first().waitFor();
  for (const kind of await rows.locator('td[data-label="Kind"]').allInnerTexts()) assert.equal(kind, 'Cancellation');
  assert.equal(await page.getByLabel('Meeting', { exact: true }).count(), 0, 'no meeting filter once cleared');

  // At 390 px: the meeting's messages, filters stacked, rows as cards.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${env.live.url}/admin/messages?meeting=${made.meetingId}`);
  await page.locator('.messages-table tbody tr', { hasText: 'Ben Removed' }).first().waitFor();
  await assertFits(page, 'Messages about a meeting at 390 px');
  await page.screenshot({ path: shot('messages-meeting-removed-390'), fullPage: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: shot('messages-meeting-removed-390-top') });
  await page.goto(`${env.live.url}/meetings/${made.meetingId}`);
  await page.getByRole('link', { name: 'Messages about this meeting' }).waitFor();
  await assertFits(page, 'The meeting page at 390 px');
  await page.screenshot({ path: shot('messages-meeting-page-390'), fullPage: true });
  await context.close();

  // A participant who is not an administrator is offered no such link.
  const { token } = await createSession(db(), { personId: ann, days: 1 });
  const member = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  await member.addCookies([{ name: 'convene_session', value: token, url: env.live.url }]);
  const mine = await member.newPage();
  await mine.goto(`${env.live.url}/meetings/${made.meetingId}`);
  await mine.getByRole('heading', { name: 'Interview loop', level: 1 }).waitFor();
  assert.equal(await mine.getByRole('link', { name: 'Messages about this meeting' }).count(), 0);
  await member.close();
});
