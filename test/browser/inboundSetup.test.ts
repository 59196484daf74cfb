import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { shot } from '../helpers/browser.js';
import { assertFits, type BrowserFile, browserAppForFile } from '../helpers/browserFile.js';
import { signInAsAdmin } from './signIn.js';

// A fresh install (nothing about 42 configured), and one with two of the three secrets, the API and a queue.
const fresh = browserAppForFile();
const configured = browserAppForFile({
  // http: an https publicUrl would make the session cookie Secure, and this test server is plain HTTP.
  publicUrl: 'http://convene.example.org',
  'intra42.webhooks': 'scale_team.create:browser-setup-create,scale_team.update:browser-setup-update',
  'intra42.appId': 'browser-app-id',
  'intra42.appSecret': 'browser-app-secret',
  'intra42.amqp.url': 'amqp://guest:browser-rabbit-password@127.0.0.1:5672',
});

// One refused delivery: the refusals' summary says "1 kind, 1 request", not "1 kinds, 1 requests".
configured.before(async () => {
  const refused = await fetch(`${configured.live.url}/webhooks/42`, {
    method: 'POST',
    headers: { 'x-model': 'scale_team', 'x-event': 'destroy', 'x-secret': 'anything', 'x-delivery': 'setup-1' },
    body: '{}',
  });
  assert.equal(refused.status, 401);
  await configured.live.ctx.inboundRefusals.flush();
});

async function inbound(env: BrowserFile, width: number, run: (page: Page) => Promise<void>) {
  const context = await env.browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  try {
    await signInAsAdmin(page, env.live.url);
    await page.goto(`${env.live.url}/admin/inbound`);
    await run(page);
  } finally {
    await context.close();
  }
}

const top = (page: Page, selector: string) =>
  page.locator(selector).evaluate((el) => el.getBoundingClientRect().top + window.scrollY);

for (const width of [1280, 390]) {
  test(`a fresh install's Inbound page at ${width}px says 42 webhooks are not set up, and what to set`, async () => {
    await inbound(fresh, width, async (page) => {
      const setup = page.getByRole('region', { name: '42 intranet webhooks' });
      await setup.getByText('Not set up: every 42 webhook is refused (HTTP 401)').waitFor();
      assert.ok(await setup.getByText('intra42.webhooks', { exact: true }).isVisible());
      assert.ok(await setup.getByText('CONVENE_INTRA42_WEBHOOKS', { exact: true }).isVisible());
      assert.ok(await setup.getByText(/^scale_team\.create:<secret>,scale_team\.update:<secret>/).isVisible());
      assert.match(
        (await setup.getByTestId('intra42-webhook-url').textContent()) ?? '',
        /^http:\/\/localhost:\d+\/webhooks\/42$/,
      );
      assert.ok(await setup.getByText(/is not set, so this is the server's local address/).isVisible());
      for (const event of ['scale_team.create', 'scale_team.update', 'scale_team.destroy']) {
        const row = setup.getByRole('listitem').filter({ hasText: event });
        assert.equal(await row.locator('.badge').textContent(), 'No secret: refused');
      }
      assert.ok(await setup.getByText(/^Not configured: each webhook must list its team's members/).isVisible());
      assert.ok(await setup.getByText(/^Not configured \(optional: the same events from a queue/).isVisible());
      // It comes before the (empty) deliveries, whose note says why nothing has arrived.
      assert.ok((await top(page, '[data-testid="intra42-setup"]')) < (await top(page, '#inbound-title')));
      assert.ok(
        await page.getByText(/Nothing has arrived yet, and nothing from the 42 intranet can until/).isVisible(),
      );
      await page.screenshot({ path: shot(`inbound-setup-fresh-${width}`), fullPage: true });
      await assertFits(page, 'the Inbound page of a fresh install');
    });
  });

  test(`with secrets, the Inbound page at ${width}px shows the address, the events with a secret, the API and the queue`, async () => {
    await inbound(configured, width, async (page) => {
      const setup = page.getByRole('region', { name: '42 intranet webhooks' });
      await setup.waitFor();
      assert.equal(
        await setup.getByTestId('intra42-webhook-url').textContent(),
        'http://convene.example.org/webhooks/42',
      );
      assert.equal(await setup.getByText(/Not set up/).count(), 0);
      assert.equal(await setup.getByText(/local address/).count(), 0);
      const badge = (event: string) => setup.getByRole('listitem').filter({ hasText: event }).locator('.badge');
      assert.equal(await badge('scale_team.create').textContent(), 'Secret set');
      assert.equal(await badge('scale_team.update').textContent(), 'Secret set');
      assert.equal(await badge('scale_team.destroy').textContent(), 'No secret: refused');
      assert.ok(await setup.getByText(/^Deliveries of scale_team\.destroy are refused \(HTTP 401\)/).isVisible());
      assert.ok(await setup.getByText(/^Configured: team members a webhook does not list/).isVisible());
      assert.ok(await setup.getByText('intra42.scale_team', { exact: true }).isVisible());
      const refusals = page.getByRole('region', { name: 'Refused before they were read' });
      assert.equal(await refusals.locator('summary').textContent(), '1 kind, 1 request');
      assert.ok(await refusals.getByText(/No secret is configured for this model\.event/).isVisible());
      // Set up, it no longer pushes the deliveries down, and no secret is on the page.
      assert.ok((await top(page, '[data-testid="intra42-setup"]')) > (await top(page, '#inbound-title')));
      const text = (await page.locator('main').textContent()) ?? '';
      for (const secret of ['browser-setup-create', 'browser-setup-update', 'browser-app-secret', 'browser-rabbit'])
        assert.ok(!text.includes(secret), `${secret} is not shown`);
      await page.screenshot({ path: shot(`inbound-setup-configured-${width}`), fullPage: true });
      await assertFits(page, 'the Inbound page with 42 set up');
    });
  });
}
