import assert from 'node:assert/strict';
import { test } from 'node:test';
import { feedbackToken } from '../../src/features/meetings/feedback.js';
import { createMeeting } from '../../src/features/meetings/service.js';
import { signingKey } from '../../src/features/settings/service.js';
import { shot } from '../helpers/browser.js';
import { assertFits, browserAppForFile } from '../helpers/browserFile.js';
import { insertPerson } from '../helpers/people.js';

const env = browserAppForFile();

test('the "Did you meet?" page records the answer from the link and offers the other one (375 px)', async () => {
  const db = env.live.ctx.database.db;
  const ada = await insertPerson(db, { username: 'ada', name: 'Ada Lovelace' });
  const bob = await insertPerson(db, { username: 'bob', name: 'Bob Stone' });
  const { meetingId } = await createMeeting({ db, title: 'Coffee', participantIds: [ada, bob] });
  // "Did you meet?" is asked days after a match; answers before the next day are refused.
  await db
    .updateTable('meetings')
    .set({ created_at: new Date(Date.now() - 3 * 86_400_000).toISOString() })
    .where('id', '=', meetingId)
    .execute();
  const token = feedbackToken(await signingKey(db), meetingId, ada);
  const page = await env.browser.newPage({ viewport: { width: 375, height: 720 } });
  await page.goto(`${env.live.url}/meetings/${meetingId}/answer?person=${ada}&token=${token}&answer=yes`);
  await page.getByText('Thanks — we noted').waitFor();
  await page.screenshot({ path: shot('answer-375'), fullPage: true });
  const row = await db.selectFrom('meeting_feedback').selectAll().executeTakeFirstOrThrow();
  assert.equal(row.answer, 'yes');
  await page.getByRole('button', { name: 'Actually, we didn’t meet' }).click();
  await page.getByRole('button', { name: 'Actually, we met' }).waitFor();
  const changed = await db.selectFrom('meeting_feedback').selectAll().executeTakeFirstOrThrow();
  assert.equal(changed.answer, 'no');
  await assertFits(page, 'the answer page');

  await page.goto(`${env.live.url}/meetings/${meetingId}/answer?person=${ada}&token=wrong&answer=yes`);
  await page.getByText('This link does not work any more').waitFor();
  await page.screenshot({ path: shot('answer-375-bad-link'), fullPage: true });
  await page.close();
});
