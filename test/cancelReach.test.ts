import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { NotificationChannel } from '../src/db/schema.js';
import { cancelByExternalId, upsertExternalMeeting } from '../src/features/meetings/external.js';
import { createMeeting } from '../src/features/meetings/service.js';
import { sourceOrigin } from '../src/features/meetings/settings.js';
import { claimDue } from '../src/features/notifications/outbox.js';
import { FakeSlack } from './helpers/fakeSlack.js';
import { hookReceiver } from './helpers/hookReceiver.js';
import { deliverOutbox, notificationRows, startForFile, testOutboxOptions } from './helpers/outbox.js';
import { clientFor, insertPerson } from './helpers/people.js';
import { forEachEngine } from './helpers/suite.js';

/**
 * A real SMTP server that can hold a message mid-send: RCPT TO an address in `holdFor` is not
 * answered until `release()`, so the outbox row stays 'sending' with its freshness check already
 * passed (a worker in the middle of sending). Addresses in `defer` are answered 451 (try again
 * later), when released if held.
 */
class GatedSmtp {
  readonly mails: ParsedMail[] = [];
  readonly holdFor = new Set<string>();
  readonly defer = new Set<string>();
  private held: Array<() => void> = [];
  port = 0;
  private server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo: (address, _session, callback) => {
      const to = address.address.toLowerCase();
      const answer = () => {
        if (!this.defer.has(to)) return callback();
        const error = new Error('Mailbox busy, try again later') as Error & { responseCode: number };
        error.responseCode = 451;
        callback(error);
      };
      if (this.holdFor.has(to)) this.held.push(answer);
      else answer();
    },
    onData: (stream, _session, callback) => {
      simpleParser(stream)
        .then((mail) => {
          this.mails.push(mail);
          callback();
        })
        .catch(callback);
    },
  });

  get heldCount(): number {
    return this.held.length;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  release(): void {
    this.holdFor.clear();
    for (const go of this.held.splice(0)) go();
  }

  /** What the mails sent to this address were, in order: intro, cancel, removed, reminder or the subject. */
  kindsTo(address: string): string[] {
    return this.mails
      .filter((m) => JSON.stringify(m.to).toLowerCase().includes(address.toLowerCase()))
      .map((m) => m.subject ?? '')
      .map((s) =>
        s.startsWith('New meeting:')
          ? 'intro'
          : s.startsWith('Cancelled:')
            ? 'cancel'
            : s.startsWith('You were removed')
              ? 'removed'
              : s.startsWith('Starting soon')
                ? 'reminder'
                : s,
      );
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    this.port = address.port;
    return this;
  }

  stop(): Promise<void> {
    this.release();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const smtp = await startForFile(new GatedSmtp());
const slack = await startForFile(new FakeSlack());
const hooks = await hookReceiver(({ body }) => JSON.parse(body) as { type: string; data: { meeting: { id: string } } });

const options = testOutboxOptions({ concurrency: 8 });
const inHours = (hours: number) => new Date(Date.now() + hours * 3600_000).toISOString();
const later = (hours: number) => new Date(Date.now() + hours * 3600_000);

async function until(what: string, condition: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

type Told = { names: string[]; channels: string[]; unaware?: string[] };
const sortedTold = (told: Told) => ({
  names: [...told.names].sort(),
  channels: [...told.channels].sort(),
  unaware: [...(told.unaware ?? [])].sort(),
});

forEachEngine(
  'cancelling a meeting: who is told, against a real outbox',
  (get, engine) => {
    const db = () => get().ctx.database.db;
    const deliver = (now?: Date) => deliverOutbox(get, engine, { options, now });
    let n = 0;
    /** A person with an address `${engine}-c${n}-${name}@example.org`, on the channels given. */
    const person = async (name: string, on: { email?: boolean; slack?: boolean } = {}) => {
      n++;
      const username = `${engine}-c${n}-${name.toLowerCase()}`;
      const id = await insertPerson(db(), { username, name });
      if (on.slack !== false) slack.addUser(`${username}@example.org`);
      for (const channel of ['email', 'slack'] as const) {
        if (on[channel] !== false) continue;
        await db()
          .insertInto('notification_prefs')
          .values({ person_id: id, scope: '', channel, enabled: 0, updated_at: new Date().toISOString() })
          .execute();
      }
      return { id, name, email: `${username}@example.org` };
    };
    const cancel = async (meetingId: string, by: string) => {
      const res = await (await clientFor(get().app, db(), by)).post(`/api/v1/meetings/${meetingId}/cancel`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.told as Told;
    };
    const rowsOf = (meetingId: string, channel?: NotificationChannel) =>
      notificationRows(db(), { meetingId, ...(channel ? { channel } : {}) });
    /** Slack posts about a meeting, as [kind, members] pairs. */
    const slackPostsOf = async (meetingId: string) => {
      const kinds = new Map((await rowsOf(meetingId, 'slack')).map((r) => [r.id, r.kind]));
      return slack.posts
        .filter((p) => p.notificationId && kinds.has(p.notificationId))
        .map((p) => [kinds.get(p.notificationId as string), p.members.length]);
    };
    const hookTypes = (meetingId: string) =>
      hooks.received.filter((e) => e.data?.meeting?.id === meetingId).map((e) => e.type);
    const reset = async () => {
      smtp.release();
      smtp.defer.clear();
      slack.release();
      slack.reset();
      // Whatever earlier tests left due is sent now, so it does not run into this test's drains.
      await deliver(later(48));
    };

    test('an e-mail intro a worker is sending when the meeting is cancelled: it arrives, then the cancellation does; the reader whose intro waited gets nothing', async () => {
      await reset();
      const ann = await person('Ann', { slack: false });
      const ben = await person('Ben', { slack: false });
      smtp.holdFor.add(ann.email);
      smtp.defer.add(ben.email);
      const { meetingId } = await createMeeting({
        db: db(),
        title: 'Held intro',
        participantIds: [ann.id, ben.id],
        startsAt: inHours(3),
      });
      const draining = deliver();
      await until('the intro to Ann held mid-send', () => smtp.heldCount === 1);
      await until('the intro to Ben handed back for a retry', async () =>
        (await rowsOf(meetingId, 'email')).some(
          (r) => r.person_id === ben.id && r.status === 'pending' && r.attempts === 1,
        ),
      );
      const intro = (await rowsOf(meetingId, 'email')).find((r) => r.person_id === ann.id && r.kind === 'intro');
      assert.equal(intro?.status, 'sending');

      const told = await cancel(meetingId, ann.id);
      assert.deepEqual(sortedTold(told), { names: ['Ann'], channels: ['email'], unaware: ['Ben'] });

      smtp.release();
      await draining;
      smtp.defer.clear();
      await deliver(later(2));
      assert.deepEqual(smtp.kindsTo(ann.email), ['intro', 'cancel'], 'intro, then the cancellation');
      assert.deepEqual(smtp.kindsTo(ben.email), [], 'Ben heard nothing of it and is sent nothing');
      assert.deepEqual(hookTypes(meetingId), ['meeting.intro', 'meeting.cancel'], 'the integrator got both');
    });

    test('a Slack group intro being posted when the meeting is cancelled: the same readers get the cancellation in Slack', async () => {
      await reset();
      const cai = await person('Cai', { email: false });
      const dee = await person('Dee', { email: false });
      slack.hold = 'chat.postMessage';
      const { meetingId } = await createMeeting({ db: db(), title: 'Held post', participantIds: [cai.id, dee.id] });
      const draining = deliver();
      await until('the Slack intro held mid-post', () => slack.heldCount === 1);
      const told = await cancel(meetingId, dee.id);
      assert.deepEqual(sortedTold(told), { names: ['Cai', 'Dee'], channels: ['slack'], unaware: [] });
      slack.release();
      await draining;
      await deliver(later(2));
      assert.deepEqual(await slackPostsOf(meetingId), [
        ['intro', 2],
        ['cancel', 2],
      ]);
    });

    test('e-mail intros sent but the Slack one still waiting: the cancellation goes by e-mail, and the answer does not promise Slack', async () => {
      await reset();
      const eve = await person('Eve');
      const fay = await person('Fay');
      slack.fail('chat.postMessage', { retryAfter: 3600 });
      const { meetingId } = await createMeeting({
        db: db(),
        title: 'Mail only so far',
        participantIds: [eve.id, fay.id],
        startsAt: inHours(5),
      });
      await deliver();
      const slackIntro = (await rowsOf(meetingId, 'slack')).find((r) => r.kind === 'intro');
      assert.equal(slackIntro?.status, 'pending', 'Slack asked to wait');
      assert.deepEqual(smtp.kindsTo(eve.email), ['intro']);

      const told = await cancel(meetingId, eve.id);
      await deliver(later(2));
      const slackPosts = await slackPostsOf(meetingId);
      assert.deepEqual(slackPosts, [], 'nothing about the meeting ever reached Slack');
      assert.deepEqual(smtp.kindsTo(fay.email), ['intro', 'cancel']);
      // The page says "<names> will get a cancellation by <channels>": every channel named must carry one.
      assert.deepEqual(sortedTold(told), { names: ['Eve', 'Fay'], channels: ['email'], unaware: [] });
    });

    test('an e-mail intro being sent when the meeting is cancelled, whose send then fails: its reader got nothing and is sent nothing', async () => {
      await reset();
      const max = await person('Max', { slack: false });
      const ned = await person('Ned', { slack: false });
      smtp.holdFor.add(max.email);
      const { meetingId } = await createMeeting({ db: db(), title: 'Failing intro', participantIds: [max.id, ned.id] });
      const draining = deliver();
      await until('the intro to Max held mid-send', () => smtp.heldCount === 1);
      const told = await cancel(meetingId, ned.id);
      assert.deepEqual(sortedTold(told), { names: ['Max', 'Ned'], channels: ['email'], unaware: [] });
      smtp.defer.add(max.email);
      smtp.release();
      await draining;
      const intro = (await rowsOf(meetingId, 'email')).find((r) => r.person_id === max.id && r.kind === 'intro');
      assert.deepEqual([intro?.status, intro?.attempts], ['pending', 1], 'a 451: tried again later');
      smtp.defer.clear();
      await deliver(later(2));
      assert.deepEqual(smtp.kindsTo(max.email), [], 'neither the intro of a cancelled meeting nor its cancellation');
      assert.deepEqual(smtp.kindsTo(ned.email), ['intro', 'cancel']);
    });

    test('the intros were claimed by a worker that died mid-send when the meeting is cancelled: whoever they may have reached still gets the cancellation', async () => {
      await reset();
      const oli = await person('Oli', { slack: false });
      const pam = await person('Pam', { slack: false });
      const { meetingId } = await createMeeting({ db: db(), title: 'Dead worker', participantIds: [oli.id, pam.id] });
      // A worker claims the intros (and the webhook's) and dies while sending: nothing is recorded.
      const { rows: claimed } = await claimDue(db(), engine, { workerId: 'dead', limit: 50, leaseSeconds: 60 });
      assert.deepEqual(claimed.map((r) => [r.channel, r.kind]).sort(), [
        ['email', 'intro'],
        ['email', 'intro'],
        ['webhook', 'intro'],
      ]);
      const told = await cancel(meetingId, oli.id);
      assert.deepEqual(sortedTold(told), { names: ['Oli', 'Pam'], channels: ['email'], unaware: [] });
      // The next worker finds the lease run out. One lane, one message per claim: the recovered
      // intros are judged before the cancellations (any order must give the same outcome).
      await deliverOutbox(get, engine, {
        options: testOutboxOptions({ concurrency: 1, batchSize: 1 }),
        now: later(2),
      });
      const intros = (await rowsOf(meetingId)).filter((r) => r.kind === 'intro');
      assert.deepEqual(
        intros.map((r) => [r.status, r.recovered]),
        intros.map(() => ['skipped', 1]),
        'not sent again: the meeting is off',
      );
      // The dead worker may have delivered the intros (their copies are not in the fakes).
      assert.deepEqual(smtp.kindsTo(oli.email), ['cancel']);
      assert.deepEqual(smtp.kindsTo(pam.email), ['cancel']);
      assert.deepEqual(hookTypes(meetingId), ['meeting.cancel']);
    });

    test('webhook: an integrator that got the intro gets the cancellation though no person had heard of it; one that got nothing gets nothing', async () => {
      await reset();
      const gus = await person('Gus', { slack: false });
      const hal = await person('Hal', { slack: false });
      smtp.defer.add(gus.email);
      smtp.defer.add(hal.email);
      const { meetingId: heard } = await createMeeting({
        db: db(),
        title: 'Only the hook',
        participantIds: [gus.id, hal.id],
      });
      await deliver();
      assert.deepEqual(hookTypes(heard), ['meeting.intro']);
      const told = await cancel(heard, gus.id);
      assert.deepEqual(sortedTold(told), { names: [], channels: [], unaware: ['Gus', 'Hal'] });
      smtp.defer.clear();
      await deliver(later(2));
      assert.deepEqual(hookTypes(heard), ['meeting.intro', 'meeting.cancel']);
      assert.deepEqual([...smtp.kindsTo(gus.email), ...smtp.kindsTo(hal.email)], []);

      const { meetingId: unheard } = await createMeeting({
        db: db(),
        title: 'Nobody heard',
        participantIds: [gus.id, hal.id],
      });
      assert.deepEqual(sortedTold(await cancel(unheard, hal.id)), { names: [], channels: [], unaware: ['Gus', 'Hal'] });
      await deliver(later(2));
      assert.deepEqual(hookTypes(unheard), [], 'neither the intro nor a cancellation');
      const rows = await rowsOf(unheard);
      assert.ok(
        rows.every((r) => r.status === 'skipped'),
        JSON.stringify(rows.map((r) => [r.channel, r.kind, r.status])),
      );
    });

    test('a 42 destroy after someone was removed and someone disabled: only the enabled participants who heard are told', async () => {
      await reset();
      const settings = { origin: sourceOrigin('intra42'), originName: '42 evaluations', reminderMinutes: 15 };
      const [ivy, jon, kim, lee] = await Promise.all(
        ['Ivy', 'Jon', 'Kim', 'Lee'].map((name) => person(name, { slack: false })),
      );
      if (!ivy || !jon || !kim || !lee) throw new Error('people');
      const startsAt = inHours(6);
      const meeting = (participantIds: string[]) => ({
        source: 'intra42',
        externalId: `${engine}-9001`,
        title: 'Evaluation: cub3d',
        startsAt,
        participantIds,
        settings,
      });
      const made = await upsertExternalMeeting({ db: db(), meeting: meeting([ivy.id, jon.id, kim.id, lee.id]) });
      await deliver();
      await upsertExternalMeeting({ db: db(), meeting: meeting([ivy.id, jon.id, kim.id]) });
      await deliver();
      assert.deepEqual(smtp.kindsTo(lee.email), ['intro', 'removed']);
      await db().updateTable('people').set({ enabled: 0 }).where('id', '=', kim.id).execute();
      assert.equal(
        (await cancelByExternalId({ db: db(), source: 'intra42', externalId: `${engine}-9001` })).cancelled,
        true,
      );
      await deliver(later(2));
      assert.deepEqual(smtp.kindsTo(ivy.email), ['intro', 'cancel']);
      assert.deepEqual(smtp.kindsTo(jon.email), ['intro', 'cancel']);
      assert.deepEqual(smtp.kindsTo(kim.email), ['intro'], 'disabled: sent nothing more');
      assert.deepEqual(smtp.kindsTo(lee.email), ['intro', 'removed'], 'already told they were removed');
      assert.ok(made.meetingId);
    });

    test('a removal notice still waiting when the meeting is cancelled tells its reader the meeting is off, not that it goes on', async () => {
      await reset();
      const settings = { origin: sourceOrigin('intra42'), originName: '42 evaluations', reminderMinutes: 15 };
      const [qin, rae, sol] = await Promise.all(['Qin', 'Rae', 'Sol'].map((name) => person(name, { slack: false })));
      if (!qin || !rae || !sol) throw new Error('people');
      const startsAt = inHours(6);
      const meeting = (participantIds: string[]) => ({
        source: 'intra42',
        externalId: `${engine}-9002`,
        title: 'Evaluation: philosophers',
        startsAt,
        participantIds,
        settings,
      });
      await upsertExternalMeeting({ db: db(), meeting: meeting([qin.id, rae.id, sol.id]) });
      await deliver();
      await upsertExternalMeeting({ db: db(), meeting: meeting([qin.id, rae.id]) });
      await cancelByExternalId({ db: db(), source: 'intra42', externalId: `${engine}-9002` });
      await deliver(later(2));
      const toSol = smtp.mails.filter((m) => JSON.stringify(m.to).includes(sol.email));
      assert.deepEqual(smtp.kindsTo(sol.email), ['intro', 'cancel'], 'one message: the meeting is off');
      for (const mail of toSol) assert.doesNotMatch(mail.text ?? '', /still takes place/);
    });
  },
  {
    publicUrl: 'https://convene.example.org',
    'notifications.email.smtpUrl': smtp.url,
    'notifications.email.from': 'Convene <convene@example.org>',
    'notifications.slack.token': slack.token,
    'notifications.slack.apiUrl': slack.url,
    'notifications.webhook.url': hooks.url,
    'notifications.webhook.secret': `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`,
  },
);
