import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resetPassword } from '../../src/features/auth/service.js';
import { createUnconferenceEvent } from '../../src/features/unconference/events.js';
import { createProposal } from '../../src/features/unconference/proposals.js';
import { createEventBody } from '../../src/features/unconference/schemas.js';
import { addDay, addRoom, addSlot } from '../../src/features/unconference/timetable.js';
import { shot } from '../helpers/browser.js';
import { assertFits, browserAppForFile } from '../helpers/browserFile.js';
import { insertPerson } from '../helpers/people.js';
import { ADMIN_PASSWORD } from '../helpers/server.js';
import { signIn } from './signIn.js';

const env = browserAppForFile();

/** Two days (one break), two rooms, and an unverified member's proposal waiting for approval. */
async function seedEvent() {
  const db = env.live.ctx.database.db;
  const admin = await db.selectFrom('people').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow();
  const actorId = admin.id;
  const event = await createUnconferenceEvent({
    db,
    actorId,
    input: createEventBody.parse({ name: 'Hypervisor Summit', timezone: 'Europe/Berlin' }),
  });
  await addDay({ db, actorId, eventId: event.id, date: '2026-05-04', label: '' });
  await addDay({ db, actorId, eventId: event.id, date: '2026-05-05', label: '' });
  const days = await db
    .selectFrom('unconf_days')
    .selectAll()
    .where('event_id', '=', event.id)
    .orderBy('date')
    .execute();
  const slot = (dayId: string, start: string, end: string, isBreak = false) =>
    addSlot({ db, actorId, eventId: event.id, input: { dayId, start, end, isBreak, label: '' } });
  await slot(days[0]!.id, '09:00', '10:00');
  await slot(days[0]!.id, '10:00', '10:30', true);
  await slot(days[0]!.id, '10:30', '11:30');
  await slot(days[1]!.id, '09:00', '10:00');
  for (const [name, capacity] of [
    ['Ballroom', 80],
    ['Library', 20],
  ] as const) {
    await addRoom({ db, actorId, eventId: event.id, input: { name, capacity, url: null, isPlace: true } });
  }
  const adaId = await insertPerson(db, { username: 'ada', name: 'Ada Lovelace' });
  await db.updateTable('people').set({ verified: 0 }).where('id', '=', adaId).execute();
  await insertPerson(db, { username: 'grace', name: 'Grace Hopper' });
  await insertPerson(db, { username: 'linus', name: 'Linus' });
  const proposal = await createProposal({
    db,
    actor: { id: adaId, role: 'member', verified: 0 },
    eventId: event.id,
    input: { title: 'Live patching', description: 'The *first* text.', coOwners: [] },
  });
  return { eventId: event.id, proposalId: proposal.id };
}

test('an admin edits the timetable in place, is refused removing a room that holds a session, moderates an edit, sets available slots and uses test mode', async () => {
  const db = env.live.ctx.database.db;
  const { eventId, proposalId } = await seedEvent();
  const admin = await env.browser.newPage({ viewport: { width: 390, height: 844 } });
  await signIn(admin, env.live.url, 'admin', ADMIN_PASSWORD);

  // Timetable on a phone: a slot's times, label and break flag edited in place.
  await admin.goto(`${env.live.url}/admin/unconference/${eventId}`);
  const day1 = admin.getByRole('region', { name: 'Day 2026-05-04' });
  await day1.getByRole('button', { name: 'Edit slot 10:30–11:30 on 2026-05-04' }).click();
  const slotForm = admin.getByRole('form', { name: 'Edit slot 10:30–11:30 on 2026-05-04' });
  // Moved onto the first slot: refused under the field, nothing saved.
  await slotForm.getByLabel('Start').fill('09:30');
  await slotForm.getByRole('button', { name: 'Save slot' }).click();
  await slotForm.getByText(/overlaps the slot 09:00–10:00/).waitFor();
  await slotForm.screenshot({ path: shot('unconference-slot-edit-390') });
  await slotForm.getByLabel('Start').fill('10:30');
  await slotForm.getByLabel('End').fill('11:45');
  await slotForm.getByLabel('Label').fill('Hacking hour');
  await slotForm.getByRole('button', { name: 'Save slot' }).click();
  await day1.getByText('10:30–11:45').waitFor();
  await day1.getByText('Hacking hour').waitFor();
  const slots = await db
    .selectFrom('unconf_slots')
    .select(['starts_at', 'ends_at', 'label'])
    .where('event_id', '=', eventId)
    .orderBy('starts_at')
    .execute();
  assert.deepEqual(
    slots.map((s) => `${s.starts_at.slice(11, 16)}-${s.ends_at.slice(11, 16)} ${s.label}`),
    // Berlin is UTC+2 in May.
    ['07:00-08:00 ', '08:00-08:30 ', '08:30-09:45 Hacking hour', '07:00-08:00 '],
  );

  // A room edited in place: name, capacity, link and "not a place".
  await admin.getByRole('button', { name: 'Edit room Library' }).click();
  const roomForm = admin.getByRole('form', { name: 'Edit room Library' });
  await roomForm.getByLabel('Capacity').fill('0');
  await roomForm.getByRole('button', { name: 'Save room' }).click();
  await roomForm.getByText('must be at least 1').waitFor();
  await roomForm.getByLabel('Room name').fill('Online room');
  await roomForm.getByLabel('Capacity').fill('25');
  await roomForm.getByLabel('Link').fill('https://meet.example.org/summit');
  await roomForm.getByLabel(/Not a place/).check();
  await roomForm.getByRole('button', { name: 'Save room' }).click();
  await admin.getByText('25 people · not a place').waitFor();
  const room = await db
    .selectFrom('unconf_rooms')
    .selectAll()
    .where('event_id', '=', eventId)
    .where('name', '=', 'Online room')
    .executeTakeFirstOrThrow();
  assert.deepEqual([room.capacity, room.url, room.is_place], [25, 'https://meet.example.org/summit', 0]);

  // A session sits in the Ballroom (placed as the schedule console would): removing the room is refused.
  const ballroom = await db
    .selectFrom('unconf_rooms')
    .select('id')
    .where('event_id', '=', eventId)
    .where('name', '=', 'Ballroom')
    .executeTakeFirstOrThrow();
  const firstSlot = await db
    .selectFrom('unconf_slots')
    .select('id')
    .where('event_id', '=', eventId)
    .orderBy('starts_at')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('unconf_assignments')
    .values({ proposal_id: proposalId, event_id: eventId, slot_id: firstSlot.id, room_id: ballroom.id })
    .execute();
  await admin.getByRole('button', { name: 'Remove room Ballroom' }).click();
  await admin.getByRole('dialog').getByRole('button', { name: 'Remove room' }).click();
  const refusal = admin.getByRole('alert').filter({ hasText: 'holds sessions' });
  await refusal.getByText('The room "Ballroom" holds sessions (1 in the working schedule)').waitFor();
  await refusal.getByText('move them elsewhere in the schedule before removing it').waitFor();
  await refusal.getByRole('link', { name: 'Open the schedule console' }).waitFor();
  assert.ok(
    await db.selectFrom('unconf_rooms').select('id').where('id', '=', ballroom.id).executeTakeFirst(),
    'the room is still there',
  );
  await assertFits(admin);
  await admin.screenshot({ path: shot('unconference-admin-edit-390'), fullPage: true });
  await admin.setViewportSize({ width: 1280, height: 900 });
  await admin.getByRole('button', { name: 'Edit room Ballroom' }).click();
  await admin.screenshot({ path: shot('unconference-admin-edit-1280'), fullPage: true });
  await admin.getByRole('form', { name: 'Edit room Ballroom' }).getByRole('button', { name: 'Cancel' }).click();
  await admin.setViewportSize({ width: 390, height: 844 });

  // The admin approves Ada's proposal; then Ada edits it: her edit waits, the approved text stays public.
  await admin.goto(`${env.live.url}/admin/unconference/${eventId}/proposals`);
  const card = admin.getByRole('article', { name: 'Live patching' });
  await card.getByText('Waiting for approval').waitFor();
  await card.getByRole('button', { name: 'Approve' }).click();
  await card.getByText('Approved.').waitFor();

  const ada = await env.browser.newPage({ viewport: { width: 390, height: 844 } });
  await signIn(ada, env.live.url, 'ada', await resetPassword({ db, username: 'ada' }));
  await ada.goto(`${env.live.url}/unconference/${eventId}`);
  const mine = ada.getByTestId('unconf-proposal').filter({ hasText: 'Live patching' });
  await mine.getByRole('button', { name: 'Edit' }).click();
  const editForm = ada.getByRole('form', { name: 'Edit Live patching' });
  await editForm.getByLabel('Description').waitFor();
  assert.equal(await editForm.getByLabel('Description').inputValue(), 'The *first* text.');
  await editForm.getByLabel('Co-owners').fill('nobody-here');
  await editForm.getByRole('button', { name: 'Save changes' }).click();
  await editForm.getByText('nobody with the username or e-mail "nobody-here"').waitFor();
  await editForm.screenshot({ path: shot('unconference-owner-form-390') });
  await editForm.getByLabel('Title').fill('Live patching Xen');
  await editForm.getByLabel('Description').fill('The **second** text.');
  await editForm.getByLabel('Co-owners').fill('grace');
  await editForm.getByRole('button', { name: 'Save changes' }).click();
  await mine.getByText('Your edit waits for an administrator').waitFor();
  await ada.getByRole('heading', { name: 'Live patching Xen' }).waitFor();
  await mine.getByText('Edit waiting for approval').waitFor();
  await mine.getByText('Grace Hopper').waitFor();
  await assertFits(ada);
  await ada.screenshot({ path: shot('unconference-owner-edit-390'), fullPage: true });

  const linus = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
  await signIn(linus, env.live.url, 'linus', await resetPassword({ db, username: 'linus' }));
  await linus.goto(`${env.live.url}/unconference/${eventId}`);
  await linus.getByRole('heading', { name: 'Live patching', exact: true }).waitFor();
  await linus.getByText('The first text.').waitFor();
  assert.equal(await linus.getByText('Live patching Xen').count(), 0, 'the waiting edit is not public');

  await admin.reload();
  const edited = admin.getByRole('article', { name: 'Live patching Xen' });
  await edited.getByText('Edit waiting').waitFor();
  await edited.getByRole('button', { name: 'Approve edit' }).click();
  await edited.getByText('Edit approved.').waitFor();
  await linus.reload();
  await linus.getByRole('heading', { name: 'Live patching Xen' }).waitFor();
  await linus.getByText('The second text.').waitFor();

  // Available slots on a phone: breaks are not offered; the choice is saved whole.
  await edited.getByRole('button', { name: 'Available slots' }).click();
  const picker = edited.getByRole('region', { name: 'Available slots for Live patching Xen' });
  await picker.getByText('Nothing ticked: any slot.').waitFor();
  assert.equal(await picker.getByRole('checkbox').count(), 3, 'the break is not offered');
  await picker.getByLabel('09:00–10:00 on 2026-05-04').check();
  await picker.getByLabel('09:00–10:00 on 2026-05-05').check();
  await picker.getByText('2 ticked.').waitFor();
  await assertFits(admin);
  await admin.screenshot({ path: shot('unconference-available-slots-390'), fullPage: true });
  await picker.getByRole('button', { name: 'Save availability' }).click();
  await edited.getByText('Availability saved: 2 slots.').waitFor();
  await edited.getByText(/Available: 2 of 3 slots/).waitFor();
  const allowed = await db
    .selectFrom('unconf_allowed_slots')
    .innerJoin('unconf_slots', 'unconf_slots.id', 'unconf_allowed_slots.slot_id')
    .select('unconf_slots.starts_at')
    .where('proposal_id', '=', proposalId)
    .orderBy('unconf_slots.starts_at')
    .execute();
  assert.deepEqual(
    allowed.map((a) => a.starts_at),
    ['2026-05-04T07:00:00.000Z', '2026-05-05T07:00:00.000Z'],
  );
  await admin.setViewportSize({ width: 1280, height: 900 });
  await edited.getByRole('button', { name: 'Available slots' }).click();
  await admin.screenshot({ path: shot('unconference-available-slots-1280'), fullPage: true });

  // Test mode: fill, refused a second time, clear; each says what the API did.
  await admin.goto(`${env.live.url}/admin/unconference/${eventId}`);
  const testMode = admin.getByRole('region', { name: 'Test mode' });
  await testMode.getByLabel('Fake people').fill('20');
  await testMode.getByLabel('Fake proposals').fill('6');
  await testMode.getByRole('button', { name: 'Fill with test data' }).click();
  await admin.getByRole('dialog').getByText('20 fake people will propose 6 sessions').waitFor();
  await admin.getByRole('dialog').getByRole('button', { name: 'Fill' }).click();
  const added = testMode.getByText(/^Added 20 fake people, 6 fake proposals and \d+ ratings\.$/);
  await added.waitFor({ timeout: 30_000 });
  const testPeople = (
    await db.selectFrom('unconf_test_people').select('person_id').where('event_id', '=', eventId).execute()
  ).map((r) => r.person_id);
  const fakeRatings = await db
    .selectFrom('unconf_interests')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('event_id', '=', eventId)
    .where('person_id', 'in', testPeople)
    .executeTakeFirstOrThrow();
  assert.equal(testPeople.length, 20);
  assert.equal(await added.textContent(), `Added 20 fake people, 6 fake proposals and ${fakeRatings.n} ratings.`);
  await assertFits(admin);
  await testMode.screenshot({ path: shot('unconference-test-mode-1280') });

  await testMode.getByRole('button', { name: 'Fill with test data' }).click();
  await admin.getByRole('dialog').getByRole('button', { name: 'Fill' }).click();
  await testMode.getByText('This unconference already has test data: clear it first.').waitFor();

  await admin.setViewportSize({ width: 390, height: 844 });
  await testMode.getByRole('button', { name: 'Clear test data' }).click();
  await admin.getByRole('dialog').getByRole('button', { name: 'Clear test data' }).click();
  await testMode
    .getByText(`Removed 20 fake people, 6 fake proposals and ${fakeRatings.n} ratings.`)
    .waitFor({ timeout: 30_000 });
  const left = await db.selectFrom('unconf_proposals').select('title').where('event_id', '=', eventId).execute();
  assert.deepEqual(
    left.map((p) => p.title),
    ['Live patching Xen'],
  );
  await assertFits(admin);
  await testMode.screenshot({ path: shot('unconference-test-mode-390') });
  await testMode.getByRole('button', { name: 'Clear test data' }).click();
  await admin.getByRole('dialog').getByRole('button', { name: 'Clear test data' }).click();
  await testMode.getByText('There was no test data to remove.').waitFor();
});
