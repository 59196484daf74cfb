import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { importDirectory } from '../../src/features/directory/importDirectory.js';
import { findPersonByUsername } from '../../src/features/people/queries.js';
import { shot } from '../helpers/browser.js';
import { browserAppForFile } from '../helpers/browserFile.js';
import { insertPerson } from '../helpers/people.js';
import { signInAsAdmin } from './signIn.js';

const env = browserAppForFile();

env.before(async () => {
  const db = env.live.ctx.database.db;
  await insertPerson(db, { username: 'nadia', name: 'Nadia Member', email: 'nadia@example.org' });
  await insertPerson(db, { username: 'omar', name: 'Omar Boss', email: 'omar@example.org' });
  await importDirectory({
    db,
    records: [
      {
        id: 'd-7',
        auth_username: 'dora',
        first_name: 'Dora',
        last_name: 'Directory',
        title: 'Analyst',
        avatar: '',
        enabled: 1,
        is_manager: 0,
        team: 'Data',
        email: 'dora@example.org',
      },
    ],
  });
});

async function signInAsAdminToPeople(page: Page): Promise<void> {
  await signInAsAdmin(page, env.live.url);
  await page.goto(`${env.live.url}/admin`);
  await page.getByText('omar@example.org').first().waitFor();
}

test('an admin edits a person, sees what the directory owns, and confirms a promotion', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
  await signInAsAdminToPeople(page);
  const db = env.live.ctx.database.db;

  await page.getByRole('button', { name: 'Edit Nadia Member' }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit Nadia Member' });
  await dialog.waitFor();
  assert.equal(await dialog.getByText('From the directory').count(), 0, 'nothing is marked for someone not in it');
  await dialog.getByLabel('Title').fill('Support lead');
  await dialog.getByLabel('Team').fill('Customer care');
  await dialog.getByLabel('Manager').fill('omar');
  await dialog.getByLabel('Email').fill('omar@example.org');
  await dialog.getByRole('button', { name: 'Save changes' }).click();
  await dialog.getByText(/already used by another person/).waitFor();
  assert.equal((await findPersonByUsername(db, 'nadia'))?.title, null, 'a refused edit writes nothing');

  await dialog.getByLabel('Email').fill('nadia.m@example.org');
  await dialog.getByRole('button', { name: 'Save changes' }).click();
  await page.getByText('Saved the changes to Nadia Member.').waitFor();
  await page.getByText('nadia.m@example.org').waitFor();
  const nadia = await findPersonByUsername(db, 'nadia');
  const omar = await findPersonByUsername(db, 'omar');
  assert.equal(nadia?.title, 'Support lead');
  assert.equal(nadia?.team, 'Customer care');
  assert.equal(nadia?.manager_id, omar?.id);
  assert.equal(nadia?.email, 'nadia.m@example.org');
  await page.screenshot({ path: shot('admin-people-table-1280') });
  const hidden = await page.evaluate(() => {
    const wrap = document.querySelector('.table-wrap');
    return wrap ? wrap.scrollWidth - wrap.clientWidth : 0;
  });
  assert.ok(hidden <= 0, `the people table hides ${hidden}px of its actions`);

  // A directory person: its fields are marked, with the rule spelled out.
  await page.getByRole('button', { name: 'Edit Dora Directory' }).click();
  const doraDialog = page.getByRole('dialog', { name: 'Edit Dora Directory' });
  await doraDialog.getByText(/replaced by the next directory import/).waitFor();
  assert.ok((await doraDialog.getByText('From the directory').count()) >= 8);
  await page.screenshot({ path: shot('admin-people-edit-1280') });
  await doraDialog.getByRole('button', { name: 'Cancel' }).click();
  await doraDialog.waitFor({ state: 'hidden' });

  // Promote asks first; saying no changes nothing.
  await page.getByRole('button', { name: 'Promote Nadia Member' }).click();
  const confirm = page.getByRole('dialog', { name: 'Make Nadia Member an admin?' });
  await confirm.waitFor();
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  assert.equal((await findPersonByUsername(db, 'nadia'))?.role, 'member');
  await page.getByRole('button', { name: 'Promote Nadia Member' }).click();
  await confirm.getByRole('button', { name: 'Make admin' }).click();
  await page.getByText('Nadia Member is now an admin.').waitFor();
  assert.equal((await findPersonByUsername(db, 'nadia'))?.role, 'admin');
  await page.close();
});

test('the edit form fits a phone (390 px) without sideways scrolling', async () => {
  const page = await env.browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await signInAsAdminToPeople(page);
  await page.getByRole('button', { name: 'Edit Dora Directory' }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit Dora Directory' });
  await dialog.getByLabel('Title').waitFor();
  await page.screenshot({ path: shot('admin-people-edit-390') });
  const overflow = await page.evaluate(() => {
    const box = document.querySelector('dialog[open]')?.getBoundingClientRect();
    return {
      page: document.documentElement.scrollWidth - window.innerWidth,
      dialogRight: box ? box.right - window.innerWidth : 0,
      dialogInner: (() => {
        const d = document.querySelector('dialog[open]');
        return d ? d.scrollWidth - d.clientWidth : 0;
      })(),
    };
  });
  assert.ok(overflow.page <= 0, `page is ${overflow.page}px wider than the screen`);
  assert.ok(overflow.dialogRight <= 0, `the dialog sticks out by ${overflow.dialogRight}px`);
  assert.ok(overflow.dialogInner <= 0, `the form is ${overflow.dialogInner}px wider than its dialog`);
  const titleBox = await dialog.getByLabel('Title').boundingBox();
  assert.ok(titleBox && titleBox.width > 250, `fields use the width (${titleBox?.width}px)`);
  await page.close();
});
