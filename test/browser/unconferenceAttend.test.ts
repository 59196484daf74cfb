import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { createSession } from '../../src/features/auth/sessions.js';
import { shot } from '../helpers/browser.js';
import { assertFits, browserAppForFile } from '../helpers/browserFile.js';
import { insertPerson } from '../helpers/people.js';
import { type Fixture, publishedUnconference } from '../helpers/publishedUnconference.js';

const env = browserAppForFile();

let f: Fixture;
let token: string;
const ids: Record<string, string> = {};

const db = () => env.live.ctx.database.db;

async function top(page: Page) {
  await page.evaluate(() => window.scrollTo(0, 0));
}

async function context(width: number): Promise<BrowserContext> {
  const ctx = await env.browser.newContext({
    viewport: { width, height: width < 500 ? 844 : 900 },
    timezoneId: 'Europe/Paris',
    locale: 'en-GB',
  });
  await ctx.addCookies([{ name: 'convene_session', value: token, url: env.live.url }]);
  return ctx;
}

env.before(async () => {
  const names = [
    'Grace Hopper',
    'Ada Lovelace',
    'Linus Torvalds',
    'Margaret Hamilton',
    'Ken Thompson',
    'Barbara Liskov',
  ];
  const people: string[] = [];
  for (const name of names)
    people.push(await insertPerson(db(), { username: name.split(' ')[0]!.toLowerCase(), name }));
  const grace = people[0]!;
  // Grace lives in New York; the event is in Berlin; her browser says Paris. Pages follow her profile.
  await db().updateTable('people').set({ timezone: 'America/New_York' }).where('id', '=', grace).execute();
  f = await publishedUnconference(db(), { name: 'Xen Design Summit', videoRooms: true });
  const titles = [
    'Live patching the hypervisor without rebooting guests',
    'Fuzzing the emulator',
    'Release process',
    'Scheduler design: credit2 vs. the world',
    'Documentation sprint',
    'Security hardening',
    'Virtual devices',
    'Onboarding newcomers',
  ];
  for (const [i, title] of titles.entries()) ids[title] = await f.propose(title, [people[1 + (i % 5)]!]);
  const rate = async (who: number, title: string, level: 0 | 25 | 75 | 100) => f.rate(people[who]!, ids[title]!, level);
  await rate(0, 'Live patching the hypervisor without rebooting guests', 100);
  await rate(0, 'Fuzzing the emulator', 25);
  await rate(0, 'Scheduler design: credit2 vs. the world', 75);
  await rate(0, 'Release process', 75);
  await rate(0, 'Security hardening', 25);
  for (let p = 1; p < people.length; p++) {
    await rate(p, 'Live patching the hypervisor without rebooting guests', 75);
    await rate(p, 'Release process', 100);
  }
  const [main, roomB, online] = f.rooms;
  const day1 = f.slots.filter((s) => s.dayId === f.days[0]!.id && !s.isBreak);
  const day2 = f.slots.filter((s) => s.dayId === f.days[1]!.id && !s.isBreak);
  await f.publish([
    {
      proposalId: ids['Live patching the hypervisor without rebooting guests']!,
      slotId: day1[0]!.id,
      roomId: roomB!.id,
    },
    { proposalId: ids['Fuzzing the emulator']!, slotId: day1[0]!.id, roomId: online!.id },
    { proposalId: ids['Release process']!, slotId: day1[0]!.id, roomId: main!.id },
    { proposalId: ids['Scheduler design: credit2 vs. the world']!, slotId: day1[1]!.id, roomId: main!.id },
    { proposalId: ids['Documentation sprint']!, slotId: day1[1]!.id, roomId: roomB!.id },
    { proposalId: ids['Security hardening']!, slotId: day1[2]!.id, roomId: main!.id },
    { proposalId: ids['Virtual devices']!, slotId: day2[0]!.id, roomId: main!.id },
    { proposalId: ids['Onboarding newcomers']!, slotId: day2[1]!.id, roomId: roomB!.id },
  ]);
  await f.meetingFor(ids['Live patching the hypervisor without rebooting guests']!, [grace, people[1]!]);
  ({ token } = await createSession(db(), { personId: grace, days: 1 }));
});

for (const width of [1280, 390]) {
  test(`the timetable grid at ${width} px: rooms, slots, a break, times in my timezone`, async () => {
    const ctx = await context(width);
    const page = await ctx.newPage();
    await page.goto(`${env.live.url}/unconference/events/${f.eventId}/schedule`);
    await page.getByRole('heading', { level: 1, name: 'Xen Design Summit' }).waitFor();
    await page.getByText('Live patching the hypervisor without rebooting guests').first().waitFor();
    // 09:00 UTC is 04:00 in New York (winter).
    await page.getByText('04:00–04:55').first().waitFor();
    await page.getByText('Coffee').first().waitFor();
    if (width >= 720) {
      const headers = await page.locator('.attend-table thead th').allInnerTexts();
      assert.deepEqual(
        headers.map((h) => h.split('\n')[0]),
        ['Time', 'Main hall', 'Room B', 'Online'],
      );
    } else {
      assert.equal(await page.locator('.attend-table').count(), 0, 'a list on a phone, not a table');
    }
    await assertFits(page, `timetable at ${width}px`);
    await top(page);
    await page.screenshot({ path: shot(`unconference-timetable-${width}`), fullPage: true });

    // Another timezone, chosen on the page.
    await page.getByLabel('Times in').selectOption('Europe/Berlin');
    await page.getByText('10:00–10:55').first().waitFor();
    assert.match(page.url(), /tz=Europe%2FBerlin/);

    // Day two.
    await page.getByRole('button', { name: /Tuesday/ }).click();
    await page.getByText('Virtual devices').waitFor();
    await ctx.close();
  });

  test(`my agenda at ${width} px: my pick in each slot, alternatives, and a calendar feed`, async () => {
    const ctx = await context(width);
    const page = await ctx.newPage();
    await page.goto(`${env.live.url}/unconference/events/${f.eventId}/agenda`);
    await page.getByRole('heading', { level: 1, name: 'Xen Design Summit' }).waitFor();
    const rows = page.locator('.attend-agenda-row:not(.attend-agenda-break)');
    await rows.first().waitFor();
    const first = rows.nth(0);
    assert.equal(
      await first.locator('.attend-agenda-pick a').innerText(),
      'Live patching the hypervisor without rebooting guests',
    );
    assert.match(await first.locator('summary').innerText(), /2 alternatives/);
    assert.equal(
      await rows.nth(1).locator('.attend-agenda-pick a').innerText(),
      'Scheduler design: credit2 vs. the world',
    );
    await page.getByText('Free: you rated none of these.').first().waitFor();
    await first.locator('summary').click();
    await first.getByRole('link', { name: 'Release process' }).waitFor();
    if (width === 1280) {
      await page.getByRole('button', { name: 'Get a feed address' }).click();
      const url = await page.getByLabel('My agenda').inputValue();
      assert.match(url, /\/api\/v1\/feeds\/[A-Za-z0-9_-]{43}\/unconference\/.+\/agenda\.ics$/);
      // A calendar app fetches it with no cookie at all.
      const fetched = await fetch(url.replace(/^https?:\/\/[^/]+/, env.live.url));
      assert.equal(fetched.status, 200);
      const ics = await fetched.text();
      assert.match(ics, /SUMMARY:Live patching the hypervisor without rebooting guests/);
      assert.match(ics, /DTSTART:20270301T090000Z/);
    }
    await assertFits(page, `agenda at ${width}px`);
    await top(page);
    await page.screenshot({ path: shot(`unconference-agenda-${width}`), fullPage: true });
    await ctx.close();
  });

  test(`a session's page at ${width} px: time, room link, video room`, async () => {
    const ctx = await context(width);
    const page = await ctx.newPage();
    await page.goto(`${env.live.url}/unconference/events/${f.eventId}/schedule`);
    await page.getByRole('link', { name: 'Live patching the hypervisor without rebooting guests' }).first().click();
    await page.waitForURL(/\/unconference\/sessions\//);
    await page
      .getByRole('heading', { level: 1, name: 'Live patching the hypervisor without rebooting guests' })
      .waitFor();
    const room = page.getByRole('link', { name: 'Room B' });
    assert.equal(await room.getAttribute('href'), 'https://maps.example.org/room-b');
    assert.match(
      (await page.getByRole('link', { name: 'Join the video room' }).getAttribute('href')) ?? '',
      /^https:\/\/meet\.jit\.si\/convene-live-patching/,
    );
    await page.getByText('Monday 1 March, 04:00–04:55').waitFor();
    await page.getByRole('link', { name: 'Release process' }).waitFor();
    await assertFits(page, `session page at ${width}px`);
    await top(page);
    await page.screenshot({ path: shot(`unconference-session-${width}`), fullPage: true });
    await ctx.close();
  });
}

test('schedule.xml parses as XML in the browser, with its days and rooms', async () => {
  const ctx = await context(1280);
  const page = await ctx.newPage();
  await page.goto(`${env.live.url}/unconference/events/${f.eventId}/schedule`);
  const result = await page.evaluate(async (eventId) => {
    const text = await (await fetch(`/api/v1/unconference/events/${eventId}/published/schedule.xml`)).text();
    const doc = new DOMParser().parseFromString(text, 'application/xml');
    return {
      error: doc.querySelector('parsererror')?.textContent ?? null,
      days: [...doc.querySelectorAll('schedule > day')].map((d) => d.getAttribute('date')),
      rooms: [...doc.querySelectorAll('schedule > day:first-of-type > room')].map((r) => r.getAttribute('name')),
      events: doc.querySelectorAll('event').length,
    };
  }, f.eventId);
  assert.equal(result.error, null);
  assert.deepEqual(result.days, ['2027-03-01', '2027-03-02']);
  assert.deepEqual(result.rooms, ['Main hall', 'Room B', 'Online']);
  assert.equal(result.events, 8);
  await ctx.close();
});
