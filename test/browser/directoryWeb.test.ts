import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { findPersonByUsername } from '../../src/features/people/queries.js';
import { shot } from '../helpers/browser.js';
import { browserAppForFile } from '../helpers/browserFile.js';
import { adminClient } from '../helpers/server.js';
import { signInAsAdmin } from './signIn.js';

const env = browserAppForFile();

const FEED = [
  'id,auth_username,first_name,last_name,title,avatar,enabled,is_manager,email,team',
  'e-1,wanda,Wanda,Web,Engineer,,1,0,wanda@staff.example,Platform',
  'e-2,xavi,Xavi,Upload,Designer,,perhaps,0,xavi@staff.example,Design',
  'e-3,yara,Yara,Feed,Manager,,1,1,yara@staff.example,Platform',
].join('\n');

async function checkFeed(page: Page): Promise<void> {
  await page.goto(`${env.live.url}/admin/directory`);
  await page.getByText('No scheduled sync').waitFor();
  await page.getByLabel('Feed file (.csv or .json)').setInputFiles({
    name: 'staff.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(FEED),
  });
  await page.getByRole('button', { name: 'Check the feed' }).click();
  await page.getByText('The check found: 3 records').waitFor();
}

test('an admin uploads a CSV, sees the dry run with its problem line, applies it, sees and edits the people', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
  await signInAsAdmin(page, env.live.url);
  await checkFeed(page);
  const db = env.live.ctx.database.db;

  const problems = page.getByRole('table', { name: /Problems/ });
  await problems.getByRole('cell', { name: 'line 3' }).waitFor();
  await problems.getByRole('cell', { name: 'enabled', exact: true }).waitFor();
  await page.getByText('Nothing has changed yet.').waitFor();
  assert.equal(await findPersonByUsername(db, 'wanda'), undefined, 'the dry run wrote nobody');
  await page.screenshot({ path: shot('admin-directory-dry-run-1280'), fullPage: true });

  await page.getByRole('button', { name: 'Apply these changes' }).click();
  await page.getByText('Imported: 3 records').waitFor();
  assert.equal((await findPersonByUsername(db, 'wanda'))?.team, 'Platform');
  assert.equal(await findPersonByUsername(db, 'xavi'), undefined, 'the bad line is skipped');
  const runs = page.getByRole('table', { name: 'Recent imports, newest first' });
  await runs.getByText('by Administrator').waitFor();
  await page.screenshot({ path: shot('admin-directory-applied-1280'), fullPage: true });

  await page.getByRole('link', { name: 'See the people' }).click();
  await page.getByRole('button', { name: 'Edit Yara Feed' }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit Yara Feed' });
  await dialog.getByText(/replaced by the next directory import/).waitFor();
  await dialog.getByLabel('Team').fill('Infrastructure');
  await dialog.getByRole('button', { name: 'Save changes' }).click();
  await page.getByText('Saved the changes to Yara Feed.').waitFor();
  assert.equal((await findPersonByUsername(db, 'yara'))?.team, 'Infrastructure');
  // Every row's actions are inside the visible table at 1280 px.
  const overflow = await page.evaluate(() => {
    const wrap = document.querySelector('.table-wrap');
    return wrap ? wrap.scrollWidth - wrap.clientWidth : 0;
  });
  assert.ok(overflow <= 0, `the people table scrolls sideways by ${overflow}px at 1280 px`);
  await page.screenshot({ path: shot('admin-people-after-import-1280'), fullPage: true });
  await page.close();
});

test('on a phone (390 px) the directory page fits, and the admin tabs show that they scroll', async () => {
  const page = await env.browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await signInAsAdmin(page, env.live.url);
  await checkFeed(page);
  await page.screenshot({ path: shot('admin-directory-dry-run-390'), fullPage: true });
  const layout = await page.evaluate(() => {
    const tabs = document.querySelector('.admin-tabs') as HTMLElement;
    const active = document.querySelector('.admin-tab[aria-current="page"]') as HTMLElement;
    const tabsBox = tabs.getBoundingClientRect();
    const activeBox = active.getBoundingClientRect();
    return {
      page: document.documentElement.scrollWidth - window.innerWidth,
      tabsScroll: tabs.scrollWidth - tabs.clientWidth,
      mask: getComputedStyle(tabs).maskImage || getComputedStyle(tabs).webkitMaskImage,
      activeVisible: activeBox.left >= tabsBox.left - 1 && activeBox.right <= tabsBox.right + 1,
    };
  });
  assert.ok(layout.page <= 0, `the page is ${layout.page}px wider than the phone`);
  assert.ok(layout.tabsScroll > 0, 'the admin tabs do not fit a phone: they scroll');
  assert.match(layout.mask, /gradient/, 'their edge fades, saying there is more');
  assert.ok(layout.activeVisible, 'the current tab is scrolled into view');
  await page.goto(`${env.live.url}/admin`);
  await page.getByRole('button', { name: 'Edit Wanda Web' }).waitFor();
  await page.screenshot({ path: shot('admin-people-390'), fullPage: true });
  const peopleOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(peopleOverflow <= 0, `the people page is ${peopleOverflow}px wider than the phone`);
  await page.close();
});

/** The admin pages with tables, and what must be on screen in their rows. */
const ADMIN_PAGES = [
  { path: '/admin', name: 'people', ready: 'wanda@staff.example' },
  { path: '/admin/directory', name: 'directory', ready: 'Recent imports' },
  { path: '/admin/mixers', name: 'mixers', ready: 'Layout mixer' },
  { path: '/admin/api-tokens', name: 'api-tokens', ready: 'layout-token' },
  { path: '/admin/audit', name: 'audit', ready: 'directory.import' },
];

test('every admin table shows its row actions at 1280 px and fits a phone at 390 px', async () => {
  const admin = await adminClient(env.live.app);
  const group = await admin.post('/api/v1/mixers/groups', { name: 'Layout mixer', cron: '0 10 * * MON' });
  assert.ok(group.status < 300, JSON.stringify(group.body));
  const token = await admin.post('/api/v1/admin/api-tokens', { name: 'layout-token', scopes: ['meetings:write'] });
  assert.ok(token.status < 300, JSON.stringify(token.body));

  for (const [width, height] of [
    [1280, 900],
    [390, 844],
  ] as const) {
    const page = await env.browser.newPage({
      viewport: { width, height },
      isMobile: width < 500,
      hasTouch: width < 500,
    });
    await signInAsAdmin(page, env.live.url);
    for (const { path, name, ready } of ADMIN_PAGES) {
      await page.goto(`${env.live.url}${path}`);
      await page.getByText(ready).first().waitFor();
      await page.screenshot({ path: shot(`admin-${name}-${width}`), fullPage: true });
      const layout = await page.evaluate(() => {
        const hiddenActions = [...document.querySelectorAll('main table button, main table a.btn')].filter((el) => {
          const box = el.getBoundingClientRect();
          const wrap = el.closest('.table-wrap')?.getBoundingClientRect();
          return box.right > window.innerWidth + 1 || (wrap !== undefined && box.right > wrap.right + 1);
        });
        return {
          page: document.documentElement.scrollWidth - window.innerWidth,
          hidden: hiddenActions.map((el) => el.textContent?.trim()),
        };
      });
      assert.ok(layout.page <= 0, `${path} at ${width} px is ${layout.page}px wider than the screen`);
      if (width === 1280) assert.deepEqual(layout.hidden, [], `${path}: actions outside the visible table`);
    }
    await page.close();
  }
});
