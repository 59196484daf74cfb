import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMeetings } from '../src/features/meetings/create.js';
import { upsertExternalMeeting } from '../src/features/meetings/external.js';
import { cancelMeeting } from '../src/features/meetings/service.js';
import { REMOVED_FROM_MEETING } from '../src/features/notifications/messages.js';
import { FakeSlack } from './helpers/fakeSlack.js';
import { deliverOutbox, failedWebhookRow, personOnSlack, startForFile, testOutboxOptions } from './helpers/outbox.js';
import { clientFor, insertPerson } from './helpers/people.js';
import { adminClient, type Client } from './helpers/server.js';
import { TestSmtp } from './helpers/smtp.js';
import { forEachEngine } from './helpers/suite.js';

const slack = await startForFile(new FakeSlack());
const smtp = await startForFile(new TestSmtp());

const options = testOutboxOptions({ batchSize: 25, concurrency: 4 });
const WEBHOOK_SECRET = `whsec_${Buffer.from('k'.repeat(32)).toString('base64')}`;

forEachEngine(
  'notification channels, messages and preferences',
  (get, engine) => {
    const db = () => get().ctx.database.db;
    let admin: Client;
    let adminId: string;
    const deliver = () => deliverOutbox(get, engine, { options });
    const notifications = () => db().selectFrom('notifications').selectAll().execute();
    const newGroup = async (name: string) => {
      const made = await admin.post('/api/v1/mixers/groups', { name, cron: '0 10 * * MON', timezone: 'UTC' });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      return made.body.group.id as string;
    };
    const join = async (groupId: string, personId: string) => {
      const joined = await (await clientFor(get().app, db(), personId)).post(`/api/v1/mixers/groups/${groupId}/join`);
      assert.equal(joined.status, 200, JSON.stringify(joined.body));
    };
    /** A meeting in a group (or none), with its intro messages queued as a round would. */
    const meeting = async (title: string, groupId: string | null, people: string[], startsAt: string | null = null) => {
      const group = groupId
        ? await db().selectFrom('groups').select('name').where('id', '=', groupId).executeTakeFirstOrThrow()
        : null;
      const made = await db()
        .transaction()
        .execute((trx) =>
          createMeetings(trx, [
            {
              source: 'manual',
              groupId,
              title,
              startsAt,
              participantIds: people,
              settings: groupId ? { origin: `group:${groupId}`, originName: group?.name ?? null } : {},
            },
          ]),
        );
      return made.ids[0] as string;
    };

    test('channels: listed with masked secrets; e-mail set up, tested, and config-managed Slack refused', async () => {
      admin = await adminClient(get().app);
      adminId = (await admin.get('/api/v1/me')).body.person.id;
      const listed = await admin.get('/api/v1/admin/channels');
      assert.equal(listed.status, 200);
      assert.deepEqual(
        listed.body.channels.map((c: { channel: string }) => c.channel),
        ['email', 'slack', 'mattermost', 'webhook'],
      );
      const slackView = listed.body.channels.find((c: { channel: string }) => c.channel === 'slack');
      assert.equal(slackView.source, 'config');
      assert.equal(slackView.enabled, true);
      assert.equal(slackView.secrets.token, `••••${slack.token.slice(-4)}`);
      assert.ok(!JSON.stringify(listed.body).includes(slack.token), 'the Slack token never leaves in full');

      const refused = await admin.put('/api/v1/admin/channels/slack', { enabled: false });
      assert.equal(refused.status, 409);
      assert.match(refused.body.error.message, /config file/);

      const missing = await admin.put('/api/v1/admin/channels/email', {
        enabled: true,
        from: 'Convene <c@example.org>',
      });
      assert.equal(missing.status, 400);
      assert.equal(missing.body.error.field, 'smtpUrl');
      const wrong = await admin.put('/api/v1/admin/channels/email', { enabled: true, smtpUrl: 'http://mail' });
      assert.equal(wrong.status, 400);
      assert.equal(wrong.body.error.field, 'smtpUrl');
      const unknown = await admin.put('/api/v1/admin/channels/email', { password: 'x' });
      assert.equal(unknown.status, 400);

      const saved = await admin.put('/api/v1/admin/channels/email', {
        enabled: true,
        smtpUrl: smtp.url,
        from: 'Convene <convene@example.org>',
      });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      assert.equal(saved.body.channel.source, 'admin');
      assert.equal(saved.body.channel.settings.from, 'Convene <convene@example.org>');
      // No password in it: the address is shown whole, so the admin sees which server it is.
      assert.equal(saved.body.channel.secrets.smtpUrl, smtp.url);

      // The admin has no e-mail address yet: the test says so instead of failing somewhere later,
      // and takes an address to send to instead.
      const noAddress = await admin.post('/api/v1/admin/channels/email/test');
      assert.equal(noAddress.status, 400);
      assert.equal(noAddress.body.error.field, 'to');
      assert.match(noAddress.body.error.message, /e-mail address/);
      smtp.mails.length = 0;
      const elsewhere = await admin.post('/api/v1/admin/channels/email/test', { to: `${engine}-ops@example.org` });
      assert.equal(elsewhere.status, 200, JSON.stringify(elsewhere.body));
      assert.equal(elsewhere.body.ok, true, elsewhere.body.message);
      const toOps = smtp.mails.find((m) => JSON.stringify(m.to).includes(`${engine}-ops@example.org`));
      assert.ok(toOps, 'the test message went to the address given');
      // No meeting page for a test: its link opens the meetings list, not a page that does not exist.
      const link = /Meeting page: (\S+)/.exec(toOps.text ?? '')?.[1] ?? '';
      assert.match(link, /\/meetings\/$/, link);
      const opsOnSlack = await admin.post('/api/v1/admin/channels/slack/test', { to: `${engine}-ops@example.org` });
      assert.equal(opsOnSlack.body.ok, false);
      assert.match(opsOnSlack.body.message, /not? (be )?found|users_not_found/i);
      slack.addUser(`${engine}-ops@example.org`);
      const opsFound = await admin.post('/api/v1/admin/channels/slack/test', { to: `${engine}-ops@example.org` });
      assert.equal(opsFound.body.ok, true, opsFound.body.message);
      assert.match(opsFound.body.message, new RegExp(`Sent to ${engine}-ops@example.org`));
      await db()
        .updateTable('people')
        .set({ email: `${engine}-admin@example.org` })
        .where('id', '=', adminId)
        .execute();

      smtp.mails.length = 0;
      const tested = await admin.post('/api/v1/admin/channels/email/test');
      assert.equal(tested.status, 200, JSON.stringify(tested.body));
      assert.equal(tested.body.ok, true, tested.body.message);
      const mail = smtp.mails.find((m) => JSON.stringify(m.to).includes(`${engine}-admin@example.org`));
      assert.ok(mail, 'the test message arrived');
      assert.match(mail.subject ?? '', /Test message from Convene/);

      smtp.refuse.add(`${engine}-admin@example.org`);
      const bounced = await admin.post('/api/v1/admin/channels/email/test');
      smtp.refuse.clear();
      assert.equal(bounced.status, 200);
      assert.equal(bounced.body.ok, false);
      assert.match(bounced.body.message, /mailbox|550/i);

      const notOnSlack = await admin.post('/api/v1/admin/channels/slack/test');
      assert.equal(notOnSlack.body.ok, false);
      slack.addUser(`${engine}-admin@example.org`);
      const posted = slack.posts.length;
      const viaSlack = await admin.post('/api/v1/admin/channels/slack/test');
      assert.equal(viaSlack.body.ok, true, viaSlack.body.message);
      assert.equal(slack.posts.length, posted + 1);
      assert.match(JSON.stringify(slack.posts.at(-1)), /Test message from Convene/);

      const off = await admin.post('/api/v1/admin/channels/mattermost/test');
      assert.equal(off.status, 409);

      const audit = await db().selectFrom('audit_log').select(['action', 'data']).execute();
      assert.ok(audit.some((a) => a.action === 'channel.update'));
      assert.ok(audit.some((a) => a.action === 'channel.test'));
      assert.ok(!JSON.stringify(audit).includes(smtp.url), 'no secret in the audit log');
    });

    test('webhook secrets: validated, masked, and a blank one keeps the stored secret only at the same URL', async () => {
      const bad = await admin.put('/api/v1/admin/channels/webhook', { url: 'https://h.example.org', secret: 'abc' });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.field, 'secret');
      const saved = await admin.put('/api/v1/admin/channels/webhook', {
        enabled: false,
        url: 'https://hooks.example.org/convene',
        secret: WEBHOOK_SECRET,
      });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      // A new URL would receive the stored secret on the next send (or "Send a test message").
      const moved = await admin.put('/api/v1/admin/channels/webhook', {
        url: 'https://attacker.example.net/hook',
        secret: '',
      });
      assert.equal(moved.status, 400);
      assert.equal(moved.body.error.field, 'secret');
      assert.match(moved.body.error.message, /again/);
      const sameUrl = await admin.put('/api/v1/admin/channels/webhook', {
        url: 'https://hooks.example.org/convene',
        secret: '',
      });
      assert.equal(sameUrl.status, 200, 'the same address keeps the stored secret');
      const kept = await admin.put('/api/v1/admin/channels/webhook', {
        url: 'https://hooks.example.org/v2',
        secret: WEBHOOK_SECRET,
      });
      assert.equal(kept.status, 200);
      assert.deepEqual(
        kept.body.channel.fields.find((f: { name: string }) => f.name === 'url').secretsBound,
        ['secret'],
        'the page can say which secret a new address needs',
      );
      for (const body of [saved.body, kept.body, (await admin.get('/api/v1/admin/channels')).body]) {
        const text = JSON.stringify(body);
        assert.ok(!text.includes(WEBHOOK_SECRET) && !text.includes(WEBHOOK_SECRET.slice(6, 30)), text);
      }
      const row = await db()
        .selectFrom('channel_settings')
        .selectAll()
        .where('channel', '=', 'webhook')
        .executeTakeFirstOrThrow();
      assert.equal(JSON.parse(row.secrets).secret, WEBHOOK_SECRET);
      assert.equal(JSON.parse(row.settings).url, 'https://hooks.example.org/v2');
      assert.equal(row.enabled, 0);
      // Stays off: the other engineers' webhook sender is not what this suite tests.
    });

    test('a new Mattermost server URL needs the token again; leaving the URL out keeps it', async () => {
      const saved = await admin.put('/api/v1/admin/channels/mattermost', {
        enabled: false,
        url: 'https://chat.example.org',
        token: 'mattermost-token-0123456789',
      });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      const moved = await admin.put('/api/v1/admin/channels/mattermost', { url: 'https://evil.example.net' });
      assert.equal(moved.status, 400);
      assert.equal(moved.body.error.field, 'token');
      const row = async () =>
        db().selectFrom('channel_settings').selectAll().where('channel', '=', 'mattermost').executeTakeFirstOrThrow();
      assert.equal(JSON.parse((await row()).settings).url, 'https://chat.example.org', 'nothing was saved');
      assert.equal((await admin.put('/api/v1/admin/channels/mattermost', { enabled: false })).status, 200);
      const both = await admin.put('/api/v1/admin/channels/mattermost', {
        url: 'https://chat2.example.org',
        token: 'mattermost-token-abcdefghij',
      });
      assert.equal(both.status, 200);
      assert.equal(JSON.parse((await row()).secrets).token, 'mattermost-token-abcdefghij');
    });

    test('messages: chat readers the chat did not find are marked, and a reminder says when it is due', async () => {
      await db().deleteFrom('notifications').execute();
      const found = await insertPerson(db(), { username: `${engine}found`, name: 'Found Reader' });
      const missed = await insertPerson(db(), { username: `${engine}missed`, name: 'Missed Reader' });
      slack.addUser(`${engine}found@example.org`);
      const startsAt = new Date(Date.now() + 21 * 86_400_000).toISOString();
      await meeting('Marked', null, [found, missed], startsAt);
      await deliver();
      const onSlack = await admin.get('/api/v1/admin/messages?channel=slack&kind=intro');
      assert.equal(onSlack.body.messages.length, 1);
      const [row] = onSlack.body.messages;
      assert.equal(row.status, 'sent');
      assert.deepEqual(row.recipients.sort(), ['Found Reader', 'Missed Reader']);
      assert.deepEqual(row.notFound, ['Missed Reader']);
      const byMail = await admin.get('/api/v1/admin/messages?channel=email&kind=intro');
      for (const d of byMail.body.messages) assert.deepEqual(d.notFound, []);
      const reminders = await admin.get('/api/v1/admin/messages?kind=reminder&status=pending');
      assert.ok(reminders.body.messages.length >= 1);
      for (const d of reminders.body.messages) {
        assert.equal(d.nextAttemptAt, new Date(Date.parse(startsAt) - 15 * 60_000).toISOString());
      }
    });

    test('messages: filters, counts, resend of a failed row until it is delivered, refusals', async () => {
      await db().deleteFrom('notifications').execute();
      const groupId = await newGroup(`Messages ${engine}`);
      const ann = await personOnSlack(db(), slack, { username: `${engine}ann`, name: 'Ann Message' });
      const ben = await personOnSlack(db(), slack, { username: `${engine}ben`, name: 'Ben Message' });
      const inGroup = await meeting('Group chat', groupId, [ann, ben]);
      await meeting('Loose chat', null, [ann, ben]);
      smtp.refuse.add(`${engine}ben@example.org`);
      await deliver();
      smtp.refuse.clear();

      // Intros only: a group may queue its "did you meet?" follow-ups for later as well.
      const all = await admin.get('/api/v1/admin/messages?kind=intro');
      assert.equal(all.status, 200);
      assert.equal(all.body.total, 6);
      assert.deepEqual(all.body.counts, { pending: 0, sending: 0, sent: 4, failed: 2, skipped: 0 });
      const failed = await admin.get('/api/v1/admin/messages?status=failed&kind=intro');
      assert.equal(failed.body.messages.length, 2);
      for (const d of failed.body.messages) {
        assert.deepEqual(d.recipients, ['Ben Message']);
        assert.equal(d.channel, 'email');
        assert.match(d.lastError, /mailbox|550/i);
      }
      const grouped = await admin.get(`/api/v1/admin/messages?group=${groupId}&status=failed&kind=intro`);
      assert.equal(grouped.body.messages.length, 1);
      assert.equal(grouped.body.messages[0].meetingId, inGroup);
      assert.equal(grouped.body.messages[0].groupName, `Messages ${engine}`);
      assert.deepEqual(grouped.body.counts, { pending: 0, sending: 0, sent: 2, failed: 1, skipped: 0 });
      const slackOnly = await admin.get('/api/v1/admin/messages?channel=slack&kind=intro');
      assert.equal(slackOnly.body.total, 2);
      assert.deepEqual(slackOnly.body.messages[0].recipients.sort(), ['Ann Message', 'Ben Message']);
      assert.equal((await admin.get('/api/v1/admin/messages?kind=reminder')).body.total, 0);
      assert.equal((await admin.get('/api/v1/admin/messages?page=2')).body.messages.length, 0);

      const sent = all.body.messages.find((d: { status: string }) => d.status === 'sent');
      assert.equal((await admin.post(`/api/v1/admin/messages/${sent.id}/resend`)).status, 409);
      assert.equal((await admin.post('/api/v1/admin/messages/nope/resend')).status, 404);

      const one = grouped.body.messages[0];
      const resent = await admin.post(`/api/v1/admin/messages/${one.id}/resend`);
      assert.equal(resent.status, 200, JSON.stringify(resent.body));
      const pending = (await notifications()).find((r) => r.id === one.id);
      assert.equal(pending?.status, 'pending');
      assert.equal(pending?.attempts, 0);
      assert.match(pending?.last_error ?? '', /mailbox|550/i, 'the error stays until it sends');
      assert.equal((await admin.post(`/api/v1/admin/messages/${one.id}/resend`)).status, 409, 'already queued');
      smtp.mails.length = 0;
      const run = await deliver();
      assert.equal(run.sent, 1);
      const delivered = (await notifications()).find((r) => r.id === one.id);
      assert.equal(delivered?.status, 'sent');
      assert.equal(delivered?.last_error, null);
      assert.ok(smtp.mails.some((m) => JSON.stringify(m.to).includes(`${engine}ben@`)));

      // The other failure, through "resend all failed" for e-mail.
      const everything = await admin.post('/api/v1/admin/messages/resend', { status: 'failed', channel: 'email' });
      assert.equal(everything.status, 200);
      assert.equal(everything.body.resent, 1);
      assert.equal((await deliver()).sent, 1);
      assert.equal((await admin.get('/api/v1/admin/messages?status=failed')).body.total, 0);
      const none = await admin.post('/api/v1/admin/messages/resend', { status: 'failed', group: groupId });
      assert.equal(none.body.resent, 0);
    });

    test('"resend all failed" takes more than one page of them, and leaves those of a cancelled meeting failed', async () => {
      await db().deleteFrom('notifications').execute();
      const ann = await insertPerson(db(), { username: `${engine}page-ann` });
      const ben = await insertPerson(db(), { username: `${engine}page-ben` });
      const [on, off] = (
        await createMeetings(db(), [
          { source: 'manual', title: 'Still on', startsAt: null, durationMinutes: null, participantIds: [ann, ben] },
          { source: 'manual', title: 'Called off', startsAt: null, durationMinutes: null, participantIds: [ann, ben] },
        ])
      ).ids as [string, string];
      await db().updateTable('meetings').set({ status: 'cancelled' }).where('id', '=', off).execute();
      await db().deleteFrom('notifications').execute();
      const failed = (meetingId: string, i: number) =>
        failedWebhookRow({ key: `${engine}-page-${meetingId}-${i}`, meetingId, title: 'x' });
      const rows = [...Array.from({ length: 1_203 }, (_, i) => failed(on, i)), ...[0, 1, 2].map((i) => failed(off, i))];
      for (let i = 0; i < rows.length; i += 200)
        await db()
          .insertInto('notifications')
          .values(rows.slice(i, i + 200))
          .execute();
      const all = await admin.post('/api/v1/admin/messages/resend', { status: 'failed' });
      assert.equal(all.status, 200, JSON.stringify(all.body));
      assert.equal(all.body.resent, 1_203, "three pages of 500 and the rest, but not the cancelled meeting's");
      const still = await db()
        .selectFrom('notifications')
        .select('meeting_id')
        .where('status', '=', 'failed')
        .execute();
      assert.deepEqual(
        still.map((r) => r.meeting_id),
        [off, off, off],
      );
    });

    test("messages: removals apart from cancellations, one meeting's messages, every origin that has messages", async () => {
      await db().deleteFrom('notifications').execute();
      const groupId = await newGroup(`Origins ${engine}`);
      const [ann, ben, cat] = (await Promise.all(
        ['ann', 'ben', 'cat'].map((n) => insertPerson(db(), { username: `${engine}rm-${n}`, name: `${n} Removal` })),
      )) as [string, string, string];
      const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
      // From outside (an "hr-tool" API caller): moved, then Ben taken out while it goes on for Ann.
      const external = {
        source: 'hr-tool',
        externalId: `${engine}-rm-1`,
        title: 'Interview loop',
        durationMinutes: 30,
        settings: { origin: 'source:hr-tool', originName: 'hr-tool' },
      };
      const made = await upsertExternalMeeting({
        db: db(),
        meeting: { ...external, startsAt: inDays(3), participantIds: [ann, ben], updatedAt: '2026-01-01T10:00:00Z' },
      });
      const outside = made.meetingId;
      // Its intros go out: the move and the removal are news to people who heard of it.
      await deliver();
      await upsertExternalMeeting({
        db: db(),
        meeting: { ...external, startsAt: inDays(4), participantIds: [ann, ben], updatedAt: '2026-01-01T11:00:00Z' },
      });
      const startsAt = (
        await db().selectFrom('meetings').select('starts_at').where('id', '=', outside).executeTakeFirstOrThrow()
      ).starts_at;
      await upsertExternalMeeting({
        db: db(),
        meeting: { ...external, startsAt, participantIds: [ann], updatedAt: '2026-01-01T12:00:00Z' },
      });
      // A group's meeting, then called off as a whole; an unconference session's.
      const calledOff = await meeting('Called off', groupId, [ann, cat], inDays(5));
      await createMeetings(db(), [
        {
          source: 'unconference',
          title: 'Session on queues',
          startsAt: inDays(6),
          durationMinutes: 30,
          participantIds: [cat],
          settings: { origin: `event:${engine}-conf`, originName: 'DevConf' },
        },
      ]);
      await deliver();
      await cancelMeeting({ db: db(), meetingId: calledOff });

      type Row = {
        id: string;
        kind: string;
        channel: string;
        meetingId: string;
        recipients: string[];
        status: string;
        canResend: boolean;
        resendBlocked: string | null;
        lastError: string | null;
      };
      const list = async (query: string) => {
        const answer = await admin.get(`/api/v1/admin/messages?${query}`);
        assert.equal(answer.status, 200, JSON.stringify(answer.body));
        return answer.body as { messages: Row[]; total: number; meeting?: { id: string; title: string } | null };
      };
      const removals = await list('kind=removal');
      assert.ok(removals.total >= 1, 'Ben is told he was removed');
      for (const row of removals.messages) {
        assert.equal(row.kind, 'removal');
        assert.equal(row.meetingId, outside);
      }
      assert.ok(removals.messages.some((r) => r.channel === 'email' && r.recipients.join() === 'ben Removal'));
      const cancellations = await list('kind=cancel');
      assert.ok(cancellations.total >= 1, 'the called-off meeting is cancelled for those an intro reached');
      for (const row of cancellations.messages) {
        assert.equal(row.kind, 'cancel');
        assert.equal(row.meetingId, calledOff, 'no removal notice among the cancellations');
      }
      const unfiltered = await list('');
      assert.equal(unfiltered.messages.filter((r) => r.kind === 'removal').length, removals.total);

      // One meeting: only its messages, and its title to name the filter.
      const about = await list(`meeting=${outside}`);
      assert.deepEqual(about.meeting, { id: outside, title: 'Interview loop' });
      assert.ok(about.total > removals.total);
      for (const row of about.messages) assert.equal(row.meetingId, outside);
      const aboutRemovals = await list(`meeting=${outside}&kind=removal`);
      assert.equal(aboutRemovals.total, removals.total);
      assert.equal((await list(`meeting=${calledOff}&kind=removal`)).total, 0);
      assert.equal((await list('meeting=no-such-meeting')).meeting, null);
      assert.equal((await admin.get('/api/v1/admin/messages?kind=removed')).status, 400);

      // Ben's reminders, skipped by the move and then by his removal: both say he was removed,
      // and neither is sent again (the meeting goes on: the outbox would send it).
      const bens = (await list(`meeting=${outside}&kind=reminder&channel=email&status=skipped`)).messages.filter(
        (r) => r.recipients.join() === 'ben Removal',
      );
      assert.equal(bens.length, 2, JSON.stringify(bens));
      for (const row of bens) {
        assert.equal(row.resendBlocked, REMOVED_FROM_MEETING);
        assert.equal(row.canResend, false);
        const refused = await admin.post(`/api/v1/admin/messages/${row.id}/resend`);
        assert.equal(refused.status, 409);
        assert.match(refused.body.error.message, /not sent again: they were removed from the meeting/);
      }
      // Ann's reminder skipped by the move is still refused for the move itself.
      const anns = (await list(`meeting=${outside}&kind=reminder&channel=email&status=skipped`)).messages.filter(
        (r) => r.recipients.join() === 'ann Removal',
      );
      assert.ok(anns.length >= 1);
      for (const row of anns) assert.notEqual(row.resendBlocked, REMOVED_FROM_MEETING);

      // Every origin with messages, by name: the group, the unconference, the source.
      const origins = await admin.get('/api/v1/admin/messages/origins');
      assert.equal(origins.status, 200, JSON.stringify(origins.body));
      const listed = origins.body.origins as Array<{ origin: string; type: string; name: string; count: number }>;
      assert.deepEqual(
        listed.map(({ origin, type, name }) => ({ origin, type, name })),
        [
          { origin: `group:${groupId}`, type: 'group', name: `Origins ${engine}` },
          { origin: `event:${engine}-conf`, type: 'event', name: 'DevConf' },
          { origin: 'source:hr-tool', type: 'source', name: 'hr-tool' },
        ],
      );
      for (const o of listed) assert.equal(o.count, (await list(`origin=${encodeURIComponent(o.origin)}`)).total);
      assert.equal((await list('origin=source%3Ahr-tool')).total, about.total);

      // "Resend all failed" keeps to the filters: one meeting's failures only.
      await db()
        .updateTable('notifications')
        .set({ status: 'failed', last_error: 'down' })
        .where('kind', '=', 'intro')
        .execute();
      const failedOutside = (await list(`meeting=${outside}&status=failed`)).total;
      const failedAll = (await list('status=failed')).total;
      assert.ok(failedOutside >= 1 && failedAll > failedOutside);
      const resent = await admin.post('/api/v1/admin/messages/resend', { status: 'failed', meeting: outside });
      assert.equal(resent.status, 200, JSON.stringify(resent.body));
      // Ben's intro is not sent again: he was removed.
      assert.equal(resent.body.resent, failedOutside - 1);
      assert.equal((await list('status=failed')).total, failedAll - resent.body.resent);
    });

    test('members get 403 on every admin route', async () => {
      const member = await clientFor(get().app, db(), await insertPerson(db(), { username: `${engine}nosy` }));
      for (const [method, url, body] of [
        ['GET', '/api/v1/admin/channels'],
        ['PUT', '/api/v1/admin/channels/email', { enabled: false }],
        ['POST', '/api/v1/admin/channels/email/test'],
        ['GET', '/api/v1/admin/messages'],
        ['GET', '/api/v1/admin/messages/unreachable'],
        ['POST', '/api/v1/admin/messages/x/resend'],
        ['POST', '/api/v1/admin/messages/resend', { status: 'failed' }],
      ] as const) {
        const answer = await member.request(method, url, body);
        assert.equal(answer.status, 403, `${method} ${url}`);
      }
      const anonymous = await new (admin.constructor as typeof Client)(get().app).prime();
      assert.equal((await anonymous.get('/api/v1/me/notifications')).status, 401);
    });

    test('preferences round-trip and decide what announceMeetings queues', async () => {
      await db().deleteFrom('notifications').execute();
      const groupId = await newGroup(`Prefs ${engine}`);
      const otherGroup = await newGroup(`Not mine ${engine}`);
      const cleo = await insertPerson(db(), { username: `${engine}cleo`, name: 'Cleo Prefs' });
      const dan = await insertPerson(db(), { username: `${engine}dan`, name: 'Dan Prefs' });
      await join(groupId, cleo);
      const me = await clientFor(get().app, db(), cleo);

      const initial = await me.get('/api/v1/me/notifications');
      assert.equal(initial.status, 200);
      assert.deepEqual(
        initial.body.channels.map((c: { channel: string }) => c.channel),
        ['email', 'slack'],
        'only enabled channels that reach a person',
      );
      assert.deepEqual(initial.body.defaults, { email: true, slack: true });
      assert.deepEqual(initial.body.origins, [{ origin: `group:${groupId}`, name: `Prefs ${engine}`, override: null }]);

      const badChannel = await me.put('/api/v1/me/notifications', { defaults: { sms: true } });
      assert.equal(badChannel.status, 400);
      assert.equal(badChannel.body.error.field, 'defaults.sms');
      const disabledChannel = await me.put('/api/v1/me/notifications', { defaults: { mattermost: true } });
      assert.equal(disabledChannel.status, 400);
      const badGroup = await me.put('/api/v1/me/notifications', {
        origins: [{ origin: `group:${otherGroup}`, override: null }],
      });
      assert.equal(badGroup.status, 400);
      assert.equal(badGroup.body.error.field, 'origins[0].origin');

      const saved = await me.put('/api/v1/me/notifications', {
        defaults: { slack: false },
        origins: [{ origin: `group:${groupId}`, override: { slack: true } }],
      });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      assert.deepEqual(saved.body.defaults, { email: true, slack: false });
      assert.deepEqual(saved.body.origins[0].override, { email: false, slack: true });
      assert.deepEqual((await me.get('/api/v1/me/notifications')).body, saved.body);

      const grouped = await meeting('In the group', groupId, [cleo, dan]);
      const loose = await meeting('Outside groups', null, [cleo, dan]);
      const rows = (await notifications()).filter((r) => r.kind === 'intro');
      const emailTo = (m: string) =>
        rows.filter((r) => r.meeting_id === m && r.channel === 'email').map((r) => r.person_id);
      const slackReaders = (m: string) =>
        JSON.parse(rows.find((r) => r.meeting_id === m && r.channel === 'slack')?.payload ?? '{}').readers ?? [];
      assert.deepEqual(emailTo(grouped), [dan], 'Cleo chose Slack only for this group');
      assert.deepEqual(slackReaders(grouped).sort(), [cleo, dan].sort());
      assert.deepEqual(emailTo(loose).sort(), [cleo, dan].sort());
      assert.deepEqual(slackReaders(loose), [dan], 'Cleo turned Slack off by default');

      const back = await me.put('/api/v1/me/notifications', {
        origins: [{ origin: `group:${groupId}`, override: null }],
      });
      assert.equal(back.body.origins[0].override, null);
    });

    test('unreachable people, with the reason', async () => {
      await db().deleteFrom('notifications').execute();
      const groupId = await newGroup(`Reach ${engine}`);
      const mute = await insertPerson(db(), { username: `${engine}mute`, name: 'Mute Person' });
      const noMail = await insertPerson(db(), { username: `${engine}nomail`, name: 'No Mail', email: null });
      const ghost = await insertPerson(db(), { username: `${engine}ghost`, name: 'Ghost Slack' });
      const fine = await insertPerson(db(), { username: `${engine}fine`, name: 'Fine Person' });
      const gone = await insertPerson(db(), { username: `${engine}gone`, name: 'Gone Person', email: null });
      for (const id of [mute, noMail, ghost, fine, gone]) await join(groupId, id);
      await db().updateTable('people').set({ enabled: 0 }).where('id', '=', gone).execute();
      const muted = await (await clientFor(get().app, db(), mute)).put('/api/v1/me/notifications', {
        defaults: { email: false, slack: false },
      });
      assert.equal(muted.status, 200);
      // Bounced by e-mail (550) and not on Slack: nothing reaches them.
      const lost = await insertPerson(db(), { username: `${engine}lost`, name: 'Lost Person' });
      // Chose Slack only, and Slack found nobody in their meeting (the row failed as a whole).
      const slackOnly = await insertPerson(db(), { username: `${engine}slackonly`, name: 'Slack Only' });
      // Bounced by e-mail, but Slack reaches them.
      const bounce = await insertPerson(db(), { username: `${engine}bounce`, name: 'Bounce Person' });
      const onlySlack = await (await clientFor(get().app, db(), slackOnly)).put('/api/v1/me/notifications', {
        defaults: { email: false },
      });
      assert.equal(onlySlack.status, 200);
      slack.addUser(`${engine}fine@example.org`);
      slack.addUser(`${engine}bounce@example.org`);
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
      await meeting('Slack lookup', null, [fine, ghost], tomorrow);
      await meeting('Lost', null, [lost, fine], tomorrow);
      await meeting('Nobody on Slack', null, [slackOnly], tomorrow);
      await meeting('Bounce', null, [bounce, fine], tomorrow);
      smtp.refuse.add(`${engine}lost@example.org`);
      smtp.refuse.add(`${engine}bounce@example.org`);
      await deliver();
      smtp.refuse.clear();

      const answer = await admin.get('/api/v1/admin/messages/unreachable');
      assert.equal(answer.status, 200);
      type Entry = { name: string; reasons: string[]; warnings: string[] };
      const byName = new Map<string, Entry>(answer.body.people.map((p: Entry) => [p.name, p]));
      const warned = new Map<string, Entry>(answer.body.warned.map((p: Entry) => [p.name, p]));
      assert.match(byName.get('Mute Person')?.reasons.join(' ') ?? '', /turn every channel off/);
      assert.match(byName.get('No Mail')?.reasons.join(' ') ?? '', /no e-mail address/);
      const lostReasons = byName.get('Lost Person')?.reasons.join(' ') ?? '';
      assert.match(lostReasons, /Slack found no account/);
      assert.match(lostReasons, /E-mail could not deliver: .*(550|mailbox)/i);
      assert.match(byName.get('Slack Only')?.reasons.join(' ') ?? '', /Slack could not deliver: Nobody/);
      // Reachable by e-mail: a warning about Slack, not an unreachable person.
      assert.ok(!byName.has('Ghost Slack'), 'e-mail reaches Ghost');
      assert.match(warned.get('Ghost Slack')?.warnings.join(' ') ?? '', /Slack found no account/);
      assert.ok(!byName.has('Bounce Person'), 'Slack reaches Bounce');
      assert.match(warned.get('Bounce Person')?.warnings.join(' ') ?? '', /E-mail could not deliver/);
      assert.ok(!byName.has('Fine Person') && !warned.has('Fine Person'));
      assert.ok(!byName.has('Gone Person'), 'disabled people are not listed');
      assert.equal(answer.body.total, answer.body.people.length);
      assert.equal(answer.body.warnedTotal, answer.body.warned.length);

      // A later message that gets through clears the old failure.
      await meeting('Lost again', null, [lost], tomorrow);
      await deliver();
      const after = await admin.get('/api/v1/admin/messages/unreachable');
      assert.ok(!after.body.people.some((p: Entry) => p.name === 'Lost Person'));
    });
  },
  {
    'notifications.slack.token': slack.token,
    'notifications.slack.apiUrl': slack.url,
  },
);
