import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openDatabase } from '../src/db/database.js';
import { cancelMeeting, createMeeting } from '../src/features/meetings/service.js';
import { managerPattern } from '../src/features/mixers/eligibility.js';
import { runRound } from '../src/features/mixers/rounds.js';
import { claimDue, drainOutbox } from '../src/features/notifications/outbox.js';
import { buildSenders } from '../src/features/notifications/senders.js';
import { jitsiToken, newRoomName, videoRooms } from '../src/integrations/jitsi.js';
import { FakeSlack } from './helpers/fakeSlack.js';
import { deliverOutbox, personOnSlack, startForFile, testOutboxOptions } from './helpers/outbox.js';
import { clientFor, insertPerson } from './helpers/people.js';
import { adminClient } from './helpers/server.js';
import { TestSmtp } from './helpers/smtp.js';
import { forEachEngine } from './helpers/suite.js';

const slack = await startForFile(new FakeSlack());
const smtp = await startForFile(new TestSmtp());

const options = testOutboxOptions({ batchSize: 25 });
const titles = managerPattern('Manager');
const later = (seconds: number) => new Date(Date.now() + seconds * 1000);

test('room names carry at least 96 random bits behind a readable prefix; JWT claims', () => {
  const name = newRoomName('Coffee & Chat!');
  assert.match(name, /^convene-coffee-chat-[a-z2-7]{24}$/);
  assert.notEqual(name, newRoomName('Coffee & Chat!'));
  const rooms = videoRooms({
    provider: 'jitsi',
    jitsi: {
      baseUrl: 'https://video.example.org/',
      jwt: { appId: 'convene', secret: 's'.repeat(32), audience: 'jitsi', ttlMinutes: 60 },
    },
  });
  assert.equal(rooms.roomUrl('r1'), 'https://video.example.org/r1');
  const join = rooms.joinUrl('r1', { id: 'p1', name: 'Ada' }) ?? '';
  const token = new URL(join).searchParams.get('jwt') ?? '';
  const [head, body] = token
    .split('.')
    .slice(0, 2)
    .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString() || '{}'));
  assert.equal(head.alg, 'HS256');
  assert.equal(body.aud, 'jitsi');
  assert.equal(body.iss, 'convene');
  assert.equal(body.sub, 'video.example.org');
  assert.equal(body.room, 'r1');
  assert.equal(body.exp - body.iat, 3600);
  assert.equal(body.context.user.name, 'Ada');
  assert.equal(
    token,
    jitsiToken(
      { appId: 'convene', secret: 's'.repeat(32), audience: 'jitsi', ttlMinutes: 60 },
      'video.example.org',
      'r1',
      { id: 'p1', name: 'Ada' },
      new Date(body.iat * 1000),
    ),
  );
  const templated = videoRooms({
    provider: 'template',
    template: 'https://v.example.org/x/{room}',
    jitsi: { baseUrl: 'https://meet.jit.si' },
  });
  assert.equal(templated.roomUrl('abc'), 'https://v.example.org/x/abc');
  assert.equal(videoRooms({ provider: 'none', jitsi: { baseUrl: 'https://meet.jit.si' } }).roomUrl('abc'), null);
});

forEachEngine(
  'meetings and the notification outbox',
  (get, engine) => {
    const db = () => get().ctx.database.db;
    const deliver = (now?: Date) => deliverOutbox(get, engine, { options, now });
    const rows = () => db().selectFrom('notifications').selectAll().orderBy('created_at').execute();
    const reset = async () => {
      slack.reset();
      smtp.mails.length = 0;
      smtp.refuse.clear();
      await db().deleteFrom('notifications').execute();
    };

    test('a round gives every meeting a room and delivers intros by e-mail and Slack', async () => {
      await reset();
      const admin = await adminClient(get().app);
      const group = await admin.post('/api/v1/mixers/groups', {
        name: 'Coffee',
        cron: '0 10 * * MON',
        timezone: 'UTC',
      });
      assert.equal(group.status, 201, JSON.stringify(group.body));
      const ids: string[] = [];
      for (const name of ['ada', 'bob', 'cyd', 'dee']) {
        const id = await insertPerson(db(), { username: `${engine}${name}`, name: name.toUpperCase(), team: 'Ops' });
        ids.push(id);
        const joined = await (await clientFor(get().app, db(), id)).post(
          `/api/v1/mixers/groups/${group.body.group.id}/join`,
        );
        assert.equal(joined.status, 200);
        // dee is not on Slack: users_not_found must not stop the others.
        if (name !== 'dee') slack.addUser(`${engine}${name}@example.org`);
      }
      const assistant = await insertPerson(db(), { username: `${engine}assist`, name: 'Assistant' });
      await db()
        .updateTable('people')
        .set({ assistant_id: assistant })
        .where('id', '=', ids[0] as string)
        .execute();

      const outcome = await runRound({
        db: db(),
        groupId: group.body.group.id,
        scheduledFor: new Date(),
        titlePattern: titles,
      });
      assert.equal(outcome.stats.pairs, 2);
      const meetings = await db().selectFrom('meetings').selectAll().where('round_id', '=', outcome.roundId).execute();
      for (const m of meetings) assert.match(m.room_name ?? '', /^convene-coffee-[a-z2-7]{24}$/);
      const queued = await rows();
      assert.equal(queued.filter((r) => r.channel === 'email').length, 4);
      assert.equal(queued.filter((r) => r.channel === 'slack').length, 2);

      const run = await deliver();
      assert.deepEqual(
        { sent: run.sent, failed: run.failed, retried: run.retried },
        { sent: 6, failed: 0, retried: 0 },
      );
      assert.equal(smtp.mails.length, 4);
      const adaMail = smtp.mails.find((m) => JSON.stringify(m.to).includes(`${engine}ada@`));
      assert.ok(adaMail);
      assert.equal(adaMail.subject, "You've been matched in Coffee");
      assert.match(JSON.stringify(adaMail.cc), new RegExp(`${engine}assist@example.org`));
      const adaMeeting = meetings.find((m) => m.title.includes('ADA'));
      const room = `https://meet.jit.si/${adaMeeting?.room_name}`;
      assert.ok(adaMail.text?.includes(room), adaMail.text);
      assert.ok(String(adaMail.html).includes(`href="${room}"`));
      assert.match(adaMail.text ?? '', /Meeting page: https:\/\/convene\.example\.org\/meetings\//);
      assert.equal(adaMail.attachments.length, 0, 'no time, so no invitation');

      assert.equal(slack.posts.length, 2);
      const everyone = slack.posts.flatMap((p) => p.members);
      assert.equal(everyone.length, 3, 'dee is skipped, the others are reached');
      const post = slack.posts.find((p) => p.blocks.some((b) => JSON.stringify(b).includes(room)));
      assert.ok(post, 'the room link is in the blocks');
      assert.match(JSON.stringify(post.blocks), /<@U/);
      const deeRow = (await rows()).find((r) => r.channel === 'slack' && JSON.parse(r.result ?? '{}').notFound?.length);
      assert.ok(deeRow, 'the person not found on Slack is recorded');
      assert.ok((await rows()).every((r) => r.status === 'sent'));
      // Nothing is sent twice.
      assert.equal((await deliver()).claimed, 0);
    });

    test('a meeting with a time carries an .ics REQUEST; its cancellation a CANCEL', async () => {
      await reset();
      const a = await insertPerson(db(), { username: `${engine}ics1`, name: 'Iris' });
      const b = await insertPerson(db(), { username: `${engine}ics2`, name: 'Jon' });
      await db().updateTable('people').set({ timezone: 'Europe/Paris' }).where('id', '=', a).execute();
      const { meetingId } = await createMeeting({
        db: db(),
        title: 'Design review',
        participantIds: [a, b],
        startsAt: '2031-03-03T09:00:00.000Z',
        durationMinutes: 45,
      });
      await deliver();
      const iris = smtp.mails.find((m) => JSON.stringify(m.to).includes(`${engine}ics1@`));
      assert.ok(iris);
      assert.match(
        iris.text ?? '',
        /Monday 3 March 2031 at 10:00 \(Europe\/Paris\)|Monday, 3 March 2031.*10:00 \(Europe\/Paris\)|10:00 \(Europe\/Paris\)/,
      );
      const invite = iris.attachments.find((x) => x.contentType.startsWith('text/calendar')) ?? iris.attachments[0];
      assert.ok(invite, 'an invitation is attached');
      const ics = invite.content.toString();
      assert.match(ics, /METHOD:REQUEST/);
      assert.match(ics, /DTSTART:20310303T090000Z/);
      assert.match(ics, new RegExp(`UID:${meetingId}@`));
      smtp.mails.length = 0;
      await cancelMeeting({ db: db(), meetingId });
      await deliver();
      assert.equal(smtp.mails.length, 2);
      const cancel = smtp.mails[0]?.attachments[0]?.content.toString() ?? '';
      assert.match(cancel, /METHOD:CANCEL/);
      assert.match(cancel, /STATUS:CANCELLED/);
      assert.match(smtp.mails[0]?.subject ?? '', /^Cancelled: Design review/);
    });

    test('failures retry with backoff; a refused address fails alone; 429 Retry-After is honoured', async () => {
      await reset();
      const a = await personOnSlack(db(), slack, { username: `${engine}r1` });
      const b = await personOnSlack(db(), slack, { username: `${engine}r2` });
      smtp.refuse.add(`${engine}r2@example.org`);
      smtp.defer.set(`${engine}r1@example.org`, 1);
      slack.fail('chat.postMessage', { retryAfter: 7 });
      const before = Date.now();
      await createMeeting({ db: db(), title: 'Retry me', participantIds: [a, b] });
      const first = await deliver();
      assert.equal(first.claimed, 3);
      const state = await rows();
      const mailA = state.find((r) => r.channel === 'email' && r.person_id === a);
      const mailB = state.find((r) => r.channel === 'email' && r.person_id === b);
      const post = state.find((r) => r.channel === 'slack');
      // A temporary refusal (451): retried later, between half and all of the base delay.
      assert.equal(mailA?.status, 'pending');
      assert.equal(mailA?.attempts, 1);
      const wait = (Date.parse(mailA?.next_attempt_at ?? '') - before) / 1000;
      assert.ok(wait >= 14 && wait <= 31, `backoff ${wait}s`);
      assert.ok(mailA?.last_error);
      // No such mailbox: failed at once, with the error, and only for that person.
      assert.equal(mailB?.status, 'failed');
      assert.match(mailB?.last_error ?? '', /550|mailbox/i);
      // Slack's 429: waits Retry-After, and the wait is not counted as a failed attempt.
      assert.equal(post?.status, 'pending');
      assert.equal(post?.attempts, 0);
      const slackWait = (Date.parse(post?.next_attempt_at ?? '') - before) / 1000;
      assert.ok(slackWait >= 6.5 && slackWait < 20, `retry-after ${slackWait}s`);

      assert.equal((await deliver(later(5))).claimed, 0, 'nothing is due before its time');
      const second = await deliver(later(10));
      assert.equal(second.sent, 1, 'the Slack post goes after Retry-After');
      const third = await deliver(later(40));
      assert.equal(third.sent, 1, 'the e-mail goes on its retry');
      assert.equal(smtp.mails.length, 1);
      assert.equal(slack.posts.length, 1);
    });

    test('after N failures a row is failed with its last error (invalid_auth keeps retrying until then)', async () => {
      await reset();
      const a = await insertPerson(db(), { username: `${engine}n1` });
      slack.addUser(`${engine}n1@example.org`);
      await db()
        .insertInto('notification_prefs')
        .values({ person_id: a, scope: '', channel: 'email', enabled: 0, updated_at: new Date().toISOString() })
        .execute();
      slack.fail('users.lookupByEmail', { error: 'invalid_auth' }, 10);
      await createMeeting({ db: db(), title: 'Bad token', participantIds: [a] });
      const queued = await rows();
      assert.deepEqual(
        queued.map((r) => r.channel),
        ['slack'],
        'e-mail switched off by the person',
      );
      let at = Date.now();
      for (let i = 0; i < options.maxAttempts; i++) {
        await deliver(new Date(at));
        at += 4 * 3600 * 1000;
      }
      const [row] = await rows();
      assert.equal(row?.status, 'failed');
      assert.equal(row?.attempts, options.maxAttempts);
      assert.match(row?.last_error ?? '', /invalid_auth/);
      assert.equal(slack.posts.length, 0);
    });

    test('a worker killed mid-send loses nothing: its lease runs out and another sends each row once', async () => {
      await reset();
      const people: string[] = [];
      for (let i = 0; i < 6; i++) {
        people.push(await personOnSlack(db(), slack, { username: `${engine}k${i}` }));
      }
      for (let i = 0; i < 6; i += 2) {
        await createMeeting({
          db: db(),
          title: `Killed ${i}`,
          participantIds: [people[i] as string, people[i + 1] as string],
        });
      }
      // Worker A claims everything and dies before sending anything.
      const claimed = await claimDue(db(), engine, { workerId: 'dead', limit: 100, leaseSeconds: 60 });
      assert.equal(claimed.rows.length, 9);
      assert.equal((await deliver()).claimed, 0, 'rows under a live lease are not taken');
      const run = await deliver(later(61));
      assert.equal(run.sent, 9);
      assert.equal(smtp.mails.length, 6);
      assert.ok([...slack.deliveries().values()].every((n) => n === 1));
      assert.equal(slack.posts.length, 3);
      assert.equal((await deliver(later(200))).claimed, 0);
    });

    test('a worker killed after Slack accepted, before recording it: the next worker finds the post, sends nothing twice', async () => {
      await reset();
      await db().deleteFrom('channel_settings').where('channel', '=', 'email').execute();
      try {
        const a = await personOnSlack(db(), slack, { username: `${engine}z1` });
        const b = await personOnSlack(db(), slack, { username: `${engine}z2` });
        await createMeeting({ db: db(), title: 'Half sent', participantIds: [a, b] });
        // Worker A claims and posts, then dies before it can record the result.
        const { rows: claimed } = await claimDue(db(), engine, { workerId: 'dead', limit: 10, leaseSeconds: 60 });
        const built = await buildSenders(db(), get().config);
        const row = claimed[0];
        assert.ok(row && built.senders.slack);
        await built.senders.slack(row, JSON.parse(row.payload));
        assert.equal(slack.posts.length, 1);
        const run = await deliver(later(61));
        assert.equal(run.sent, 1);
        assert.equal(slack.posts.length, 1, 'not posted again');
        const [done] = await rows();
        assert.equal(done?.recovered, 1);
        assert.equal(JSON.parse(done?.result ?? '{}').alreadyPosted, true);
      } finally {
        await db()
          .insertInto('channel_settings')
          .values({
            channel: 'email',
            enabled: 1,
            settings: JSON.stringify({ from: 'Convene <convene@example.org>' }),
            secrets: JSON.stringify({ smtpUrl: smtp.url }),
            source: 'config',
            updated_at: new Date().toISOString(),
          })
          .execute();
      }
    });

    test('two workers on one database never send the same row', async () => {
      await reset();
      await db().deleteFrom('channel_settings').where('channel', '=', 'email').execute();
      try {
        const people: string[] = [];
        for (let i = 0; i < 40; i++) {
          people.push(await personOnSlack(db(), slack, { username: `${engine}w${i}` }));
        }
        for (let i = 0; i < 300; i++) {
          await createMeeting({
            db: db(),
            title: `Pair ${i}`,
            participantIds: [people[i % 40] as string, people[(i * 7 + 1) % 40] as string],
          });
        }
        const second = engine === 'postgres' ? openDatabase(get().config.databaseUrl) : get().ctx.database;
        try {
          const workers = [get().ctx.database.db, second.db].map(async (workerDb, n) => {
            const built = await buildSenders(workerDb, get().config);
            try {
              return await drainOutbox({
                db: workerDb,
                engine,
                senders: built.senders,
                options: { ...options, batchSize: 10, concurrency: 4 },
                workerId: `w${n}`,
              });
            } finally {
              built.close();
            }
          });
          const [one, two] = await Promise.all(workers);
          assert.equal((one?.sent ?? 0) + (two?.sent ?? 0), 300);
          if (engine === 'postgres') assert.ok((one?.sent ?? 0) > 0 && (two?.sent ?? 0) > 0, 'both workers took part');
        } finally {
          if (second !== get().ctx.database) await second.close();
        }
        const counts = slack.deliveries();
        assert.equal(counts.size, 300);
        assert.ok(
          [...counts.values()].every((n) => n === 1),
          'every row posted exactly once',
        );
        const sent = await db()
          .selectFrom('notifications')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('status', '=', 'sent')
          .executeTakeFirstOrThrow();
        assert.equal(Number(sent.n), 300);
      } finally {
        await db()
          .insertInto('channel_settings')
          .values({
            channel: 'email',
            enabled: 1,
            settings: JSON.stringify({ from: 'Convene <convene@example.org>' }),
            secrets: JSON.stringify({ smtpUrl: smtp.url }),
            source: 'config',
            updated_at: new Date().toISOString(),
          })
          .execute();
      }
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
