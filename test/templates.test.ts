import assert from 'node:assert/strict';
import { test } from 'node:test';
import { managerPattern } from '../src/features/mixers/eligibility.js';
import { runRound } from '../src/features/mixers/rounds.js';
import { renderTemplate, templateProblem } from '../src/features/notifications/templates.js';
import { FakeSlack } from './helpers/fakeSlack.js';
import { deliverOutbox, startForFile, testOutboxOptions } from './helpers/outbox.js';
import { clientFor, insertPerson } from './helpers/people.js';
import { adminClient } from './helpers/server.js';
import { TestSmtp } from './helpers/smtp.js';
import { forEachEngine } from './helpers/suite.js';

const slack = await startForFile(new FakeSlack());
const smtp = await startForFile(new TestSmtp());

const options = testOutboxOptions();

test('templates: known variables only, no raw output, no partials; plain-text rendering', () => {
  assert.equal(templateProblem('Hi {{first_name}}, meet {{others}}{{#room_url}} at {{room_url}}{{/room_url}}.'), null);
  assert.match(templateProblem('Hi {{nme}}') ?? '', /unknown variable \{\{nme\}\}/);
  assert.match(templateProblem('{{#name}} unclosed') ?? '', /not a valid template/);
  assert.match(templateProblem('{{{name}}}') ?? '', /\{\{name\}\}/);
  assert.match(templateProblem('{{> header}}') ?? '', /unsupported/);
  const values = {
    name: '<b>Ada</b>',
    first_name: 'Ada',
    others: 'Bob',
    names: 'Ada and Bob',
    group: 'G',
    title: 'T',
    time: '',
    room_url: '',
    meeting_url: 'https://x/m',
    lead_minutes: '15',
  };
  assert.equal(renderTemplate('Hi {{name}}{{#room_url}} {{room_url}}{{/room_url}}', values), 'Hi <b>Ada</b>');
});

forEachEngine(
  'group message templates',
  (get, engine) => {
    const db = () => get().ctx.database.db;

    test('an unknown variable or a broken template is refused at save, naming the field and the variable', async () => {
      const admin = await adminClient(get().app);
      const bad = await admin.post('/api/v1/mixers/groups', {
        name: 'Bad template',
        cron: '0 10 * * MON',
        introTemplate: 'Hello {{firstname}}!',
      });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.field, 'introTemplate');
      assert.match(bad.body.error.message, /introTemplate.*\{\{firstname\}\}/);
      const created = await admin.post('/api/v1/mixers/groups', { name: 'Good template', cron: '0 10 * * MON' });
      assert.equal(created.status, 201);
      const id = created.body.group.id;
      const broken = await admin.patch(`/api/v1/mixers/groups/${id}`, { reminderTemplate: '{{#time}}at {{time}}' });
      assert.equal(broken.status, 400);
      assert.equal(broken.body.error.field, 'reminderTemplate');
      const long = await admin.patch(`/api/v1/mixers/groups/${id}`, { followUpTemplate: 'x'.repeat(2001) });
      assert.equal(long.status, 400);
      assert.equal(long.body.error.field, 'followUpTemplate');
      const saved = await admin.patch(`/api/v1/mixers/groups/${id}`, {
        reminderTemplate: '{{title}} starts in {{lead_minutes}} minutes',
        followUpDays: 7,
        reminderMinutes: 10,
        chatChannel: 'slack:C0123ABC',
      });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      assert.equal(saved.body.group.reminderTemplate, '{{title}} starts in {{lead_minutes}} minutes');
      assert.equal(saved.body.group.followUpDays, 7);
      assert.equal(saved.body.group.reminderMinutes, 10);
      assert.equal(saved.body.group.chatChannel, 'slack:C0123ABC');
      const off = await admin.patch(`/api/v1/mixers/groups/${id}`, { followUpDays: null, chatChannel: null });
      assert.equal(off.body.group.followUpDays, null);
    });

    test('variables are rendered in e-mail and Slack, and a name with markup stays text', async () => {
      smtp.mails.length = 0;
      slack.reset();
      const admin = await adminClient(get().app);
      const group = await admin.post('/api/v1/mixers/groups', {
        name: 'Tea & <Talk>',
        cron: '0 10 * * MON',
        introTemplate: 'Hi {{first_name}}! You and {{others}} are paired in {{group}}. Page: {{meeting_url}}',
      });
      assert.equal(group.status, 201, JSON.stringify(group.body));
      const people = [
        { username: `${engine}eve`, name: '<script>alert(1)</script> Eve' },
        { username: `${engine}fay`, name: 'Fay *Bold* Smith' },
      ];
      for (const p of people) {
        const id = await insertPerson(db(), p);
        slack.addUser(`${p.username}@example.org`);
        await (await clientFor(get().app, db(), id)).post(`/api/v1/mixers/groups/${group.body.group.id}/join`);
      }
      const round = await runRound({
        db: db(),
        groupId: group.body.group.id,
        scheduledFor: new Date(),
        titlePattern: managerPattern('Manager'),
      });
      const meeting = await db()
        .selectFrom('meetings')
        .select('id')
        .where('round_id', '=', round.roundId)
        .executeTakeFirstOrThrow();
      await deliverOutbox(get, engine, { options });
      const toFay = smtp.mails.find((m) => m.to && JSON.stringify(m.to).includes(`${engine}fay@`));
      assert.ok(toFay, 'Fay got the intro');
      assert.ok(
        toFay.text?.startsWith(
          `Hi Fay! You and <script>alert(1)</script> Eve are paired in Tea & <Talk>. Page: https://convene.example.org/meetings/${meeting.id}`,
        ),
        toFay.text,
      );
      const html = String(toFay.html);
      assert.ok(!html.includes('<script>'), 'no markup from a name');
      assert.match(html, /You and &lt;script&gt;alert\(1\)&lt;\/script&gt; Eve are paired in Tea &amp; &lt;Talk&gt;/);
      assert.match(html, /<strong>Who<\/strong>/, 'the structured part stays');

      const post = slack.posts[0];
      assert.ok(post);
      const opening = JSON.stringify(post.blocks[1]);
      assert.ok(opening.includes('Hi &lt;script&gt;alert(1)&lt;/script&gt; and Fay!'), 'shared: everyone is named');
      assert.ok(opening.includes('&lt;script&gt;alert(1)&lt;/script&gt; Eve'), opening);
      assert.ok(opening.includes('Tea &amp; &lt;Talk&gt;'), opening);
      assert.ok(!opening.includes('<script>'));
    });
  },
  {
    publicUrl: 'https://convene.example.org',
    'notifications.email.smtpUrl': smtp.url,
    'notifications.email.from': 'Convene <convene@example.org>',
    'notifications.slack.token': slack.token,
    'notifications.slack.apiUrl': slack.url,
  },
);
