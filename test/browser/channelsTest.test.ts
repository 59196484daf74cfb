import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { shot } from '../helpers/browser.js';
import { assertFits, browserAppForFile } from '../helpers/browserFile.js';
import { TestSmtp } from '../helpers/smtp.js';
import { signInAsAdmin } from './signIn.js';

const env = browserAppForFile();
let smtp: TestSmtp;

env.before(async () => {
  smtp = await new TestSmtp().start();
});

after(async () => {
  await smtp?.stop();
});

for (const width of [1280, 390]) {
  test(`the built-in admin (no e-mail address) testing E-mail is told in plain words where to give one, at ${width} px`, async () => {
    const admin = await env.live.ctx.database.db
      .selectFrom('people')
      .select('email')
      .where('username', '=', 'admin')
      .executeTakeFirstOrThrow();
    assert.equal(admin.email, null, 'the built-in admin starts without an address');
    const context = await env.browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    try {
      await signInAsAdmin(page, env.live.url);
      await page.goto(`${env.live.url}/admin/channels`);
      const email = page.getByRole('region', { name: 'E-mail' });
      const on = email.getByLabel('Send messages by E-mail');
      await on.waitFor();
      if (!(await on.isChecked())) {
        await on.check();
        await email.getByLabel('SMTP server URL').fill(smtp.url);
        await email.getByLabel('From address').fill('Convene <convene@example.org>');
        await email.getByRole('button', { name: 'Save E-mail' }).click();
        await email.getByText('Saved').waitFor();
      }
      await email.getByRole('button', { name: 'Send a test message' }).click();
      const told = email.getByRole('alert').filter({ hasText: /Your account has no e-mail address/ });
      await told.waitFor();
      const text = (await told.textContent()) ?? '';
      assert.match(
        text,
        /Type an address in “Send to”, or give your account one: in People & sign-up, click your name/,
      );
      assert.equal(await email.getByText(/^to:/).count(), 0, 'no internal field name');
      assert.equal(await email.getByText(/to: your account/).count(), 0);
      await told.scrollIntoViewIfNeeded();
      await page.screenshot({ path: shot(`channels-test-no-address-${width}`) });
      await assertFits(page, `Channels with the no-address message at ${width} px`);

      // Typing an address is the other way, and takes the message away.
      await email.getByLabel('Send to').fill('ops@example.org');
      assert.equal(await told.count(), 0);
      await email.getByRole('button', { name: 'Send a test message' }).click();
      await email.getByText('Sent to ops@example.org by E-mail.').waitFor();

      // The link leads to the admin's own row, whose name opens the form with Email.
      await email.getByLabel('Send to').fill('');
      await email.getByRole('button', { name: 'Send a test message' }).click();
      await told.getByRole('link', { name: 'People & sign-up' }).click();
      await page.waitForURL(/\/admin\?q=admin$/);
      await page.getByRole('button', { name: /^Edit Admin/ }).click();
      await page.getByRole('dialog').getByLabel('Email').waitFor();
    } finally {
      await context.close();
    }
  });
}
