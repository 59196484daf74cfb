import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shot } from '../helpers/browser.js';
import { assertFits, browserAppForFile } from '../helpers/browserFile.js';
import { insertUnconference, workingSchedule } from '../helpers/unconferenceSchedule.js';
import { signInAsAdmin } from './signIn.js';

const env = browserAppForFile();

for (const width of [1280, 390]) {
  test(`the schedule console at ${width}px: run, lock, move with a preview, publish`, async () => {
    const db = env.live.ctx.database.db;
    const fixture = await insertUnconference(db, { proposals: 9, people: 16, rooms: 2, capacity: 6, tag: `b${width}` });
    const context = await env.browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    try {
      await signInAsAdmin(page, env.live.url);
      await page.goto(`${env.live.url}/admin/unconference/${fixture.eventId}/schedule`);
      await page.getByRole('heading', { name: /Schedule · Summit/ }).waitFor();
      assert.ok(await page.getByText('Nothing is published yet.').isVisible());

      // A run with a visible progress bar, then its result in the grid.
      await page.getByLabel('Time budget (seconds)').fill('3');
      await page.getByRole('button', { name: 'Run scheduler' }).click();
      await page.getByRole('progressbar', { name: 'Scheduler progress' }).waitFor();
      await page.screenshot({ path: shot(`unconf-schedule-running-${width}`), fullPage: true });
      await page.getByText(/^done/).waitFor({ timeout: 20_000 });
      await page.getByText('Session 1', { exact: true }).first().waitFor();
      const placed = await workingSchedule(db, fixture.eventId);
      assert.equal(placed.size, 8, '8 places for 9 sessions');
      assert.ok(await page.getByRole('heading', { name: 'Needs attention' }).isVisible(), 'one session is unplaced');
      assert.ok(await page.getByRole('heading', { name: 'Least served' }).isVisible());
      assert.ok(
        await page.getByText('Upper bound', { exact: true }).isVisible(),
        "right after a run the console shows the engine's upper bound",
      );
      assert.equal(await page.getByText('Trivial bound', { exact: true }).count(), 0);

      // Lock the first slot.
      await page.getByRole('button', { name: 'Lock' }).first().click();
      await page.getByRole('button', { name: 'Unlock' }).first().waitFor();
      const locked = await db
        .selectFrom('unconf_slots')
        .select('locked')
        .where('id', '=', fixture.slotIds[0]!)
        .executeTakeFirstOrThrow();
      assert.equal(locked.locked, 1);

      // Place the unplaced session by hand: preview shows the score change, then save.
      await page.getByRole('button', { name: 'Place' }).first().click();
      const panel = page.getByRole('region', { name: 'Move a session' });
      await panel.getByLabel('Room').selectOption({ index: 1 });
      await panel.getByRole('button', { name: 'Preview' }).click();
      await panel.getByText(/^Score \d+ → \d+/).waitFor();
      await page.screenshot({ path: shot(`unconf-schedule-preview-${width}`), fullPage: true });
      await panel.screenshot({ path: shot(`unconf-schedule-move-panel-${width}`) });
      const previewText = (await panel.getByText(/^Score \d+ → \d+/).textContent()) ?? '';
      const after = Number(/→ (\d+)/.exec(previewText)?.[1]);
      await panel.getByRole('button', { name: 'Save move' }).click();
      await panel.waitFor({ state: 'detached' });
      await page.getByText(String(after), { exact: true }).first().waitFor();

      // Drag a session onto another cell: the preview opens with the score change, then save.
      // Slot 0 is locked since the run: the engine's bound no longer holds, the trivial one is named so.
      assert.ok(await page.getByText('Trivial bound', { exact: true }).isVisible());
      const before = await workingSchedule(db, fixture.eventId);
      const openSlots = fixture.slotIds.slice(1); // slot 0 is locked above
      const [mover, target] = [...before.entries()].filter(([, place]) => openSlots.includes(place.split('/')[0]!));
      const card = page.locator(`[data-session="${mover![0]}"]`);
      const cell = page.locator(`[data-cell="${target![1]}"]`);
      await card.scrollIntoViewIfNeeded();
      await card.dragTo(cell);
      const dropPanel = page.getByRole('region', { name: 'Move a session' });
      await dropPanel.getByText(/^Score \d+ → \d+/).waitFor();
      const dropped = (await dropPanel.getByText(/^Score \d+ → \d+/).textContent()) ?? '';
      assert.match(dropped, /\([+-]?\d+\)/, 'the score change is shown');
      assert.ok(await dropPanel.getByText(/^Gap to trivial bound \d/).isVisible(), 'the gap, before and after');
      assert.deepEqual(await workingSchedule(db, fixture.eventId), before, 'nothing saved before confirming');
      await page.screenshot({ path: shot(`unconf-schedule-drop-preview-${width}`), fullPage: false });
      await dropPanel.getByRole('button', { name: 'Save move' }).click();
      await dropPanel.waitFor({ state: 'detached' });
      await cell.locator(`[data-session="${mover![0]}"]`).waitFor();
      const moved = await workingSchedule(db, fixture.eventId);
      assert.equal(moved.get(mover![0]), target![1], 'the dragged session is where it was dropped');
      assert.equal(moved.get(target![0]), mover![1], 'the session there swapped into its old place');
      await cell.scrollIntoViewIfNeeded();
      await page.screenshot({ path: shot(`unconf-schedule-dropped-${width}`) });

      // Dragging and cancelling changes nothing.
      const back = page.locator(`[data-session="${mover![0]}"]`);
      await back.dragTo(page.locator(`[data-cell="${mover![1]}"]`));
      await dropPanel.getByText(/^Score \d+ → \d+/).waitFor();
      await dropPanel.getByRole('button', { name: 'Cancel' }).click();
      await dropPanel.waitFor({ state: 'detached' });
      assert.deepEqual(await workingSchedule(db, fixture.eventId), moved);

      // Publish the first version: nobody is told by default.
      await page.getByLabel('Note (shown in the changelog)').fill('First cut');
      await page.getByRole('button', { name: 'Publish version 1' }).click();
      await page.getByText(/Published version 1: 8 sessions, 0 moved, nobody told/).waitFor();
      await page.getByText('Version 1', { exact: true }).waitFor();
      await page.screenshot({ path: shot(`unconf-schedule-${width}`), fullPage: true });
      await page.getByRole('heading', { name: 'Slots and rooms' }).scrollIntoViewIfNeeded();
      await page.screenshot({ path: shot(`unconf-schedule-grid-${width}`) });
      await assertFits(page, 'the schedule console');
      const meetings = await db
        .selectFrom('meetings')
        .select('id')
        .where('origin', '=', `event:${fixture.eventId}`)
        .execute();
      assert.equal(meetings.length, 8);
    } finally {
      await context.close();
    }
  });
}
