import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ParsedMail } from 'mailparser';
import { cancelByExternalId, upsertExternalMeeting } from '../src/features/meetings/external.js';
import { sourceOrigin } from '../src/features/meetings/settings.js';
import type { NotificationPayload, PayloadPerson } from '../src/features/notifications/payload.js';
import { formatTime, renderEmail, renderSlack } from '../src/features/notifications/render.js';
import { renderMattermost } from '../src/features/notifications/renderMattermost.js';
import { videoRooms } from '../src/integrations/jitsi.js';
import { hookReceiver } from './helpers/hookReceiver.js';
import { deliverOutbox, notificationRows, startForFile, testOutboxOptions } from './helpers/outbox.js';
import { insertPerson } from './helpers/people.js';
import { adminClient } from './helpers/server.js';
import { TestSmtp } from './helpers/smtp.js';
import { forEachEngine } from './helpers/suite.js';

const smtp = await startForFile(new TestSmtp());
const options = testOutboxOptions();
const inHours = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();

/** A webhook receiver that keeps each event's body. */
const { url: hookUrl, received: events } = await hookReceiver(
  (request) => JSON.parse(request.body) as { type: string; data: Record<string, any> },
);

const ctx = {
  publicUrl: 'https://convene.example.org',
  video: videoRooms({ provider: 'jitsi', jitsi: { baseUrl: 'https://meet.jit.si' } }),
};
const person = (id: string, name: string, timezone = 'UTC'): PayloadPerson => ({
  id,
  name,
  email: `${id}@example.org`,
  timezone,
  title: null,
  team: null,
});
const ada = person('ada', 'Ada Lovelace', 'Europe/Paris');
const bob = person('bob', 'Bob Marley');
const cyd = person('cyd', 'Cyd Charisse');

/** A 42 evaluation's intro as the queue makes it: a time, a room, the source's name, no mixer group. */
function evaluation(overrides: Partial<NotificationPayload['meeting']> = {}, participants = [ada, bob, cyd]) {
  return {
    kind: 'intro',
    meeting: {
      id: 'm1',
      title: 'Evaluation: libft',
      startsAt: '2031-03-03T13:00:00.000Z',
      durationMinutes: 30,
      roomName: 'convene-42-evaluations-abc',
      roomUrl: null,
      groupId: null,
      groupName: '42 evaluations',
      sequence: 1,
      ...overrides,
    },
    participants,
    recipient: { ...ada, cc: [] },
  } satisfies NotificationPayload;
}

test('the intro of a meeting with a time names it, says when in the reader\'s timezone and gives the room; no "find a time"', () => {
  const mail = renderEmail(ctx, evaluation());
  // The clock's words are the platform's (ICU): "Monday 3 March 2031, 14:00 (Europe/Paris)" or the like.
  const when = formatTime('2031-03-03T13:00:00.000Z', 'Europe/Paris');
  assert.match(when, /14:00 \(Europe\/Paris\)$/);
  assert.equal(mail.subject, `New meeting: Evaluation: libft on ${when}`);
  assert.ok(
    mail.text.startsWith(
      `Hello Ada, you are invited to “Evaluation: libft” with Bob Marley and Cyd Charisse on ${when}. Join the video room then: https://meet.jit.si/convene-42-evaluations-abc`,
    ),
    mail.text,
  );
  assert.doesNotMatch(mail.text, /Find a time|matched in/);
  assert.doesNotMatch(mail.subject, /matched/);
  // Chat: the title, not the source's name, opens the post.
  const slack = renderSlack(ctx, { ...evaluation(), recipient: undefined as never }, new Map());
  assert.match(JSON.stringify(slack.blocks), /New meeting: Evaluation: libft/);
  assert.doesNotMatch(JSON.stringify(slack.blocks), /meeting through/);
  const mm = renderMattermost(ctx, evaluation(), { usernames: new Map(), readers: ['ada'] });
  assert.match(mm.message, /^#### New meeting: Evaluation: libft\n\*\*Evaluation: libft\*\*/);
});

test('an API meeting without originName is introduced by its title, never "matched in <source>"', () => {
  const api = evaluation({ title: 'Onboarding chat', groupName: 'hr-tool', startsAt: null, durationMinutes: null });
  const mail = renderEmail(ctx, api);
  assert.equal(mail.subject, 'New meeting: Onboarding chat');
  assert.ok(mail.text.startsWith('Hello Ada, you are invited to “Onboarding chat” with Bob Marley and Cyd Charisse.'));
  assert.doesNotMatch(`${mail.subject}\n${mail.text}`, /hr-tool|matched|Find a time/);
  assert.doesNotMatch(JSON.stringify(renderSlack(ctx, api, new Map()).blocks), /hr-tool/);
});

test('a pairing keeps its wording; with nobody else to meet, no empty list of names ("meet !")', () => {
  const pairing = evaluation({ title: 'Coffee: Ada / Bob', startsAt: null, groupId: 'g1', groupName: 'Coffee' }, [
    ada,
    bob,
  ]);
  const mail = renderEmail(ctx, pairing);
  assert.equal(mail.subject, "You've been matched in Coffee");
  assert.ok(mail.text.startsWith('Hello Ada, meet Bob Marley! Find a time that suits you both and say hello.'));
  const alone = renderEmail(ctx, { ...pairing, participants: [ada] });
  assert.ok(alone.text.startsWith("Hello Ada, you've been matched in Coffee."), alone.text);
  const timedAlone = renderEmail(ctx, evaluation({}, [ada]));
  assert.ok(timedAlone.text.startsWith('Hello Ada, you are invited to “Evaluation: libft” on Monday'), timedAlone.text);
  for (const text of [alone.text, timedAlone.text]) assert.doesNotMatch(text, /meet !|with {2}|with \.| with on /);
});

test('on Slack and Mattermost, people removed read that they were removed, without the room or the people they no longer meet', () => {
  const removal: NotificationPayload = {
    ...evaluation(),
    kind: 'cancel',
    removed: ['cyd'],
    readers: ['cyd'],
    recipient: undefined,
  };
  const slack = JSON.stringify(renderSlack(ctx, removal, new Map()).blocks);
  assert.match(slack, /You were removed from Evaluation: libft/);
  assert.match(slack, /Hello Cyd, you were removed from “Evaluation: libft”/);
  assert.doesNotMatch(slack, /cancelled|Bob Marley|meet\.jit\.si/i);
  const mm = renderMattermost(ctx, removal, { usernames: new Map(), readers: ['cyd'] }).message;
  assert.match(mm, /^#### You were removed from Evaluation: libft\nHello Cyd, you were removed/);
  assert.doesNotMatch(mm, /cancelled|Bob Marley|\*\*Who\*\*|meet\.jit\.si/i);
  // The whole meeting cancelled: as before.
  const cancel = JSON.stringify(renderSlack(ctx, { ...removal, removed: undefined }, new Map()).blocks);
  assert.match(cancel, /Cancelled: Evaluation: libft/);
});

forEachEngine(
  'messages of meetings from outside',
  (get, engine) => {
    const db = () => get().ctx.database.db;
    const deliver = () => deliverOutbox(get, engine, { options });
    const settings = { origin: sourceOrigin('intra42'), originName: '42 evaluations', reminderMinutes: 15 };
    const mailsTo = (address: string) => smtp.mails.filter((m) => JSON.stringify(m.to).includes(address));
    const ics = (mail: ParsedMail | undefined) =>
      (
        mail?.attachments.find((a) => a.contentType.startsWith('text/calendar'))?.content.toString('utf8') ?? ''
      ).replace(/\r\n[ \t]/g, '');
    const reset = async () => {
      smtp.mails.length = 0;
      events.length = 0;
      await db().deleteFrom('notifications').execute();
    };

    test('someone removed from a meeting that goes on is told they were removed, not that it is cancelled; a real cancellation still says cancelled', async () => {
      await reset();
      const [ann, ben] = await Promise.all(
        ['rm-ann', 'rm-ben'].map((username) => insertPerson(db(), { username: `${engine}${username}` })),
      );
      const base = { source: 'intra42', externalId: `${engine}-9001`, title: 'Evaluation: libft', settings };
      const startsAt = inHours(5);
      const made = await upsertExternalMeeting({
        db: db(),
        meeting: { ...base, startsAt, participantIds: [ann!, ben!], updatedAt: '2026-01-01T10:00:00Z' },
      });
      await deliver();
      assert.equal(smtp.mails.length, 2, 'both introduced');
      smtp.mails.length = 0;
      events.length = 0;

      await upsertExternalMeeting({
        db: db(),
        meeting: { ...base, startsAt, participantIds: [ann!], updatedAt: '2026-01-01T11:00:00Z' },
      });
      assert.equal((await deliver()).failed, 0);
      const [mail, ...more] = mailsTo(`${engine}rm-ben@`);
      assert.ok(mail, 'Ben is told');
      assert.equal(more.length, 0);
      assert.equal(mail.subject, 'You were removed from Evaluation: libft');
      assert.match(mail.text ?? '', /you were removed from “Evaluation: libft”\. It still takes place for the other/);
      assert.doesNotMatch(`${mail.subject}\n${mail.text}\n${mail.html}`, /cancelled/i);
      const invitation = ics(mail);
      assert.match(invitation, /METHOD:CANCEL/, 'his own invitation is withdrawn');
      const attendees = invitation.split('\r\n').filter((l) => l.startsWith('ATTENDEE'));
      assert.equal(attendees.length, 1, invitation);
      assert.match(attendees[0] ?? '', new RegExp(`${engine}rm-ben@`), 'the CANCEL names him alone');
      assert.equal(mailsTo(`${engine}rm-ann@`).length, 0, 'Ann, who stays, gets no notice');
      const removedEvent = events.find((e) => e.type === 'meeting.participants_removed');
      assert.ok(removedEvent, JSON.stringify(events.map((e) => e.type)));
      assert.ok(!events.some((e) => e.type === 'meeting.cancel'), 'the receiver is not told the meeting is off');
      assert.deepEqual(
        removedEvent.data.removed.map((p: { id: string }) => p.id),
        [ben],
      );
      assert.deepEqual(
        removedEvent.data.participants.map((p: { id: string }) => p.id),
        [ann],
      );

      // The whole meeting called off: the one left hears "Cancelled", as before.
      smtp.mails.length = 0;
      events.length = 0;
      await cancelByExternalId({ db: db(), source: 'intra42', externalId: base.externalId });
      await deliver();
      const [cancel] = mailsTo(`${engine}rm-ann@`);
      assert.match(cancel?.subject ?? '', /^Cancelled: Evaluation: libft/);
      assert.match(cancel?.text ?? '', /This meeting has been cancelled\./);
      assert.match(ics(cancel), /METHOD:CANCEL/);
      assert.ok(events.some((e) => e.type === 'meeting.cancel'));
      assert.equal(mailsTo(`${engine}rm-ben@`).length, 0, 'Ben, already out, hears nothing more');
      assert.ok(made.meetingId);
    });

    test('create, move and destroy arriving together send nothing: the first intros are replaced, the new ones dropped as cancelled, no cancellation to anyone', async () => {
      await reset();
      const [ann, ben, cat] = await Promise.all(
        ['burst-ann', 'burst-ben', 'burst-cat'].map((username) =>
          insertPerson(db(), { username: `${engine}${username}` }),
        ),
      );
      const base = { source: 'intra42', externalId: `${engine}-9002`, title: 'Evaluation: ft_printf', settings };
      const people = [ann!, ben!, cat!];
      const { meetingId } = await upsertExternalMeeting({
        db: db(),
        meeting: { ...base, startsAt: inHours(3), participantIds: people, updatedAt: '2026-01-01T10:00:00Z' },
      });
      await upsertExternalMeeting({
        db: db(),
        meeting: { ...base, startsAt: inHours(4), participantIds: people, updatedAt: '2026-01-01T10:00:01Z' },
      });
      await cancelByExternalId({ db: db(), source: 'intra42', externalId: base.externalId });
      const run = await deliver();
      assert.equal(smtp.mails.length, 0, smtp.mails.map((m) => m.subject).join('\n'));
      assert.equal(events.length, 0, 'nor any webhook event');
      assert.equal(run.sent, 0);
      const rows = await notificationRows(db(), { meetingId });
      const reasons = (kind: string) => [...new Set(rows.filter((r) => r.kind === kind).map((r) => r.last_error))];
      assert.ok(rows.length > 0 && rows.every((r) => r.status === 'skipped'), 'every message dropped, none sent');
      // The move replaced the first intros by intros of the moved meeting (nobody had heard of the
      // first time: no "rescheduled"), and the destroy dropped those.
      assert.deepEqual(reasons('intro').sort(), [
        'The meeting changed before it was sent: a new introduction replaced it.',
        'The meeting was cancelled.',
      ]);
      assert.deepEqual(reasons('rescheduled'), []);
      // Nobody had heard of it: no cancellation is queued for a person; the webhook's is skipped.
      assert.ok(rows.filter((r) => r.kind === 'cancel').every((r) => r.channel === 'webhook'));
      assert.deepEqual(reasons('cancel'), [
        'Nothing was sent about the meeting before, so there is nothing to cancel.',
      ]);
    });

    test('a meeting whose intro went out and that is then moved and cancelled together: only the cancellation follows', async () => {
      await reset();
      const [ann, ben] = await Promise.all(
        ['late-ann', 'late-ben'].map((username) => insertPerson(db(), { username: `${engine}${username}` })),
      );
      const base = { source: 'intra42', externalId: `${engine}-9003`, title: 'Evaluation: get_next_line', settings };
      await upsertExternalMeeting({
        db: db(),
        meeting: { ...base, startsAt: inHours(3), participantIds: [ann!, ben!], updatedAt: '2026-01-01T10:00:00Z' },
      });
      await deliver();
      assert.equal(smtp.mails.length, 2);
      smtp.mails.length = 0;
      await upsertExternalMeeting({
        db: db(),
        meeting: { ...base, startsAt: inHours(6), participantIds: [ann!, ben!], updatedAt: '2026-01-01T11:00:00Z' },
      });
      await cancelByExternalId({ db: db(), source: 'intra42', externalId: base.externalId });
      await deliver();
      assert.deepEqual(
        smtp.mails.map((m) => m.subject?.replace(/ \(.*\)$/, '')),
        ['Cancelled: Evaluation: get_next_line', 'Cancelled: Evaluation: get_next_line'],
      );
    });

    test('Resend is neither offered nor done for a message the outbox would skip again (its meeting cancelled)', async () => {
      await reset();
      const [ann, ben] = await Promise.all(
        ['rs-ann', 'rs-ben'].map((username) => insertPerson(db(), { username: `${engine}${username}` })),
      );
      const base = { source: 'intra42', externalId: `${engine}-9004`, title: 'Evaluation: minishell', settings };
      const { meetingId } = await upsertExternalMeeting({
        db: db(),
        meeting: { ...base, startsAt: inHours(5), participantIds: [ann!, ben!], updatedAt: '2026-01-01T10:00:00Z' },
      });
      // The intros fail (the mail server refuses Ann), the reminders wait: then the meeting is cancelled.
      smtp.refuse.add(`${engine}rs-ann@example.org`);
      await deliver();
      smtp.refuse.clear();
      await cancelByExternalId({ db: db(), source: 'intra42', externalId: base.externalId });
      await deliver();
      const rows = await notificationRows(db(), { meetingId, channel: 'email' });
      const reminder = rows.find((r) => r.kind === 'reminder' && r.person_id === ben);
      assert.equal(reminder?.status, 'skipped');
      assert.equal(reminder?.last_error, 'The meeting was cancelled.');
      const failedIntro = rows.find((r) => r.kind === 'intro' && r.person_id === ann);
      assert.equal(failedIntro?.status, 'failed');
      const benCancel = rows.find((r) => r.kind === 'cancel' && r.person_id === ben);
      assert.equal(benCancel?.status, 'sent', 'Ben had his intro: he is told');

      const admin = await adminClient(get().app);
      for (const row of [reminder!, failedIntro!]) {
        const refused = await admin.post(`/api/v1/admin/messages/${row.id}/resend`);
        assert.equal(refused.status, 409, JSON.stringify(refused.body));
        assert.match(JSON.stringify(refused.body), /not sent again: the meeting was cancelled/);
      }
      assert.equal(
        (
          await db()
            .selectFrom('notifications')
            .select('status')
            .where('id', '=', reminder!.id)
            .executeTakeFirstOrThrow()
        ).status,
        'skipped',
        'left as it was',
      );
      const all = await admin.post('/api/v1/admin/messages/resend', { status: 'failed', channel: 'email' });
      assert.equal(all.body.resent, 0, "resend all failed leaves the cancelled meeting's intro too");

      const page = await admin.get(`/api/v1/admin/messages?origin=${encodeURIComponent(sourceOrigin('intra42'))}`);
      assert.equal(page.status, 200);
      const listed = new Map(page.body.messages.map((m: { id: string }) => [m.id, m]));
      const view = listed.get(reminder!.id) as { canResend: boolean; resendBlocked: string | null };
      assert.deepEqual([view.canResend, view.resendBlocked], [false, 'The meeting was cancelled.']);
      const sentView = listed.get(benCancel!.id) as { canResend: boolean };
      assert.equal(sentView.canResend, false);
    });

    test('a failed message whose meeting is still on can be resent, and is offered', async () => {
      await reset();
      const [ann, ben] = await Promise.all(
        ['ok-ann', 'ok-ben'].map((username) => insertPerson(db(), { username: `${engine}${username}` })),
      );
      smtp.refuse.add(`${engine}ok-ann@example.org`);
      const { meetingId } = await upsertExternalMeeting({
        db: db(),
        meeting: {
          source: 'intra42',
          externalId: `${engine}-9005`,
          title: 'Evaluation: push_swap',
          settings,
          startsAt: inHours(5),
          participantIds: [ann!, ben!],
        },
      });
      await deliver();
      smtp.refuse.clear();
      const failed = (await notificationRows(db(), { meetingId, channel: 'email', kinds: ['intro'] })).find(
        (r) => r.person_id === ann,
      );
      assert.equal(failed?.status, 'failed');
      const admin = await adminClient(get().app);
      const page = await admin.get('/api/v1/admin/messages?status=failed');
      const view = page.body.messages.find((m: { id: string }) => m.id === failed?.id);
      assert.deepEqual([view?.canResend, view?.resendBlocked], [true, null]);
      assert.equal((await admin.post(`/api/v1/admin/messages/${failed?.id}/resend`)).status, 200);
      smtp.mails.length = 0;
      await deliver();
      assert.equal(mailsTo(`${engine}ok-ann@`).length, 1);
    });
  },
  {
    publicUrl: 'https://convene.example.org',
    'notifications.email.smtpUrl': smtp.url,
    'notifications.email.from': 'Convene <convene@example.org>',
    'notifications.webhook.url': hookUrl,
    'notifications.webhook.secret': `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`,
  },
);
