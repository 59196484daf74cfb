import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shot } from '../helpers/browser.js';
import { assertFits, browserAppForFile } from '../helpers/browserFile.js';
import { insertPerson } from '../helpers/people.js';
import { signInAsAdmin } from './signIn.js';

const env = browserAppForFile();

env.before(async () => {
  await insertPerson(env.live.ctx.database.db, { username: 'ada', email: 'ada@example.org' });
});

for (const width of [1280, 390]) {
  test(`API tokens at ${width}px: a token limited to a source, with how to use it; the list shows the limit`, async () => {
    const context = await env.browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    try {
      await signInAsAdmin(page, env.live.url);
      await page.goto(`${env.live.url}/admin/api-tokens`);
      const sources = page.getByLabel('Sources (optional)');
      await page.getByLabel('Name').fill(`HR tool ${width}`);
      // A name the API would refuse is refused at the field, naming it.
      await sources.fill('hr-tool, Payroll');
      await page.getByRole('button', { name: 'Create token' }).click();
      await page.locator('.field-error').filter({ hasText: '“Payroll” is not a source name' }).waitFor();
      await sources.fill('intra42');
      await page.getByRole('button', { name: 'Create token' }).click();
      await page.locator('.field-error').filter({ hasText: '“intra42” is Convene' }).waitFor();
      await sources.fill(`hr-tool, hr-${width}`);
      await page.getByRole('button', { name: 'Create token' }).click();

      const token = (await page.getByTestId('new-token').textContent()) ?? '';
      assert.match(token, /^cvn_/);
      const example = page.getByTestId('token-example');
      await example.getByText(`the sources hr-tool, hr-${width} only`, { exact: false }).waitFor();
      const curl = (await page.getByTestId('token-curl').textContent()) ?? '';
      assert.ok(curl.includes(`curl -X PUT ${env.live.url}/api/v1/meetings/by-source/hr-tool/onboarding-17`), curl);
      assert.ok(curl.includes(`-H "Authorization: Bearer ${token}"`), curl);
      const docs = example.getByRole('link', { name: /meetings API reference/ });
      assert.equal(await docs.getAttribute('href'), '/api/openapi.json');
      await page.screenshot({ path: shot(`token-sources-made-${width}`), fullPage: true });
      await assertFits(page, 'the new token with its example');

      // The example's call works as shown (its body and header), and another source is refused.
      const body = /-d '(.+)'$/m.exec(curl)?.[1] ?? '';
      const put = await fetch(`${env.live.url}/api/v1/meetings/by-source/hr-tool/onboarding-17`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body,
      });
      assert.equal(put.status, 200, await put.text());
      const other = await fetch(`${env.live.url}/api/v1/meetings/by-source/mobile/onboarding-17`, {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(other.status, 403);

      const row = page.getByRole('row', { name: new RegExp(`HR tool ${width}`) });
      await row.getByText(`hr-tool, hr-${width}`).waitFor();
      await page.reload();
      await page.getByRole('row', { name: new RegExp(`HR tool ${width}`) }).waitFor();
      assert.equal(await page.getByTestId('token-example').count(), 0, 'shown once, with the token');
      await page.screenshot({ path: shot(`token-sources-list-${width}`), fullPage: true });
      await assertFits(page, 'the token list with sources');
    } finally {
      await context.close();
    }
  });
}
