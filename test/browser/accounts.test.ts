import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shot } from '../helpers/browser.js';
import { browserAppForFile } from '../helpers/browserFile.js';
import { startForFile } from '../helpers/outbox.js';
import { ADMIN_PASSWORD } from '../helpers/server.js';
import { TestSmtp } from '../helpers/smtp.js';
import { signIn } from './signIn.js';

const smtp = await startForFile(new TestSmtp());
const env = browserAppForFile({
  'notifications.email.smtpUrl': smtp.url,
  'notifications.email.from': 'Convene <convene@example.org>',
});

/** The link's token from the newest mail to `address` with that page, opened on the live app. */
async function linkFor(address: string, page: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const mail = smtp.mails.filter((m) => JSON.stringify(m.to).includes(address)).reverse();
    for (const m of mail) {
      const match = new RegExp(`/${page}#([A-Za-z0-9_-]+)`).exec(m.text ?? '');
      if (match) return `${env.live.url}/${page}#${match[1]}`;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no ${page} mail to ${address}`);
}

test('an admin invites, the person accepts, forgets the password and resets it; links refuse reuse', async () => {
  const admin = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
  await signIn(admin, env.live.url, 'admin', ADMIN_PASSWORD);
  await admin.goto(`${env.live.url}/admin/invitations`);
  await admin.getByLabel('E-mail addresses').fill('name,email\nNew Comer,newcomer@example.org\nnot-an-address@');
  await admin.getByRole('button', { name: 'Send invitations' }).click();
  await admin.getByText(/line 3: "not-an-address@" is not an e-mail address/).waitFor();
  await admin.getByLabel('E-mail addresses').fill('name,email\nNew Comer,newcomer@example.org\nsecond@example.org');
  await admin.getByRole('button', { name: 'Send invitations' }).click();
  await admin.getByText('2 invitations sent by e-mail.').waitFor();
  await admin.getByTestId('invitation-row').nth(1).waitFor();
  await admin.screenshot({ path: shot('accounts-invitations-1280'), fullPage: true });
  await admin.setViewportSize({ width: 390, height: 844 });
  await admin.screenshot({ path: shot('accounts-invitations-390'), fullPage: true });

  const inviteLink = await linkFor('newcomer@example.org', 'invite');
  const context = await env.browser.newContext({ viewport: { width: 390, height: 844 } });
  const person = await context.newPage();
  await person.goto(inviteLink);
  await person.getByTestId('invited-email').getByText('newcomer@example.org').waitFor();
  await person.getByLabel('Your name').fill('New Comer');
  await person.getByLabel('Password').fill('password');
  await person.getByRole('button', { name: 'Create my account' }).click();
  await person.getByText(/most common ones/).waitFor();
  await person.screenshot({ path: shot('accounts-invite-error-390'), fullPage: true });
  await person.getByLabel('Password').fill('violet tractor 93 lemon');
  await person.getByRole('button', { name: 'Create my account' }).click();
  await person.waitForURL(`${env.live.url}/`);
  await context.close();

  // The link is used: a second visit says so instead of showing a form.
  const again = await env.browser.newPage({ viewport: { width: 390, height: 844 } });
  await again.goto(inviteLink);
  await again
    .getByTestId('link-refused')
    .getByText(/already used/)
    .waitFor();
  await again.screenshot({ path: shot('accounts-invite-used-390'), fullPage: true });

  // Forgot password, from the sign-in page.
  await again.goto(`${env.live.url}/signin`);
  await again.getByRole('link', { name: 'Forgot your password?' }).click();
  await again.getByLabel('Email').fill('newcomer@example.org');
  await again.getByRole('button', { name: 'Send me a link' }).click();
  await again.getByTestId('forgot-sent').waitFor();
  await again.screenshot({ path: shot('accounts-forgot-sent-390'), fullPage: true });
  const resetLink = await linkFor('newcomer@example.org', 'reset-password');
  await again.goto(resetLink);
  await again.getByLabel('New password', { exact: true }).fill('marble canyon 71 otter');
  await again.screenshot({ path: shot('accounts-reset-390'), fullPage: true });
  await again.getByRole('button', { name: 'Save the new password' }).click();
  await again.getByTestId('reset-done').waitFor();
  await again.goto('about:blank');
  await again.goto(resetLink);
  await again
    .getByTestId('link-refused')
    .getByText(/already used/)
    .waitFor();

  const desk = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
  await desk.goto(resetLink);
  await desk.getByTestId('link-refused').waitFor();
  await desk.screenshot({ path: shot('accounts-reset-used-1280'), fullPage: true });
  await signIn(desk, env.live.url, 'newcomer@example.org', 'marble canyon 71 otter');
  await desk.goto(`${env.live.url}/profile`);
  await desk.getByText('newcomer@example.org').first().waitFor();
  await desk.getByLabel('Team').fill('Support');
  await desk.getByLabel('Title').fill('Agent');
  await desk.getByRole('button', { name: 'Save profile' }).click();
  await desk.getByText('Saved').first().waitFor();
  const saved = await env.live.ctx.database.db
    .selectFrom('people')
    .select(['team', 'title'])
    .where('email', '=', 'newcomer@example.org')
    .executeTakeFirstOrThrow();
  assert.deepEqual(saved, { team: 'Support', title: 'Agent' });
  await desk.setViewportSize({ width: 390, height: 844 });
  await desk.screenshot({ path: shot('accounts-profile-390'), fullPage: true });

  await admin.setViewportSize({ width: 1280, height: 900 });
  await admin.reload();
  await admin
    .getByTestId('invitation-row')
    .filter({ hasText: 'newcomer@example.org' })
    .locator('.badge', { hasText: 'Accepted' })
    .waitFor();
  const accepted = await admin.getByTestId('invitation-row').filter({ hasText: 'newcomer@example.org' }).textContent();
  assert.match(accepted ?? '', /Accepted/);
  await admin.getByRole('button', { name: 'Resend' }).first().click();
  await admin.getByTestId('invitation-note').getByText('A new link was sent to second@example.org.').waitFor();
  await admin.getByRole('button', { name: 'Revoke' }).first().click();
  await admin.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
  await admin
    .getByTestId('invitation-note')
    .getByText(/was revoked/)
    .waitFor();
  await admin.screenshot({ path: shot('accounts-invitations-after-1280'), fullPage: true });

  // From the People page, the admin sends the person a reset link.
  await admin.goto(`${env.live.url}/admin`);
  await admin.getByRole('button', { name: 'Edit New Comer' }).click();
  const dialog = admin.getByRole('dialog', { name: 'Edit New Comer' });
  await dialog.getByRole('button', { name: 'Send a password reset link' }).click();
  await dialog.getByText(/was sent to newcomer@example.org/).waitFor();
  await admin.screenshot({ path: shot('accounts-admin-reset-link-1280') });
  const mails = smtp.mails.filter((m) => JSON.stringify(m.to).includes('newcomer@example.org'));
  assert.match(mails.at(-1)?.text ?? '', /An administrator sent you a link/);

  // The audit log page shows it all, with the client address; filtered by action.
  await admin.goto(`${env.live.url}/admin/audit`);
  await admin.getByLabel('Action').fill('person.');
  await admin.getByRole('button', { name: 'Filter' }).click();
  await admin.getByTestId('audit-row').filter({ hasText: 'person.reset_link_sent' }).first().waitFor();
  await admin.screenshot({ path: shot('accounts-audit-1280'), fullPage: true });
  await admin.setViewportSize({ width: 390, height: 844 });
  await admin.screenshot({ path: shot('accounts-audit-390') });
});
