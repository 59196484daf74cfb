import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { resetPassword } from '../../src/features/auth/service.js';
import { shot } from '../helpers/browser.js';
import { assertFits, browserAppForFile } from '../helpers/browserFile.js';
import { insertPerson } from '../helpers/people.js';
import { ADMIN_PASSWORD } from '../helpers/server.js';
import { signIn } from './signIn.js';

const env = browserAppForFile();

async function addSlot(page: Page, day: string, start: string, end: string, isBreak = false) {
  const card = page.getByRole('region', { name: `Day ${day}` });
  await card.getByLabel('Start').fill(start);
  await card.getByLabel('End').fill(end);
  if (isBreak) await card.getByLabel('Break').check();
  await card.getByRole('button', { name: 'Add slot' }).click();
  await card.getByText(`${start}–${end}`).waitFor();
}

test('an admin builds a two-day timetable on a phone, a member proposes, another rates with one click', async () => {
  const db = env.live.ctx.database.db;
  // The admin works at 390 px: the timetable editor must work on a phone.
  const admin = await env.browser.newPage({ viewport: { width: 390, height: 844 } });
  await signIn(admin, env.live.url, 'admin', ADMIN_PASSWORD);
  await admin.goto(`${env.live.url}/admin/unconference`);
  await admin.getByLabel('Name').fill('Design Summit');
  await admin.getByLabel('Description').fill('Sessions **you** propose.');
  await admin.getByLabel('Time zone').fill('Mars/Olympus');
  await admin.getByRole('button', { name: 'Create unconference' }).click();
  await admin.getByText('must be an IANA time zone').waitFor();
  await admin.getByLabel('Time zone').fill('Europe/Berlin');
  await admin.getByRole('button', { name: 'Create unconference' }).click();
  await admin.waitForURL(/\/admin\/unconference\/[\w-]+$/);
  const eventId = admin.url().split('/').at(-1) as string;

  for (const date of ['2026-05-04', '2026-05-05']) {
    await admin.getByLabel('New day').fill(date);
    await admin.getByRole('button', { name: 'Add day' }).click();
    await admin.getByRole('region', { name: `Day ${date}` }).waitFor();
  }
  await addSlot(admin, '2026-05-04', '09:00', '10:00');
  await addSlot(admin, '2026-05-04', '10:00', '10:30', true);
  await addSlot(admin, '2026-05-04', '10:30', '11:30');
  await addSlot(admin, '2026-05-05', '09:00', '10:00');
  // An overlapping slot is refused under the field that overlaps.
  const day2 = admin.getByRole('region', { name: 'Day 2026-05-05' });
  await day2.getByLabel('Start').fill('09:30');
  await day2.getByLabel('End').fill('10:30');
  await day2.getByRole('button', { name: 'Add slot' }).click();
  await day2.getByText(/overlaps the slot 09:00–10:00/).waitFor();
  await day2.getByLabel('Start').fill('10:00');
  await day2.getByLabel('End').fill('11:00');
  await day2.getByRole('button', { name: 'Add slot' }).click();
  await day2.getByText('10:00–11:00').waitFor();

  await admin.getByLabel('Room name').fill('Ballroom');
  await admin.getByLabel('Capacity').fill('80');
  await admin.getByRole('button', { name: 'Add room' }).click();
  await admin.getByText('80 people').waitFor();
  await admin.getByLabel('Room name').fill('Hallway');
  await admin.getByLabel('Capacity').fill('12');
  await admin.getByLabel(/Not a place/).check();
  await admin.getByRole('button', { name: 'Add room' }).click();
  await admin.getByText('12 people · not a place').waitFor();
  await assertFits(admin);
  await admin.screenshot({ path: shot('unconference-admin-390'), fullPage: true });

  const slots = await db.selectFrom('unconf_slots').selectAll().where('event_id', '=', eventId).execute();
  assert.equal(slots.length, 5);
  assert.equal(slots.filter((s) => s.is_break).length, 1);

  // The same page on a desktop.
  await admin.setViewportSize({ width: 1280, height: 900 });
  await admin.reload();
  await admin.getByText('12 people · not a place').waitFor();
  await admin.screenshot({ path: shot('unconference-admin-1280'), fullPage: true });

  // A member proposes a session.
  await insertPerson(db, { username: 'ada', name: 'Ada Lovelace' });
  await insertPerson(db, { username: 'grace', name: 'Grace Hopper' });
  const proposer = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
  await signIn(proposer, env.live.url, 'ada', await resetPassword({ db, username: 'ada' }));
  await proposer.goto(`${env.live.url}/unconference`);
  await proposer.getByRole('link', { name: 'Design Summit' }).click();
  await proposer.getByText('You have proposed 0 of at most 4.').waitFor();
  await proposer.getByRole('button', { name: 'New proposal' }).click();
  await proposer.getByLabel('Title').fill('Live patching the hypervisor');
  await proposer.getByLabel('Description').fill('What *breaks* and how to test it.');
  await proposer.getByLabel('Co-owners').fill('grace');
  await proposer.getByRole('button', { name: 'Propose session' }).click();
  await proposer.getByRole('heading', { name: 'Live patching the hypervisor' }).waitFor();
  await proposer.getByText('Your session: you count as very interested.').waitFor();
  await proposer.getByRole('button', { name: 'New proposal' }).click();
  await proposer.getByLabel('Title').fill('LIVE patching the   hypervisor');
  await proposer.getByRole('button', { name: 'Propose session' }).click();
  await proposer.getByText('Another proposal in this event already has this title.').waitFor();
  await proposer.getByLabel('Title').fill('Fuzzing device models');
  await proposer.getByRole('button', { name: 'Propose session' }).click();
  await proposer.getByRole('heading', { name: 'Fuzzing device models' }).waitFor();
  // A draft proposed and withdrawn again, after a confirmation.
  await proposer.getByRole('button', { name: 'New proposal' }).click();
  await proposer.getByLabel('Title').fill('Draft to withdraw');
  await proposer.getByRole('button', { name: 'Propose session' }).click();
  const draft = proposer.getByTestId('unconf-proposal').filter({ hasText: 'Draft to withdraw' });
  await draft.getByRole('button', { name: 'Withdraw' }).click();
  await proposer.getByRole('dialog').getByRole('button', { name: 'Withdraw' }).click();
  await proposer.getByRole('heading', { name: 'Draft to withdraw' }).waitFor({ state: 'detached' });
  await proposer.getByText('You have proposed 2 of at most 4.').waitFor();

  // Another member rates on a phone: one click per session.
  await insertPerson(db, { username: 'linus', name: 'Linus' });
  const rater = await env.browser.newPage({ viewport: { width: 390, height: 844 } });
  await signIn(rater, env.live.url, 'linus', await resetPassword({ db, username: 'linus' }));
  await rater.goto(`${env.live.url}/unconference/${eventId}`);
  const first = rater.getByTestId('unconf-proposal').filter({ hasText: 'Live patching the hypervisor' });
  await first.getByRole('button', { name: 'Very' }).click();
  await first.getByRole('button', { name: 'Very', pressed: true }).waitFor();
  const second = rater.getByTestId('unconf-proposal').filter({ hasText: 'Fuzzing device models' });
  await second.getByRole('button', { name: 'A little' }).click();
  await second.getByRole('button', { name: 'A little', pressed: true }).waitFor();
  await second.getByRole('button', { name: 'Yes' }).click();
  await second.getByRole('button', { name: 'Yes', pressed: true }).waitFor();
  await rater
    .getByText('You have rated 2 of 2.')
    .waitFor({ timeout: 1000 })
    .catch(() => undefined);
  await assertFits(rater);
  await rater.screenshot({ path: shot('unconference-rate-390'), fullPage: true });
  const rows = await db
    .selectFrom('unconf_interests')
    .innerJoin('unconf_proposals', 'unconf_proposals.id', 'unconf_interests.proposal_id')
    .select(['unconf_proposals.title', 'unconf_interests.level'])
    .where('unconf_interests.event_id', '=', eventId)
    .orderBy('unconf_proposals.title')
    .execute();
  assert.deepEqual(
    rows.map((r) => `${r.title}:${r.level}`),
    ['Fuzzing device models:75', 'Live patching the hypervisor:100'],
  );
  // Counts are not shown to members before publishing.
  assert.equal(await rater.getByText(/Very \d+ ·/).count(), 0);
  await rater.setViewportSize({ width: 1280, height: 900 });
  await rater.reload();
  await rater.getByRole('button', { name: 'Yes', pressed: true }).waitFor();
  await rater.screenshot({ path: shot('unconference-rate-1280'), fullPage: true });
});
