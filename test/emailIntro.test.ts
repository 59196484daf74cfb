import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ParsedMail } from 'mailparser';
import { createMeeting } from '../src/features/meetings/service.js';
import { managerPattern } from '../src/features/mixers/eligibility.js';
import { runRound } from '../src/features/mixers/rounds.js';
import type { NotificationPayload } from '../src/features/notifications/payload.js';
import { renderEmail } from '../src/features/notifications/render.js';
import { refold } from '../src/integrations/ics.js';
import { videoRooms } from '../src/integrations/jitsi.js';
import { deliverOutbox, notificationRows, startForFile, testOutboxOptions } from './helpers/outbox.js';
import { clientFor, insertPerson } from './helpers/people.js';
import { adminClient } from './helpers/server.js';
import { TestSmtp } from './helpers/smtp.js';
import { forEachEngine } from './helpers/suite.js';

const smtp = await startForFile(new TestSmtp());
const options = testOutboxOptions();
const SETTINGS = 'https://convene.example.org/profile#notifications-title';

const octets = (line: string) => Buffer.byteLength(line, 'utf8');
const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, '');
const mailTo = (address: string) => smtp.mails.find((m) => JSON.stringify(m.to).includes(address));
const addressesOf = (field: ParsedMail['replyTo']) => (field?.value ?? []).map((a) => a.address).sort();

test('calendar lines are folded at 75 octets, never inside a character, and unfold to the original', () => {
  const long = `SUMMARY:${'Café ☕ 日本語 Zoë 🎉 '.repeat(12)}`;
  const ics = ['BEGIN:VCALENDAR', long, 'DESCRIPTION:short', 'END:VCALENDAR', ''].join('\r\n');
  // What the ics package does: 75 characters a line, far more than 75 octets here.
  const byCharacters = [...long].reduce<string[]>((lines, char, i) => {
    if (i % 74 === 0) lines.push('');
    lines[lines.length - 1] += char;
    return lines;
  }, []);
  const folded = refold(ics.replace(long, byCharacters.join('\r\n\t')));
  const lines = folded.split('\r\n');
  assert.ok(
    byCharacters.some((line) => octets(line) > 75),
    'folded by characters, the line is too long',
  );
  assert.ok(lines.length >= 4 + Math.ceil(octets(long) / 75), 'the long line is folded by octets');
  for (const line of lines) assert.ok(octets(line) <= 75, `${octets(line)} octets: ${line}`);
  for (const line of lines) assert.ok(!line.includes('\uFFFD'), 'no character cut in two');
  assert.equal(unfold(folded), ics);
  assert.equal(refold(ics.replace(long, 'SUMMARY:short')), ics.replace(long, 'SUMMARY:short'), 'short lines stay');
});

test('a payload queued before first names were kept still greets by the first word of the name', () => {
  const person = (id: string, name: string, email: string | null) => ({
    id,
    name,
    email,
    timezone: 'UTC',
    title: null,
    team: null,
  });
  const payload: NotificationPayload = {
    kind: 'intro',
    meeting: {
      id: 'm1',
      title: 'Coffee: Ada / Bob',
      startsAt: null,
      durationMinutes: null,
      roomName: null,
      roomUrl: null,
      groupId: 'g',
      groupName: 'Coffee',
      sequence: 0,
    },
    participants: [person('a', 'Ada Lovelace', 'ada@example.org'), person('b', 'Bob Marley', null)],
    recipient: { ...person('a', 'Ada Lovelace', 'ada@example.org'), cc: [] },
  };
  const ctx = {
    publicUrl: 'https://convene.example.org',
    video: videoRooms({ provider: 'none', jitsi: { baseUrl: 'https://meet.jit.si' } }),
  };
  const mail = renderEmail(ctx, payload);
  assert.ok(mail.text.startsWith('Hello Ada, meet Bob Marley! Find a time that suits you both'), mail.text);
  assert.deepEqual(mail.replyTo, [], 'Bob has no address: no Reply-To, and no promise that a reply reaches him');
  assert.ok(!mail.text.includes('Reply to this e-mail'));
});

forEachEngine(
  'the intro e-mail',
  (get, engine) => {
    const db = () => get().ctx.database.db;
    const deliver = () => deliverOutbox(get, engine, { options });
    const reset = async () => {
      smtp.mails.length = 0;
      smtp.refuse.clear();
      await db().deleteFrom('notifications').execute();
    };

    /** A mixer group whose members are these people; one round run: one meeting of all of them. */
    async function matched(tag: string, people: Array<{ key: string; name: string; firstName?: string }>) {
      const admin = await adminClient(get().app);
      const group = await admin.post('/api/v1/mixers/groups', { name: `Coffee ${tag}`, cron: '0 10 * * MON' });
      assert.equal(group.status, 201, JSON.stringify(group.body));
      for (const p of people) {
        const id = await insertPerson(db(), { username: `${engine}${p.key}`, name: p.name });
        if (p.firstName)
          await db().updateTable('people').set({ first_name: p.firstName }).where('id', '=', id).execute();
        const joined = await (await clientFor(get().app, db(), id)).post(
          `/api/v1/mixers/groups/${group.body.group.id}/join`,
        );
        assert.equal(joined.status, 200);
      }
      await runRound({
        db: db(),
        groupId: group.body.group.id,
        scheduledFor: new Date(),
        titlePattern: managerPattern('M'),
      });
      const run = await deliver();
      assert.equal(run.failed, 0);
      assert.equal(smtp.mails.length, people.length, 'one e-mail each');
    }

    test('a pair: "you both", the first name, Reply-To the other, settings link and List-Unsubscribe', async () => {
      await reset();
      await matched('pair', [
        { key: 'augusta', name: 'Augusta Ada King', firstName: 'Ada' },
        { key: 'bob', name: 'Bob Marley' },
      ]);
      const mail = mailTo(`${engine}augusta@`);
      assert.ok(mail);
      assert.ok(
        mail.text?.startsWith('Hello Ada, meet Bob Marley! Find a time that suits you both and say hello.'),
        mail.text,
      );
      assert.deepEqual(addressesOf(mail.replyTo), [`${engine}bob@example.org`]);
      assert.match(mail.text ?? '', /Reply to this e-mail to write to Bob Marley\./);
      assert.ok(mail.text?.includes(`Choose which messages you get: ${SETTINGS}`), mail.text);
      const unsubscribe = JSON.stringify(mail.headers.get('list'));
      assert.ok(unsubscribe.includes(SETTINGS), `List-Unsubscribe: ${unsubscribe}`);
      const html = String(mail.html);
      assert.ok(html.includes(`href="${SETTINGS}"`), 'the settings link is in the HTML part');
      assert.match(html, /max-width:600px/);
      assert.match(html, /Hello Ada, meet Bob Marley!/);
      assert.ok(!/<img|<link|@import/i.test(html), 'nothing external to load');
      // Bob has no first name in the directory: the first word of his name.
      assert.ok(mailTo(`${engine}bob@`)?.text?.startsWith('Hello Bob, meet Augusta Ada King!'));
    });

    test('a trio is never "you both", and a reply reaches both others', async () => {
      await reset();
      await matched('trio', [
        { key: 'tina', name: 'Tina Turner' },
        { key: 'uma', name: 'Uma Thurman' },
        { key: 'vic', name: 'Vic Reeves' },
      ]);
      for (const key of ['tina', 'uma', 'vic']) {
        const mail = mailTo(`${engine}${key}@`);
        assert.ok(mail, key);
        assert.ok(!mail.text?.includes('you both'), mail.text);
        assert.match(mail.text ?? '', /suits all three of you/);
        const others = ['tina', 'uma', 'vic'].filter((k) => k !== key).map((k) => `${engine}${k}@example.org`);
        assert.deepEqual(addressesOf(mail.replyTo), others.sort());
      }
    });

    test("a copy refused by the mail server makes the row failed, not 'sent', and says who got it", async () => {
      await reset();
      const ada = await insertPerson(db(), { username: `${engine}ada2`, name: 'Ada Two' });
      const bob = await insertPerson(db(), { username: `${engine}bob2`, name: 'Bob Two' });
      const assistant = await insertPerson(db(), { username: `${engine}pa2`, name: 'Pat Assistant' });
      await db().updateTable('people').set({ assistant_id: assistant }).where('id', '=', ada).execute();
      smtp.refuse.add(`${engine}pa2@example.org`);
      const { meetingId } = await createMeeting({ db: db(), title: 'Refused copy', participantIds: [ada, bob] });
      const run = await deliver();
      assert.equal(run.failed, 1);
      const rows = await notificationRows(db(), { meetingId, channel: 'email' });
      const adaRow = rows.find((r) => r.person_id === ada);
      assert.equal(adaRow?.status, 'failed');
      assert.match(adaRow?.last_error ?? '', new RegExp(`refused the copy to ${engine}pa2@example.org`));
      assert.match(adaRow?.last_error ?? '', new RegExp(`accepted ${engine}ada2@example.org`));
      assert.equal(rows.find((r) => r.person_id === bob)?.status, 'sent');
      assert.ok(mailTo(`${engine}ada2@`), 'Ada herself got it');
      assert.equal((await deliver()).sent, 0, 'not sent again to Ada');
    });

    test('the invitation of a meeting with a time: every line at most 75 octets, with non-ASCII names', async () => {
      await reset();
      const zoe = await insertPerson(db(), { username: `${engine}zoe`, name: 'Zoë Müller-Lüdenscheidt' });
      const jun = await insertPerson(db(), { username: `${engine}jun`, name: '山田 太郎' });
      const title = 'Café ☕ réunion — 日本語のミーティング 🎉 with Zoë Müller-Lüdenscheidt and 山田 太郎';
      await createMeeting({
        db: db(),
        title,
        participantIds: [zoe, jun],
        startsAt: new Date(Date.now() + 86_400_000).toISOString(),
        durationMinutes: 30,
      });
      assert.equal((await deliver()).failed, 0);
      const mail = mailTo(`${engine}zoe@`);
      const ics = mail?.attachments.find((a) => a.contentType.startsWith('text/calendar'));
      assert.ok(ics, 'an invitation is attached');
      const content = ics.content.toString('utf8');
      for (const line of content.split('\r\n')) assert.ok(octets(line) <= 75, `${octets(line)} octets: ${line}`);
      assert.ok(!content.includes('\uFFFD'), 'no character cut in two');
      assert.ok(unfold(content).split('\r\n').includes(`SUMMARY:${title}`), unfold(content));
    });
  },
  {
    publicUrl: 'https://convene.example.org',
    'notifications.email.smtpUrl': smtp.url,
    'notifications.email.from': 'Convene <convene@example.org>',
  },
);
