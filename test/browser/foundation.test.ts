import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shot } from '../helpers/browser.js';
import { assertFits, browserAppForFile, unlabelledFields } from '../helpers/browserFile.js';
import { ADMIN_PASSWORD } from '../helpers/server.js';

const env = browserAppForFile();

test('a newcomer signs up, signs out, signs in and edits the profile', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1200, height: 850 } });
  await page.goto(`${env.live.url}/profile`);
  await page.waitForURL(/\/signin\?next=%2Fprofile/);

  await page.getByRole('link', { name: /create an account|sign up/i }).click();
  await page.getByLabel('Email').fill('margaret@example.org');
  await page.getByLabel('Name').fill('Margaret Hamilton');
  await page.getByLabel('Password').fill('password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page
    .getByRole('alert')
    .filter({ hasText: /common/ })
    .waitFor();

  await page.getByLabel('Password').fill('apollo guidance 1969');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByText('Margaret Hamilton').first().waitFor();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/\/signin/);

  await page.getByLabel('Email').fill('margaret@example.org');
  await page.getByLabel('Password').fill('wrong password here');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page
    .getByRole('alert')
    .filter({ hasText: /not right/ })
    .waitFor();
  await page.getByLabel('Password').fill('apollo guidance 1969');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Margaret Hamilton').first().waitFor();

  await page.goto(`${env.live.url}/profile`);
  await page.getByLabel('Name').fill('Margaret H. Hamilton');
  await page.getByLabel('Timezone').selectOption('America/New_York');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await page.getByText('Saved').first().waitFor();
  await page.screenshot({ path: shot('foundation-profile'), fullPage: true });

  await page.reload();
  assert.equal(await page.getByLabel('Name').inputValue(), 'Margaret H. Hamilton');
  assert.equal(await page.getByLabel('Timezone').inputValue(), 'America/New_York');
  const stored = await env.live.ctx.database.db
    .selectFrom('people')
    .select(['name', 'timezone'])
    .where('email', '=', 'margaret@example.org')
    .executeTakeFirstOrThrow();
  assert.deepEqual(stored, { name: 'Margaret H. Hamilton', timezone: 'America/New_York' });
  await page.close();
});

test('the admin console works at phone width (375 px) without sideways scrolling', async () => {
  const page = await env.browser.newPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
  await page.goto(`${env.live.url}/signin`);
  await page.getByLabel('Email').fill('admin');
  await page.getByLabel('Password').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${env.live.url}/`);
  await page.goto(`${env.live.url}/admin`);
  await page.getByText('margaret@example.org').first().waitFor();
  await page.getByRole('radio', { name: 'Closed' }).check();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByText('Saved').first().waitFor();
  // The top bar is sticky: scrolled down, a full-page shot would show it mid-page.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: shot('foundation-admin-phone'), fullPage: true });
  const nameBox = await page.locator('.people-table .person-name', { hasText: 'Hamilton' }).boundingBox();
  assert.ok(nameBox && nameBox.width > 120, `the name has room on one line (width ${nameBox?.width})`);
  await assertFits(page, 'the admin console');
  assert.equal(await unlabelledFields(page), 0, 'every form field has a label');
  const settings = await env.live.ctx.database.db
    .selectFrom('settings')
    .selectAll()
    .where('key', '=', 'registration')
    .executeTakeFirst();
  assert.equal(settings?.value, '"closed"');
  await page.close();
});

test('a missing file under /assets/ is a 404, not the page; a page route is still the app', async () => {
  const missing = await fetch(`${env.live.url}/assets/does-not-exist.js`);
  assert.equal(missing.status, 404);
  assert.doesNotMatch(missing.headers.get('content-type') ?? '', /html/);
  await missing.text();
  for (const path of ['/assets/index-0ld0ld00.css', '/favicon-old.ico', '/robots.txt']) {
    const answer = await fetch(`${env.live.url}${path}`);
    assert.equal(answer.status, 404, path);
    await answer.text();
  }
  for (const path of ['/admin/inbound', '/meetings/01J0000000000000000000000', '/people/jane.doe']) {
    const page = await fetch(`${env.live.url}${path}`);
    assert.equal(page.status, 200, path);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    const html = await page.text();
    assert.match(html, /<div id="root">/);
    // Every script the page names is served as a script.
    for (const [, src] of html.matchAll(/src="(\/assets\/[^"]+\.js)"/g)) {
      const script = await fetch(`${env.live.url}${src}`);
      assert.equal(script.status, 200, src);
      assert.match(script.headers.get('content-type') ?? '', /javascript/);
      await script.text();
    }
  }
});
