import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { recordAudits } from '../../src/db/audit.js';
import { claimDeliveries, finishDelivery } from '../../src/features/ingest/deliveries.js';
import { shot } from '../helpers/browser.js';
import { assertFits, browserAppForFile } from '../helpers/browserFile.js';
import { failedWebhookRow } from '../helpers/outbox.js';
import { signInAsAdmin } from './signIn.js';

/**
 * Every admin list pages the same way: one "Previous · Page N (of M) · Next" below it, the page in
 * the address (a reload and Back keep it), and a page past the end that says so with a way back.
 */
const env = browserAppForFile();
const db = () => env.live.ctx.database.db;

const AUDITED = 120; // three pages of 50
const DELIVERED = 60; // two pages of 50: Inbound does not count them, it knows whether more follow
const FAILED = 40; // two pages of Messages (25 a page), all failed: one "Resend all failed" gives a notice

env.before(async () => {
  await recordAudits(
    db(),
    Array.from({ length: AUDITED }, (_, i) => ({
      actorId: null,
      action: 'paging.test',
      subjectType: 'entry',
      subjectId: `entry-${String(i).padStart(3, '0')}`,
    })),
  );
  const ids = Array.from({ length: DELIVERED }, (_, i) => `paging-${String(i).padStart(2, '0')}`);
  for (const claim of (await claimDeliveries(db(), 'intra42', ids)).values())
    if (claim.claimed) await finishDelivery(db(), claim.id, { outcome: 'ok', statusCode: 200, summary: 'Paged.' });
  await db()
    .insertInto('notifications')
    .values(
      Array.from({ length: FAILED }, (_, i) =>
        failedWebhookRow({ key: `paging-failed-${i}`, meetingId: null, title: `Paged meeting ${i}` }),
      ),
    )
    .execute();
});

const pagination = (page: Page) => page.getByRole('navigation', { name: 'Pagination' });

/** The pagination reads `status`, and its buttons and status share one row (on a phone too). */
async function assertPagination(page: Page, status: string) {
  const nav = pagination(page);
  await nav.getByText(status, { exact: true }).waitFor();
  const boxes = await Promise.all(
    [
      nav.getByRole('button', { name: 'Previous' }),
      nav.getByText(status),
      nav.getByRole('button', { name: 'Next' }),
    ].map(async (part) => (await part.boundingBox()) ?? assert.fail('a part of the pagination is not shown')),
  );
  const middles = boxes.map((box) => box.y + box.height / 2);
  assert.ok(Math.max(...middles) - Math.min(...middles) < 4, `the pagination is on one row: ${JSON.stringify(boxes)}`);
}

const firstSubject = (page: Page) =>
  page.getByTestId('audit-row').first().locator('td[data-label="Subject"]').innerText();

for (const width of [1280, 390]) {
  test(`Audit and Inbound page through the shared pagination, kept in the address, at ${width} px`, async () => {
    const context = await env.browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    try {
      await signInAsAdmin(page, env.live.url);

      // Audit: counted, so "of M"; the filter and the page are in the address.
      await page.goto(`${env.live.url}/admin/audit`);
      await page.getByLabel('Action').fill('paging.');
      await page.getByRole('button', { name: 'Filter' }).click();
      await assertPagination(page, 'Page 1 of 3');
      assert.ok(await pagination(page).getByRole('button', { name: 'Previous' }).isDisabled());
      const onFirst = await firstSubject(page);
      await pagination(page).getByRole('button', { name: 'Next' }).click();
      await assertPagination(page, 'Page 2 of 3');
      assert.match(page.url(), /[?&]page=2(&|$)/);
      assert.match(page.url(), /[?&]action=paging\.(&|$)/);
      const onSecond = await firstSubject(page);
      assert.notEqual(onSecond, onFirst, 'page 2 shows other entries');
      await pagination(page).scrollIntoViewIfNeeded();
      await page.screenshot({ path: shot(`paging-audit-${width}`) });
      await assertFits(page, 'the Audit page');
      // A reload keeps the page and the filter (in the form too).
      await page.reload();
      await assertPagination(page, 'Page 2 of 3');
      assert.equal(await page.getByLabel('Action').inputValue(), 'paging.');
      assert.equal(await firstSubject(page), onSecond);
      // Each page turned is a step Back returns to.
      await pagination(page).getByRole('button', { name: 'Next' }).click();
      await assertPagination(page, 'Page 3 of 3');
      assert.ok(await pagination(page).getByRole('button', { name: 'Next' }).isDisabled());
      await page.goBack();
      await assertPagination(page, 'Page 2 of 3');
      // Another filter starts again from the first page.
      await page.getByLabel('Action').fill('paging.test');
      await page.getByRole('button', { name: 'Filter' }).click();
      await assertPagination(page, 'Page 1 of 3');
      assert.doesNotMatch(page.url(), /[?&]page=/);

      // Inbound: not counted, so "Page N" alone, and Next from whether more follow.
      await page.goto(`${env.live.url}/admin/inbound`);
      await assertPagination(page, 'Page 1');
      await pagination(page).getByRole('button', { name: 'Next' }).click();
      await assertPagination(page, 'Page 2');
      assert.match(page.url(), /[?&]page=2(&|$)/);
      assert.ok(await pagination(page).getByRole('button', { name: 'Next' }).isDisabled(), 'page 2 is the last');
      await pagination(page).scrollIntoViewIfNeeded();
      await page.screenshot({ path: shot(`paging-inbound-${width}`) });
      await assertFits(page, 'the Inbound page');
      await page.reload();
      await assertPagination(page, 'Page 2');
      // The last page holds what the first did not.
      assert.equal(await page.locator('.inbound-table tbody tr').count(), DELIVERED - 50);
      await pagination(page).getByRole('button', { name: 'Previous' }).click();
      await assertPagination(page, 'Page 1');
      assert.doesNotMatch(page.url(), /[?&]page=/);
    } finally {
      await context.close();
    }
  });

  test(`a notice about what was done goes when another page of Messages is shown, at ${width} px`, async () => {
    const context = await env.browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    try {
      // Failed again (the other width's run resent them).
      await db()
        .updateTable('notifications')
        .set({ status: 'failed' })
        .where('dedupe_key', 'like', 'paging-failed-%')
        .execute();
      await signInAsAdmin(page, env.live.url);
      await page.goto(`${env.live.url}/admin/messages`);
      await assertPagination(page, 'Page 1 of 2');
      await page.getByRole('button', { name: `Resend all failed (${FAILED})` }).click();
      const notice = page.getByText(`${FAILED} failed messages queued again.`);
      await notice.waitFor();
      await pagination(page).getByRole('button', { name: 'Next' }).click();
      await assertPagination(page, 'Page 2 of 2');
      assert.equal(await notice.count(), 0, 'the notice was about the rows of page 1');
    } finally {
      await context.close();
    }
  });

  test(`a page past the end says so, with the way back, on every admin list (and My meetings) at ${width} px`, async () => {
    const context = await env.browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    try {
      await signInAsAdmin(page, env.live.url);
      const lists = [
        { path: '/admin/messages', back: 2, end: 'the list ends on page 2' },
        {
          path: '/admin/messages?status=sent',
          back: 1,
          end: 'the list is empty',
          empty: 'No messages match these filters.',
        },
        { path: '/admin', back: 1, end: 'the list ends on page 1' },
        { path: '/admin/meetings', back: 1, end: 'the list is empty', empty: /^No meetings match/ },
        { path: '/admin/inbound', back: 1, end: 'the list ends before it' },
        { path: '/admin/audit?action=paging.', back: 3, end: 'the list ends on page 3' },
        // Not an admin list, but the same component: a member's own meetings.
        { path: '/meetings', back: 1, end: 'the list is empty', empty: /^Nothing coming up/ },
      ];
      for (const list of lists) {
        await page.goto(`${env.live.url}${list.path}${list.path.includes('?') ? '&' : '?'}page=999`);
        await page.getByText(`There is nothing on page 999: ${list.end}.`).waitFor();
        // Not the list's own "nothing matches", which would blame the filters.
        assert.equal(
          await page.getByText(/No \w+ match|Nothing has arrived|Nobody has joined|Nothing coming up/).count(),
          0,
          `${list.path} past the end`,
        );
        assert.equal(await pagination(page).count(), 0);
        if (list.path === '/admin/inbound') await page.screenshot({ path: shot(`paging-past-end-${width}`) });
        if (list.path === '/meetings') await page.screenshot({ path: shot(`paging-past-end-meetings-${width}`) });
        await assertFits(page, `${list.path} past the end`);
        await page.getByRole('button', { name: `Go to page ${list.back}` }).click();
        await page.getByText(/There is nothing on page/).waitFor({ state: 'detached' });
        assert.doesNotMatch(page.url(), /page=999/, list.path);
        if (list.back > 1) await assertPagination(page, `Page ${list.back} of ${list.back}`);
        // An empty list's own words, once on page 1.
        if (list.empty) await page.getByText(list.empty).waitFor();
      }
    } finally {
      await context.close();
    }
  });
}
