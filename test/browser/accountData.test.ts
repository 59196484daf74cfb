import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { hashPassword } from '../../src/features/auth/password.js';
import { findPersonById } from '../../src/features/people/queries.js';
import { auditActionsOf } from '../helpers/audit.js';
import { shot } from '../helpers/browser.js';
import { browserAppForFile } from '../helpers/browserFile.js';
import { insertPerson } from '../helpers/people.js';
import { ADMIN_PASSWORD } from '../helpers/server.js';
import { signIn } from './signIn.js';

const env = browserAppForFile();

const PASSWORD = 'violet tractor 93 lemon';

/** A person whose timezone nobody chose (the server's default, UTC), with a password. */
async function personWithPassword(username: string, name: string): Promise<string> {
  const db = env.live.ctx.database.db;
  const id = await insertPerson(db, { username, name });
  await db
    .updateTable('people')
    .set({ password_hash: await hashPassword(PASSWORD) })
    .where('id', '=', id)
    .execute();
  return id;
}

/** A browser in Paris: its timezone differs from the server's default. */
async function parisPage(width: number): Promise<Page> {
  const context = await env.browser.newContext({
    viewport: { width, height: 900 },
    timezoneId: 'Europe/Paris',
    acceptDownloads: true,
  });
  return context.newPage();
}

async function downloadJson(page: Page, click: () => Promise<void>): Promise<any> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  assert.match(download.suggestedFilename(), /^convene-data-.+\.json$/);
  // Read as a stream: the run's shared Chromium is a remote browser, whose downloads have no local path.
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

test('a member takes the timezone prompt, uploads a photo, exports their data and deletes their account', async () => {
  const id = await personWithPassword('mira', 'Mira Member');
  const page = await parisPage(1280);
  await signIn(page, env.live.url, 'mira', PASSWORD);

  const prompt = page.getByRole('region', { name: 'Time zone check' });
  await prompt.getByText('Your timezone looks like Europe/Paris — use it?').waitFor();
  await page.screenshot({ path: shot('account-timezone-prompt-1280') });
  await prompt.getByRole('button', { name: 'Use Europe/Paris' }).click();
  await prompt.waitFor({ state: 'hidden' });
  assert.equal((await findPersonById(env.live.ctx.database.db, id))?.timezone, 'Europe/Paris');
  await page.reload();
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  assert.equal(await prompt.count(), 0, 'answered once, the prompt does not come back');

  await page.goto(`${env.live.url}/profile`);
  const photoCard = page.getByRole('region', { name: 'Photo' });
  await photoCard.getByText('Upload photo').waitFor();
  const png = await sharp({ create: { width: 800, height: 500, channels: 3, background: '#2f7d6d' } })
    .composite([
      {
        input: await sharp({ create: { width: 300, height: 300, channels: 3, background: '#f2c14e' } })
          .png()
          .toBuffer(),
        left: 250,
        top: 100,
      },
    ])
    .png()
    .toBuffer();
  const fileInput = photoCard.locator('input[type=file]');
  await fileInput.setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('just text') });
  await photoCard.getByText(/is not an image that can be read/).waitFor();
  await fileInput.setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: png });
  await photoCard.getByText('Photo saved').waitFor();
  const avatar = photoCard.locator('img.avatar');
  await avatar.waitFor();
  assert.match((await avatar.getAttribute('src')) ?? '', /\/api\/v1\/people\/.+\/photo\?v=/);
  await page.waitForFunction(
    () => (document.querySelector('.photo-row img') as HTMLImageElement | null)?.naturalWidth === 256,
  );
  await page.screenshot({ path: shot('account-profile-1280'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: shot('account-profile-390'), fullPage: true });

  const data = await downloadJson(page, () => page.getByRole('link', { name: 'Download my data' }).click());
  assert.equal(data.person.name, 'Mira Member');
  assert.equal(data.person.timezone, 'Europe/Paris');
  assert.ok(data.person.uploadedPhoto, 'the export says a photo is kept');

  const deleteButton = page.getByRole('button', { name: 'Delete my account' });
  assert.equal(await deleteButton.isDisabled(), true, 'nothing to delete before the username is typed');
  await page.getByLabel('Type mira to confirm').fill('mira');
  await page.screenshot({ path: shot('account-delete-390'), fullPage: true });
  await deleteButton.click();
  await page.waitForURL(`${env.live.url}/signin?deleted=1`);
  await page.getByText('Your account has been deleted.').waitFor();
  await page.screenshot({ path: shot('account-deleted-390') });
  const row = await findPersonById(env.live.ctx.database.db, id);
  assert.equal(row?.name, 'Deleted person');
  assert.equal(row?.avatar_url, null);
  await page.getByLabel('Email').fill('mira');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page
    .getByText(/not right|incorrect|didn’t match|wrong/i)
    .first()
    .waitFor();
});

test('the first admin keeps UTC through the prompt; an admin exports and deletes a person’s data', async () => {
  const id = await personWithPassword('pavel', 'Pavel Person');
  const page = await parisPage(1280);
  await signIn(page, env.live.url, 'admin', ADMIN_PASSWORD);
  const prompt = page.getByRole('region', { name: 'Time zone check' });
  await prompt.getByRole('button', { name: 'Keep UTC' }).click();
  await prompt.waitFor({ state: 'hidden' });
  await page.goto(`${env.live.url}/admin`);
  await page.getByRole('button', { name: 'Edit Pavel Person' }).waitFor();
  assert.equal(await prompt.count(), 0, '“Keep” is an answer too');
  const hidden = await page.evaluate(() => {
    const wrap = document.querySelector('.table-wrap');
    return wrap ? wrap.scrollWidth - wrap.clientWidth : 0;
  });
  await page.locator('.table-wrap').scrollIntoViewIfNeeded();
  await page.screenshot({ path: shot('account-admin-people-1280') });
  assert.ok(hidden <= 0, `the people table hides ${hidden}px of its actions`);

  await page.getByRole('button', { name: 'Data of Pavel Person: export or delete' }).click();
  const dialog = page.getByRole('dialog', { name: 'Pavel Person’s data' });
  await dialog.waitFor();
  const data = await downloadJson(page, () =>
    dialog.getByRole('link', { name: 'Download Pavel Person’s data' }).click(),
  );
  assert.equal(data.person.username, 'pavel');
  await dialog.getByLabel('Type pavel to confirm').fill('pavel');
  await page.screenshot({ path: shot('account-admin-delete-1280') });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: shot('account-admin-delete-390') });
  await dialog.getByRole('button', { name: 'Delete account' }).click();
  await page.getByText('Pavel Person’s account has been deleted; their history is kept anonymously.').waitFor();
  await dialog.waitFor({ state: 'hidden' });
  await page.screenshot({ path: shot('account-admin-deleted-390'), fullPage: true });
  const row = await findPersonById(env.live.ctx.database.db, id);
  assert.equal(row?.name, 'Deleted person');
  assert.deepEqual(await auditActionsOf(env.live.ctx.database.db, id), ['person.export_data', 'person.delete_account']);
});
