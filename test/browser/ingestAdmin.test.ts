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
  // Harmless (a stale update) and alarming (it broke here): the two must not look alike.
  const stale = await claimOne(db, 'delivery-stale-4');
  if (stale.claimed)
    await finishDelivery(db, stale.id, { outcome: 'ignored', statusCode: 200, summary: 'update: older than ours.' });
  const broken = await claimOne(db, 'delivery-broken-5');
  if (broken.claimed)
    await finishDelivery(db, broken.id, { outcome: 'failed', statusCode: 500, error: 'database is locked' });
});

/** The colour a CSS variable of the page resolves to, as computed styles give colours. */
const cssColour = (page: import('playwright-core').Page, variable: string) =>
  page.evaluate((v) => {
    const probe = document.createElement('span');
    probe.style.color = `var(${v})`;
    document.body.append(probe);
    const colour = getComputedStyle(probe).color;
    probe.remove();
    return colour;
  }, variable);

/** Right edges of a table's header row and of its first body row (null when the header is not shown). */
const rowEdges = (page: import('playwright-core').Page, table: string) =>
  page.locator(table).evaluate((t) => {
    const head = t.querySelector('thead tr');
    const row = t.querySelector('tbody tr');
    const thead = t.querySelector('thead') as Element;
    // Stacked as cards on a narrow screen: the header is only for screen readers (clipped to 1px).
    if (!head || !row || getComputedStyle(thead).display === 'none' || thead.getBoundingClientRect().height <= 1)
      return null;
    const cellsOf = (r: Element) => [...r.children].filter((c) => getComputedStyle(c).display !== 'none').length;
    return {
      head: Math.round(head.getBoundingClientRect().right),
      row: Math.round(row.getBoundingClientRect().right),
      headCells: cellsOf(head),
      rowCells: cellsOf(row),
    };
  });

for (const width of [1280, 390]) {
  test(`Inbound at ${width}px: failed is the alarming badge, ignored neutral; a row that made a meeting links to it; header and rows line up`, async () => {
    const context = await env.browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    try {
      await signInAsAdmin(page, env.live.url);
      await page.goto(`${env.live.url}/admin/inbound`);
      await page.getByText('delivery-broken-5').waitFor();
      const badge = (delivery: string) => page.getByRole('row').filter({ hasText: delivery }).locator('.badge').first();
      const colours = async (delivery: string) =>
        badge(delivery).evaluate((b) => ({ fg: getComputedStyle(b).color, bg: getComputedStyle(b).backgroundColor }));
      const failed = await colours('delivery-broken-5');
      const ignored = await colours('delivery-stale-4');
      const rejected = await colours('delivery-bad-2');
      const done = await colours('delivery-ok-1');
      assert.equal(await badge('delivery-broken-5').textContent(), 'Failed');
      assert.equal(await badge('delivery-stale-4').textContent(), 'Ignored');
      assert.equal(failed.fg, await cssColour(page, '--danger-text'), 'Failed is red');
      assert.equal(rejected.fg, await cssColour(page, '--warn'), 'Rejected is amber');
      assert.equal(ignored.fg, await cssColour(page, '--text-muted'), 'Ignored is neutral');
      assert.equal(done.fg, await cssColour(page, '--success'), 'Done is green');
      assert.notEqual(ignored.bg, failed.bg);

      // The delivery that made the evaluation leads to its page.
      const made = page.getByRole('row').filter({ hasText: 'browser-create-1' });
      assert.equal(
        await page
          .getByRole('row')
          .filter({ hasText: 'delivery-bad-2' })
          .getByRole('link', { name: 'Open the meeting' })
          .count(),
        0,
      );
      const edges = await rowEdges(page, 'table.inbound-table');
      if (width === 1280) {
        assert.ok(edges, 'the header is shown at 1280px');
      }
      if (edges) {
        assert.equal(edges.headCells, edges.rowCells, 'as many header cells as row cells');
        assert.equal(edges.head, edges.row, 'the header row ends where the rows end');
      }
      await page.screenshot({ path: shot(`ingest-inbound-badges-${width}`), fullPage: true });
      await assertFits(page, 'the Inbound page with every outcome');
      await made.getByRole('link', { name: 'Open the meeting' }).click();
      await page.waitForURL(new RegExp(`/meetings/${evaluationId}$`));
      await page.getByRole('heading', { name: 'Evaluation: push_swap' }).waitFor();

      // The same for the other admin tables whose rows have no actions cell of their own.
      for (const [path, table] of [
        ['/admin/api-tokens', 'table'],
        ['/admin/audit', 'table'],
      ] as const) {
        if (path === '/admin/api-tokens') {
          await page.goto(`${env.live.url}${path}`);
          await page.getByLabel('Name').fill(`Aligned ${width}`);
          await page.getByRole('button', { name: 'Create token' }).click();
          await page.getByTestId('new-token').waitFor();
          await page.reload();
        } else {
          await page.goto(`${env.live.url}${path}`);
        }
        await page.locator(`${table} tbody tr`).first().waitFor();
        const lined = await rowEdges(page, table);
        if (lined) {
          assert.equal(lined.headCells, lined.rowCells, `${path}: as many header cells as row cells`);
          assert.equal(lined.head, lined.row, `${path}: the header row ends where the rows end`);
        }
      }
    } finally {
      await context.close();
    }
  });
}

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

for (const width of [1280, 390]) {
  test(`API tokens at ${width}px: Create token sits on the input's line (under it on a phone); a name in use is refused at the field`, async () => {
    const context = await env.browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    try {
      await signInAsAdmin(page, env.live.url);
      await page.goto(`${env.live.url}/admin/api-tokens`);
      const input = page.getByLabel('Name');
      const button = page.getByRole('button', { name: 'Create token' });
      await input.waitFor();
      const layout = async () => {
        const i = await input.boundingBox();
        const b = await button.boundingBox();
        assert.ok(i && b);
        return { i, b };
      };
      const { i, b } = await layout();
      if (width === 1280) {
        assert.ok(b.x >= i.x + i.width, 'the button is beside the input');
        assert.ok(
          Math.abs(b.y + b.height / 2 - (i.y + i.height / 2)) <= 1,
          `the button is centred on the input's line (button ${b.y}+${b.height}, input ${i.y}+${i.height})`,
        );
      } else {
        assert.ok(b.y >= i.y + i.height, 'the button is under the input');
        assert.ok(b.x + b.width <= width, 'within the screen');
      }
      const name = `Payroll ${width}`;
      await input.fill(name);
      await button.click();
      await page.getByTestId('new-token').waitFor();
      await input.fill(name.toUpperCase());
      await button.click();
      const error = page.locator('.field-error').filter({ hasText: `An active token is already called “${name}”` });
      await error.waitFor();
      if (width === 1280) {
        const after = await layout();
        assert.ok(
          Math.abs(after.b.y + after.b.height / 2 - (after.i.y + after.i.height / 2)) <= 1,
          'still on the input line with the error under it',
        );
      }
      await page.screenshot({ path: shot(`ingest-tokens-form-${width}`), fullPage: true });
      await assertFits(page, 'the API tokens form with a refused name');
      // The revoke dialog names the token by its name and the time it was made.
      await page.reload();
      const row = page.getByRole('row', { name: new RegExp(name) });
      await row.getByRole('button', { name: 'Revoke' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText(new RegExp(`Calls with “${name}” \\(made .+\\) are refused from now on`)).waitFor();
      await page.screenshot({ path: shot(`ingest-tokens-revoke-${width}`) });
      await dialog.getByRole('button', { name: 'Cancel' }).click();
    } finally {
      await context.close();
    }
  });
}
