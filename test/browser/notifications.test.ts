import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { createSession } from '../../src/features/auth/sessions.js';
import { cancelMeeting, createMeeting } from '../../src/features/meetings/service.js';
import { newId } from '../../src/lib/ids.js';
import { shot } from '../helpers/browser.js';
import { assertFits, browserAppForFile } from '../helpers/browserFile.js';
import { deliverLive } from '../helpers/outbox.js';
import { clientFor, insertPerson } from '../helpers/people.js';
import { adminClient } from '../helpers/server.js';
import { TestSmtp } from '../helpers/smtp.js';
import { signInAsAdmin } from './signIn.js';

const env = browserAppForFile();

let smtp: TestSmtp;
const db = () => env.live.ctx.database.db;
const ADMIN_EMAIL = 'admin@example.org';
const REFUSED = 'bounce@example.org';

env.before(async () => {
  smtp = await new TestSmtp().start();
  await db().updateTable('people').set({ email: ADMIN_EMAIL }).where('username', '=', 'admin').execute();
});

after(async () => {
  await smtp?.stop();
});

const deliver = () => deliverLive(db(), env.live.config);

async function assertLabelled(page: Page, what: string) {
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll('input, select, textarea')]
      .filter(
        (el) =>
          !(el as HTMLInputElement).labels?.length &&
          !el.getAttribute('aria-label') &&
          !el.getAttribute('aria-labelledby') &&
          (el as HTMLInputElement).type !== 'hidden' &&
          !(el as HTMLElement).hidden,
      )
      .map((el) => el.outerHTML.slice(0, 120)),
  );
  assert.deepEqual(unlabelled, [], `${what} has fields without a label`);
}

const phoneOf = async (context: BrowserContext) =>
  env.browser.newContext({
    viewport: { width: 375, height: 812 },
    isMobile: true,
    hasTouch: true,
    storageState: await context.storageState(),
  });

test('an admin sets up e-mail, sends a test, and resends a failed message', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signInAsAdmin(page, env.live.url);
  await page.goto(`${env.live.url}/admin/channels`);
  const email = page.getByRole('region', { name: 'E-mail' });
  await email.getByLabel('Send messages by E-mail').check();
  await email.getByLabel('SMTP server URL').fill(smtp.url);
  await email.getByLabel('From address').fill('Convene <convene@example.org>');
  await email.getByRole('button', { name: 'Save E-mail' }).click();
  await email.getByText('Saved').waitFor();
  // Which server it names is shown (this one has no password to hide).
  await email.getByText(`Stored: ${smtp.url}`).waitFor();
  assert.equal(await email.getByLabel('SMTP server URL').inputValue(), '', 'the secret is not shown again');
  await email.getByRole('button', { name: 'Send a test message' }).click();
  await email.getByText(/Sent\. Check your inbox/).waitFor();
  assert.ok(smtp.mails.some((m) => /Test message from Convene/.test(m.subject ?? '')));
  // Another address, for an admin whose own has not arrived yet (or who has none).
  await email.getByLabel('Send to').fill('not an address');
  await email.getByRole('button', { name: 'Send a test message' }).click();
  await email.getByText(/must be an e-mail address/).waitFor();
  await email.getByLabel('Send to').fill('ops@example.org');
  await email.getByRole('button', { name: 'Send a test message' }).click();
  await email.getByText('Sent to ops@example.org by E-mail.').waitFor();
  const toOps = smtp.mails.find((m) => JSON.stringify(m.to).includes('ops@example.org'));
  assert.ok(toOps, 'the test went to the address given');
  // The test message's page link opens a page of the app, not "not found".
  const link = /Meeting page: (\S+)/.exec(toOps.text ?? '')?.[1];
  assert.ok(link);
  const linked = await context.newPage();
  // The configured publicUrl is not where this test server listens: same path, this server.
  await linked.goto(`${env.live.url}${new URL(link).pathname}`);
  await linked.getByRole('heading', { name: 'Meetings', level: 1 }).waitFor();
  await linked.close();

  // The webhook card offers a Standard Webhooks secret, and says a new URL needs it again.
  const webhook = page.getByRole('region', { name: 'Webhook' });
  await webhook.getByText('Changing it means giving the Signing secret again.').waitFor();
  await webhook.getByRole('button', { name: 'Generate a secret' }).click();
  assert.match(await webhook.getByLabel('Signing secret').inputValue(), /^whsec_[A-Za-z0-9+/]+=*$/);
  await assertLabelled(page, 'Channels page');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: shot('notifications-channels'), fullPage: true });

  // A message that bounces: it shows up failed, is resent, and then goes out.
  const person = await insertPerson(db(), { username: 'bounce', name: 'Bea Bounce', email: REFUSED });
  smtp.refuse.add(REFUSED);
  await createMeeting({ db: db(), title: 'Coffee with Bea', participantIds: [person] });
  await deliver();
  smtp.refuse.clear();

  await page.goto(`${env.live.url}/admin/messages`);
  await page.getByLabel('Status', { exact: true }).selectOption('failed');
  const row = page.getByRole('row', { name: /Bea Bounce/ });
  await row.getByText(/mailbox|550/i).waitFor();
  await page.getByRole('button', { name: /Resend all failed \(1\)/ }).waitFor();
  await assertLabelled(page, 'Messages page');
  await page.screenshot({ path: shot('notifications-messages'), fullPage: true });
  await row.getByRole('button', { name: 'Resend to Bea Bounce' }).click();
  await page.getByText('Queued again').waitFor();
  const run = await deliver();
  assert.equal(run.sent, 1);
  assert.ok(smtp.mails.some((m) => JSON.stringify(m.to).includes(REFUSED)));
  await page.getByLabel('Status', { exact: true }).selectOption('sent');
  await page.getByRole('row', { name: /Bea Bounce/ }).waitFor();

  // Messages skipped because their meeting was cancelled are not offered again: resending could
  // only be skipped again, and "Queued again" would promise what never happens.
  const review = await createMeeting({
    db: db(),
    title: 'Review with Bea',
    participantIds: [person],
    startsAt: new Date(Date.now() + 86_400_000).toISOString(),
  });
  await cancelMeeting({ db: db(), meetingId: review.meetingId });
  await deliver();
  await page.getByLabel('Status', { exact: true }).selectOption('skipped');
  const skipped = page.locator('tbody tr', { hasText: 'Review with Bea' });
  await skipped.getByText('The meeting was cancelled.').first().waitFor();
  assert.equal(await skipped.getByRole('button', { name: /Resend/ }).count(), 0, 'no Resend for them');
  assert.ok((await skipped.count()) >= 2, 'the intro and the reminder are listed skipped');
  await page.getByLabel('Status', { exact: true }).selectOption('sent');

  // A Slack message that did not find one of its readers says so next to their name.
  const now = new Date().toISOString();
  const reader = (id: string, name: string) => ({ id, name, email: null, timezone: 'UTC', title: null, team: null });
  await db()
    .insertInto('notifications')
    .values({
      id: newId(),
      meeting_id: null,
      person_id: null,
      channel: 'slack',
      kind: 'intro',
      payload: JSON.stringify({
        kind: 'intro',
        meeting: { id: 'm', title: 'Slack chat', startsAt: null, durationMinutes: null, roomName: null },
        participants: [reader('p1', 'Sam Found'), reader('p2', 'Nia Missing')],
        readers: ['p1', 'p2'],
      }),
      status: 'sent',
      attempts: 1,
      next_attempt_at: now,
      claimed_until: null,
      claimed_by: null,
      recovered: 0,
      last_error: null,
      result: JSON.stringify({ notFound: ['p2'] }),
      sent_at: now,
      dedupe_key: `browser-slack-${newId()}`,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await page.reload();
  const slackRow = page.getByRole('row', { name: /Sam Found/ });
  await slackRow.getByText('(not found on Slack)').waitFor();
  assert.equal(await slackRow.getByText('(not found on Slack)').count(), 1, 'only Nia was not found');

  // A reminder three weeks ahead waits, and says until when.
  const startsAt = new Date(Date.now() + 21 * 86_400_000);
  await createMeeting({
    db: db(),
    title: 'Later with Bea',
    participantIds: [person],
    startsAt: startsAt.toISOString(),
  });
  await page.getByLabel('Status', { exact: true }).selectOption('pending');
  await page.getByLabel('Kind', { exact: true }).selectOption('reminder');
  const due = page.getByRole('row', { name: /Bea Bounce/ }).getByText(/^Due /);
  // Until the kind filter has applied, the pending intro of the same meeting is listed too.
  for (let tries = 0; (await due.count()) !== 1; tries++) {
    assert.ok(tries < 100, 'the pending reminder is listed alone');
    await page.waitForTimeout(100);
  }
  // Shown short (no year when it is this year's), the whole date in its title.
  const dueAt = new Date(startsAt.getTime() - 15 * 60_000); // the default reminder lead
  assert.match(await due.innerText(), /^Due [A-Z][a-z]{2} \d{1,2}, /);
  assert.match((await due.locator('time').getAttribute('title')) ?? '', new RegExp(String(dueAt.getFullYear())));
  await page.screenshot({ path: shot('notifications-messages-pending'), fullPage: true });

  const phone = await phoneOf(context);
  const small = await phone.newPage();
  await small.goto(`${env.live.url}/admin/messages`);
  await small
    .getByRole('row', { name: /Bea Bounce/ })
    .first()
    .waitFor();
  await small.getByRole('heading', { name: 'Unreachable people' }).waitFor();
  await assertFits(small, 'Messages at 375 px');
  await small.screenshot({ path: shot('notifications-messages-phone'), fullPage: true });
  await small.goto(`${env.live.url}/admin/channels`);
  await small.getByRole('region', { name: 'E-mail' }).waitFor();
  await assertFits(small, 'Channels at 375 px');
  await small.screenshot({ path: shot('notifications-channels-phone'), fullPage: true });
  await phone.close();
  await context.close();
});

test('a member chooses their channels in the profile', async () => {
  const admin = await adminClient(env.live.app);
  const group = await admin.post('/api/v1/mixers/groups', { name: 'Coffee', cron: '0 10 * * MON', timezone: 'UTC' });
  assert.equal(group.status, 201);
  const member = await insertPerson(db(), { username: 'mia', name: 'Mia Member' });
  await (await clientFor(env.live.app, db(), member)).post(`/api/v1/mixers/groups/${group.body.group.id}/join`);
  const { token } = await createSession(db(), { personId: member, days: 1 });
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addCookies([{ name: 'convene_session', value: token, url: env.live.url }]);
  const page = await context.newPage();
  await page.goto(`${env.live.url}/profile`);
  const section = page.getByRole('region', { name: 'Notifications' });
  const byEmail = section.getByRole('group', { name: 'Send me messages by' }).getByRole('checkbox', { name: 'E-mail' });
  await byEmail.waitFor();
  assert.equal(await byEmail.isChecked(), true);
  await section.getByLabel('Coffee').selectOption('only');
  await section.getByRole('group', { name: 'Channels for Coffee' }).getByRole('checkbox', { name: 'E-mail' }).waitFor();
  await section.getByRole('button', { name: 'Save notifications' }).click();
  await section.getByText('Saved').waitFor();
  const saved = await db().selectFrom('notification_prefs').selectAll().where('person_id', '=', member).execute();
  assert.deepEqual(saved.map((p) => [p.scope, p.channel, p.enabled]).sort(), [
    ['', 'email', 1],
    [`group:${group.body.group.id}`, 'email', 1],
  ]);
  await byEmail.uncheck();
  await section.getByRole('button', { name: 'Save notifications' }).click();
  await section.getByText('Saved').waitFor();
  const off = await db()
    .selectFrom('notification_prefs')
    .select('enabled')
    .where('person_id', '=', member)
    .where('scope', '=', '')
    .executeTakeFirst();
  assert.equal(off?.enabled, 0);
  await assertLabelled(page, 'Profile');
  await section.screenshot({ path: shot('notifications-profile') });

  const phone = await phoneOf(context);
  const small = await phone.newPage();
  await small.goto(`${env.live.url}/profile`);
  await small
    .getByRole('region', { name: 'Notifications' })
    .getByRole('checkbox', { name: 'E-mail' })
    .first()
    .waitFor();
  await assertFits(small, 'Profile at 375 px');
  await small.screenshot({ path: shot('notifications-profile-phone'), fullPage: true });
  await phone.close();
  await context.close();
});

/**
 * Each line of the Messages table's "Queued" cell (when queued, then when sent or due) as the number
 * of lines it takes on screen: its text rectangles grouped by their top edge.
 */
function queuedLines(page: Page, rowName: RegExp): Promise<Array<{ text: string; lines: number }>> {
  return page
    .getByRole('row', { name: rowName })
    .locator('td[data-label="Queued"]')
    .evaluate((cell) => {
      const blocks = [cell, ...cell.querySelectorAll('.cell-sub')];
      return blocks.map((block) => {
        const tops = new Set<number>();
        const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          // A sub-line's text counts for that sub-line, not for the cell's own first line.
          const sub = node.parentElement?.closest('.cell-sub');
          if (sub && sub !== block) continue;
          const range = document.createRange();
          range.selectNodeContents(node);
          for (const rect of range.getClientRects()) if (rect.width > 0) tops.add(Math.round(rect.top));
        }
        const own = block === cell ? (cell.firstChild?.textContent ?? '') : (block.textContent ?? '');
        return { text: own, lines: tops.size };
      });
    });
}

test('the Queued column keeps each date and time on one line at 1280 px, and the table fits at 390 px', async (t) => {
  const now = Date.now();
  const at = (ms: number) => new Date(ms).toISOString();
  const row = (props: {
    name: string;
    title: string;
    status: 'sent' | 'failed' | 'pending';
    lastError?: string;
    dueInDays?: number;
  }) => {
    const reader = { id: `r-${props.name}`, name: props.name, email: null, timezone: 'UTC', title: null, team: null };
    return {
      id: newId(),
      meeting_id: null,
      person_id: null,
      channel: 'email' as const,
      kind: 'intro' as const,
      payload: JSON.stringify({
        kind: 'intro',
        meeting: { id: 'm', title: props.title, startsAt: null, durationMinutes: null, roomName: null },
        participants: [reader],
        readers: [reader.id],
      }),
      status: props.status,
      attempts: props.status === 'pending' ? 0 : 1,
      next_attempt_at: at(now + (props.dueInDays ?? 0) * 86_400_000),
      claimed_until: null,
      claimed_by: null,
      recovered: 0 as const,
      last_error: props.lastError ?? null,
      result: null,
      sent_at: props.status === 'sent' ? at(now) : null,
      dedupe_key: `queued-column-${newId()}`,
      created_at: at(now - 60_000),
      updated_at: at(now),
    };
  };
  await db()
    .insertInto('notifications')
    .values([
      row({ name: 'Quinn Sentwell', title: 'Quarterly planning with the platform team', status: 'sent' }),
      row({
        name: 'Fay Failing',
        title: 'Coffee with Fay',
        status: 'failed',
        lastError: '550 5.1.1 <fay@example.org>: Recipient address rejected: User unknown in virtual mailbox table',
      }),
      row({ name: 'Dee Duelater', title: 'Onboarding buddy: Dee and Sam', status: 'pending', dueInDays: 21 }),
    ])
    .execute();

  // The admin lives in New York, their browser is on Tokyo time: the page must show New York's clock.
  const admin = db().updateTable('people').where('username', '=', 'admin');
  const before = await db()
    .selectFrom('people')
    .select(['timezone', 'timezone_confirmed'])
    .where('username', '=', 'admin')
    .executeTakeFirstOrThrow();
  await admin.set({ timezone: 'America/New_York', timezone_confirmed: 1 }).execute();
  t.after(() => admin.set(before).execute());
  const context = await env.browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'en-US',
    timezoneId: 'Asia/Tokyo',
  });
  const page = await context.newPage();
  await signInAsAdmin(page, env.live.url);
  await page.goto(`${env.live.url}/admin/messages`);
  await page.getByRole('row', { name: /Dee Duelater/ }).waitFor();
  const queued = page
    .getByRole('row', { name: /Quinn Sentwell/ })
    .locator('td[data-label="Queued"] time')
    .first();
  const newYorkClock = new Intl.DateTimeFormat('en-US', {
    timeZone: 'America/New_York',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(now - 60_000));
  assert.ok(
    (await queued.innerText()).includes(newYorkClock) && /EST|EDT/.test((await queued.getAttribute('title')) ?? ''),
    `queued at ${newYorkClock} New York time, named as such (not the browser's Tokyo time)`,
  );
  for (const name of [/Quinn Sentwell/, /Fay Failing/, /Dee Duelater/]) {
    const lines = await queuedLines(page, name);
    assert.ok(lines.length >= 1);
    for (const line of lines) assert.equal(line.lines, 1, `"${line.text}" (${name.source}) takes one line at 1280 px`);
  }
  await assertFits(page, 'Messages at 1280 px');
  const sideways = await page.locator('.table-wrap').evaluate((wrap) => wrap.scrollWidth - wrap.clientWidth);
  assert.equal(sideways, 0, 'the table needs no sideways scrolling at 1280 px');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: shot('notifications-messages-queued-1280'), fullPage: true });

  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByRole('row', { name: /Dee Duelater/ }).waitFor();
  await assertFits(page, 'Messages at 390 px');
  await page.screenshot({ path: shot('notifications-messages-queued-390'), fullPage: true });
  await page.getByRole('row', { name: /Dee Duelater/ }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: shot('notifications-messages-queued-390-rows') });
  await context.close();
});
