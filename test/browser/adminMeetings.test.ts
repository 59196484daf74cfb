import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { upsertExternalMeeting } from '../../src/features/meetings/external.js';
import { createMeeting } from '../../src/features/meetings/service.js';
import { shot } from '../helpers/browser.js';
import { assertFits, browserAppForFile, unlabelledFields } from '../helpers/browserFile.js';
import { insertPerson } from '../helpers/people.js';
import { signInAsAdmin } from './signIn.js';

const env = browserAppForFile();
const db = () => env.live.ctx.database.db;
const inHours = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();
/** An API caller's id as long as ids get in practice: one word, nowhere to break it. */
const LONG_ID = `onboarding-2030-emea-${'a1b2c3d4e5'.repeat(8)}`;

env.before(async () => {
  const ada = await insertPerson(db(), { username: 'ada', name: 'Ada Lovelace' });
  const grace = await insertPerson(db(), { username: 'grace', name: 'Grace Hopper' });
  await createMeeting({ db: db(), title: 'Design review', participantIds: [ada, grace], startsAt: inHours(30) });
  await upsertExternalMeeting({
    db: db(),
    meeting: {
      source: 'intra42',
      externalId: '8675309',
      title: 'Evaluation of libft',
      startsAt: inHours(4),
      participantIds: [ada, grace],
    },
  });
  await upsertExternalMeeting({
    db: db(),
    meeting: {
      source: 'hr-tool',
      externalId: LONG_ID,
      title: 'Onboarding buddy',
      startsAt: inHours(50),
      participantIds: [ada, grace],
    },
  });
});

const titles = async (page: Page) =>
  (await page.locator('.meeting-admin-row .meeting-card-title').allInnerTexts()).sort();

/** Waits until the list shows these meetings (a new filter's answer has arrived), then checks them. */
async function listed(page: Page, expected: string[]) {
  for (let tries = 0; JSON.stringify(await titles(page)) !== JSON.stringify(expected) && tries < 100; tries++)
    await page.waitForTimeout(50);
  assert.deepEqual(await titles(page), expected);
}

test('an admin narrows Meetings to one source (kept in the address) and reads each outside meeting’s external id, at 1280 and 390 px', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  await signInAsAdmin(page, env.live.url);
  await page.goto(`${env.live.url}/admin/meetings`);
  await page.getByRole('link', { name: 'Onboarding buddy' }).waitFor();
  assert.deepEqual(await titles(page), ['Design review', 'Evaluation of libft', 'Onboarding buddy']);

  // The sources there are, by name, and nothing else.
  const source = page.getByLabel('Source', { exact: true });
  await source.locator('option', { hasText: 'hr-tool (API)' }).waitFor({ state: 'attached' });
  assert.deepEqual(await source.locator('option').allInnerTexts(), [
    'Any source',
    '42 intranet',
    'Created here',
    'hr-tool (API)',
  ]);
  assert.equal(await unlabelledFields(page), 0);

  // Where each meeting came from; the id its source knows it by for those from outside.
  const row = (title: string) => page.locator('.meeting-admin-row', { has: page.getByRole('link', { name: title }) });
  assert.equal(
    await row('Evaluation of libft').locator('.meeting-admin-source').innerText(),
    '42 intranet · id 8675309',
  );
  assert.equal(await row('Design review').locator('.meeting-admin-source').innerText(), 'Created here');
  const longId = row('Onboarding buddy').locator('.meeting-admin-external');
  assert.equal(await longId.getAttribute('title'), LONG_ID, 'the whole id in its title');
  assert.equal(await longId.locator('code').innerText(), LONG_ID, 'and on the page, wrapped');
  await assertFits(page, 'Meetings at 1280 px');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: shot('admin-meetings-1280'), fullPage: true });

  await source.selectOption({ label: 'hr-tool (API)' });
  await page.waitForURL(/[?&]source=hr-tool(&|$)/);
  await listed(page, ['Onboarding buddy']);
  await page.getByLabel('Status', { exact: true }).selectOption('scheduled');
  await page.waitForURL(/status=scheduled/);
  assert.match(page.url(), /source=hr-tool/, 'one filter does not drop another');
  await page.reload();
  await page.getByRole('link', { name: 'Onboarding buddy' }).waitFor();
  assert.equal(await source.inputValue(), 'hr-tool', 'the filter survives a reload');
  await listed(page, ['Onboarding buddy']);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: shot('admin-meetings-source-1280'), fullPage: true });

  await source.selectOption({ label: '42 intranet' });
  await listed(page, ['Evaluation of libft']);
  await source.selectOption({ label: 'Any source' });
  await listed(page, ['Design review', 'Evaluation of libft', 'Onboarding buddy']);
  assert.doesNotMatch(page.url(), /source=/);

  // A name the API would refuse, typed into the address, is no filter rather than an error.
  await page.goto(`${env.live.url}/admin/meetings?source=Not%20a%20source`);
  await page.getByRole('link', { name: 'Design review' }).waitFor();
  assert.equal(await page.getByRole('alert').count(), 0);

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${env.live.url}/admin/meetings`);
  await page.getByRole('link', { name: 'Onboarding buddy' }).waitFor();
  await assertFits(page, 'Meetings at 390 px');
  const idBox = await longId.boundingBox();
  assert.ok(idBox && idBox.x + idBox.width <= 390, 'the long id wraps within the screen');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: shot('admin-meetings-390'), fullPage: true });
  await row('Onboarding buddy').scrollIntoViewIfNeeded();
  await page.screenshot({ path: shot('admin-meetings-390-rows') });
  await context.close();
});

for (const width of [1280, 390]) {
  test(`admin Meetings has the page heading and lede the other admin pages have, at ${width} px`, async () => {
    const context = await env.browser.newContext({ viewport: { width, height: 900 }, locale: 'en-US' });
    const page = await context.newPage();
    try {
      await signInAsAdmin(page, env.live.url);
      const header = async (path: string) => {
        await page.goto(`${env.live.url}${path}`);
        const h1 = page.locator('header.page-header h1');
        await h1.waitFor();
        const box = await h1.boundingBox();
        return {
          title: await h1.textContent(),
          lede: (await page.locator('header.page-header .page-lede').textContent()) ?? '',
          x: Math.round(box?.x ?? -1),
          fontSize: await h1.evaluate((e) => getComputedStyle(e).fontSize),
        };
      };
      const inbound = await header('/admin/inbound');
      const meetings = await header('/admin/meetings');
      await page.getByRole('link', { name: 'Onboarding buddy' }).waitFor();
      assert.equal(meetings.title, 'Meetings');
      assert.equal(await page.getByRole('heading', { level: 1 }).count(), 1, 'one page heading');
      assert.match(meetings.lede, /^Every meeting/);
      assert.deepEqual({ x: meetings.x, fontSize: meetings.fontSize }, { x: inbound.x, fontSize: inbound.fontSize });
      await page.screenshot({ path: shot(`admin-meetings-header-${width}`) });
      await assertFits(page, `Meetings with its heading at ${width} px`);
    } finally {
      await context.close();
    }
  });
}
