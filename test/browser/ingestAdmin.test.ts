import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ClaimOptions, claimDeliveries, finishDelivery } from '../../src/features/ingest/deliveries.js';
import { refusalLog } from '../../src/features/ingest/refusals.js';
import { shot } from '../helpers/browser.js';
import { assertFits, browserAppForFile } from '../helpers/browserFile.js';
import type { LiveApp } from '../helpers/liveServer.js';
import { signInAsAdmin } from './signIn.js';

const env = browserAppForFile({ 'intra42.webhooks': 'scale_team.create:browser-create-secret' });

const claimOne = async (db: LiveApp['ctx']['database']['db'], id: string, options?: ClaimOptions) =>
  (await claimDeliveries(db, 'intra42', [id], options)).get(id) ?? { claimed: false as const };

let evaluationId = '';
let pastId = '';

/** A scale_team create over real HTTP, as the intranet sends it. */
const sendCreate = (delivery: string, body: unknown) =>
  fetch(`${env.live.url}/webhooks/42`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-model': 'scale_team',
      'x-event': 'create',
      'x-secret': 'browser-create-secret',
      'x-delivery': delivery,
    },
    body: JSON.stringify(body),
  });

env.before(async () => {
  const db = env.live.ctx.database.db;
  // Refused before they were read: a wrong secret over real HTTP, and a queue message with no delivery id.
  for (let i = 0; i < 3; i++) {
    const refused = await fetch(`${env.live.url}/webhooks/42`, {
      method: 'POST',
      headers: { 'x-model': 'scale_team', 'x-event': 'create', 'x-secret': 'not-the-secret', 'x-delivery': `w-${i}` },
      body: '{}',
    });
    assert.equal(refused.status, 401);
  }
  await env.live.ctx.inboundRefusals.flush();
  const created = await sendCreate('browser-create-1', {
    id: 4343,
    begin_at: new Date(Date.now() + 86_400_000).toISOString(),
    user: { login: 'evalbrowser' },
    team: { id: 43430, name: 'push_swap', users: [{ login: 'studbrowser' }] },
  });
  assert.equal(created.status, 200);
  evaluationId = ((await created.json()) as { meetingId: string }).meetingId;
  // The same scale team again, refused (no evaluator): found with it by the scale team's id.
  const automatic = await sendCreate('browser-automatic-2', {
    id: 4343,
    begin_at: new Date(Date.now() + 86_400_000).toISOString(),
    user: null,
  });
  assert.equal(automatic.status, 422);
  const past = await sendCreate('browser-past-3', {
    id: 4344,
    begin_at: new Date(Date.now() - 86_400_000).toISOString(),
    user: { login: 'evalbrowser' },
    team: { id: 43440, name: 'libft', users: [{ login: 'studbrowser' }] },
  });
  pastId = ((await past.json()) as { meetingId: string }).meetingId;
  const queue = refusalLog({ db });
  queue.note({
    source: 'intra42',
    channel: 'queue',
    reason: 'delivery_id',
    status: 400,
    detail: 'No X-Delivery sent.',
  });
  await queue.flush();
  const ok = await claimOne(db, 'delivery-ok-1');
  if (ok.claimed)
    await finishDelivery(db, ok.id, { outcome: 'ok', statusCode: 200, summary: 'create: Created: scale team 4242.' });
  const bad = await claimOne(db, 'delivery-bad-2');
  if (bad.claimed) {
    await finishDelivery(db, bad.id, {
      outcome: 'rejected',
      statusCode: 422,
      error: 'user.login: missing: this evaluation is automatic, no meeting is needed.',
    });
  }
  const queued = await claimOne(db, 'queue-bad-3', { channel: 'queue' });
  if (queued.claimed) {
    await finishDelivery(db, queued.id, {
      outcome: 'rejected',
      statusCode: 400,
      error: 'begin_at: must be a time such as 2020-07-15T21:00:00.000Z or 2020-05-14 22:30:00 UTC',
      deadLetteredAt: new Date().toISOString(),
    });
  }
});

for (const width of [1280, 390]) {
  test(`admin Inbound and API tokens pages at ${width}px`, async () => {
    const context = await env.browser.newContext({ viewport: { width, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.live.url });
    const page = await context.newPage();
    try {
      await signInAsAdmin(page, env.live.url);
      await page.goto(`${env.live.url}/admin/inbound`);
      await page.getByText('delivery-bad-2').waitFor();
      assert.ok(
        await page
          .getByText(/evaluation is automatic/)
          .first()
          .isVisible(),
      );
      // Refused before they were read: counted above the deliveries, with what to do.
      const refusals = page.getByRole('region', { name: 'Refused before they were read' });
      const secret = refusals.getByRole('listitem').filter({ hasText: 'Wrong or missing X-Secret' });
      await secret.getByText('3 times').waitFor();
      assert.ok(await secret.getByText(/intra42 · webhook · HTTP 401 · last .* from 127\.0\.0\.1/).isVisible());
      assert.ok(await secret.getByText(/check that intra42\.webhooks/i).isVisible());
      assert.ok(
        await secret
          .getByText('Last: X-Secret matches no configured secret; X-Model "scale_team", X-Event "create".')
          .isVisible(),
      );
      const queued = refusals.getByRole('listitem').filter({ hasText: 'Missing or bad X-Delivery' });
      assert.ok(await queued.getByText(/queue message · status 400/).isVisible());
      assert.ok(await queued.getByText(/X-Delivery header or a message id/).isVisible());
      // A message from the queue says so, and was put in the dead-letter queue.
      assert.ok(await page.getByText('queue message · dead-lettered').isVisible());
      await page.screenshot({ path: shot(`ingest-inbound-${width}`), fullPage: true });
      await assertFits(page, 'the Inbound page');
      await page.getByLabel('Outcome').selectOption('rejected');
      await page.getByText('delivery-ok-1').waitFor({ state: 'detached' });
      // The filtered list replaces the whole table: wait for it rather than reading it mid-render.
      await page.getByText('delivery-bad-2').waitFor();
      assert.equal(await page.getByText('delivery-bad-2').count(), 1);

      // Every delivery about one scale team, refused ones too, found by its id; kept on reload.
      await page.getByLabel('Outcome').selectOption('');
      await page.getByText('delivery-ok-1').waitFor();
      await page.getByLabel('Find').fill('4343');
      await page.getByLabel('Find').press('Enter');
      await page.getByText('delivery-ok-1').waitFor({ state: 'detached' });
      await page.getByText('browser-automatic-2').waitFor();
      assert.equal(await page.getByText('browser-create-1').count(), 1);
      assert.equal(await page.getByRole('link', { name: 'scale team 4343' }).count(), 2);
      await page.screenshot({ path: shot(`ingest-inbound-find-${width}`), fullPage: true });
      await assertFits(page, 'the Inbound page found by scale team');
      await page.reload();
      await page.getByText('browser-automatic-2').waitFor();
      assert.equal(await page.getByLabel('Find').inputValue(), '4343');
      await page.getByLabel('Find').fill('');
      await page.getByText('delivery-ok-1').waitFor();
      // A row's scale team leads to every delivery about it.
      await page.getByRole('link', { name: 'scale team 4343' }).first().click();
      await page.getByText('delivery-ok-1').waitFor({ state: 'detached' });
      assert.equal(await page.getByLabel('Find').inputValue(), '4343');
      await page.getByLabel('Find').fill('no-such-delivery');
      await page.getByLabel('Find').press('Enter');
      await page.getByText(/No delivery is about scale team “no-such-delivery”/).waitFor();

      // A 42 evaluation's page says where it came from, and that changes there replace edits here.
      await page.goto(`${env.live.url}/meetings/${evaluationId}`);
      await page.getByRole('heading', { name: 'Evaluation: push_swap' }).waitFor();
      const lede = (await page.locator('.page-lede').textContent()) ?? '';
      assert.match(lede, /^From 42 evaluations\. The system it came from keeps it up to date/);
      // An administrator sees the scale team, and reaches everything that arrived about it.
      assert.match(lede, /Scale team 4343 \(its deliveries\)\./);
      await page.getByRole('link', { name: 'its deliveries' }).click();
      await page.getByText('browser-automatic-2').waitFor();
      assert.equal(await page.getByLabel('Find').inputValue(), '4343');
      await page.goBack();
      await page.getByRole('heading', { name: 'Evaluation: push_swap' }).waitFor();
      assert.equal(await page.locator('.title-row .badge').innerText(), 'Scheduled');
      // One whose time has passed says so, rather than "Scheduled".
      await page.goto(`${env.live.url}/meetings/${pastId}`);
      await page.getByRole('heading', { name: 'Evaluation: libft' }).waitFor();
      assert.equal(await page.locator('.title-row .badge').innerText(), 'Past');
      await page.goto(`${env.live.url}/meetings/${evaluationId}`);
      await page.getByRole('heading', { name: 'Evaluation: push_swap' }).waitFor();
      assert.doesNotMatch(lede, /A match in/);
      await page.screenshot({ path: shot(`ingest-evaluation-${width}`), fullPage: true });
      await assertFits(page, 'a 42 evaluation');

      await page.goto(`${env.live.url}/admin/api-tokens`);
      await page.getByLabel('Name').fill(`HR tool ${width}`);
      await page.getByRole('button', { name: 'Create token' }).click();
      const token = (await page.getByTestId('new-token').textContent()) ?? '';
      assert.match(token, /^cvn_/);
      await page.getByRole('button', { name: 'Copy' }).click();
      await page.getByText('Copied.').waitFor();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), token);
      await page.screenshot({ path: shot(`ingest-tokens-${width}`), fullPage: true });
      await assertFits(page, 'the API tokens page');

      // The token works, and is shown nowhere once the page is left.
      const call = await fetch(`${env.live.url}/api/v1/meetings/by-source/hr/x`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(call.status, 200);
      await page.reload();
      assert.equal(await page.getByText(token).count(), 0);

      const row = page.getByRole('row', { name: new RegExp(`HR tool ${width}`) });
      await row.getByText('Active', { exact: true }).waitFor(); // a live token says so
      await row.getByRole('button', { name: 'Revoke' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
      await row.getByText(/Revoked/).waitFor();
      await assertFits(page, 'the token list with a revoked token');
      const refused = await fetch(`${env.live.url}/api/v1/meetings/by-source/hr/x`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(refused.status, 401);
    } finally {
      await context.close();
    }
  });
}
