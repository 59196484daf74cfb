import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { after, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { cancelMeeting, createMeeting } from '../src/features/meetings/service.js';
import { deliverOutbox, notificationRows, testOutboxOptions } from './helpers/outbox.js';
import { insertPerson } from './helpers/people.js';
import { forEachEngine } from './helpers/suite.js';

const secret = `whsec_${randomBytes(32).toString('base64')}`;

/** A receiver that checks each request the way the spec says, and answers the statuses queued in `answers`. */
const received: Array<{ headers: IncomingHttpHeaders; body: string; status: number; verified: boolean }> = [];
const answers: Array<{ status: number; headers?: Record<string, string> }> = [];
const receiver = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  const id = String(req.headers['webhook-id']);
  const timestamp = String(req.headers['webhook-timestamp']);
  // The spec's algorithm by hand: HMAC-SHA256 over "id.timestamp.body" with the base64 key after whsec_.
  const expected = createHmac('sha256', Buffer.from(secret.slice('whsec_'.length), 'base64'))
    .update(`${id}.${timestamp}.${body}`)
    .digest('base64');
  const signatures = String(req.headers['webhook-signature']).split(' ');
  let verified = signatures.includes(`v1,${expected}`);
  try {
    new Webhook(secret).verify(body, req.headers as Record<string, string>);
  } catch {
    verified = false;
  }
  const answer = answers.shift() ?? { status: 204 };
  received.push({ headers: req.headers, body, status: answer.status, verified });
  res.writeHead(answer.status, answer.headers ?? {});
  res.end();
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const address = receiver.address();
const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hooks/convene`;
after(() => {
  receiver.closeAllConnections();
  receiver.close();
});

const options = testOutboxOptions({ batchSize: 25, concurrency: 4 });
const later = (seconds: number) => new Date(Date.now() + seconds * 1000);

forEachEngine(
  'outgoing webhooks',
  (get, engine) => {
    const db = () => get().ctx.database.db;
    const deliver = (now?: Date) => deliverOutbox(get, engine, { options, now });
    const rows = () => notificationRows(db(), { channel: 'webhook', kinds: ['intro', 'cancel'] });
    const reset = async () => {
      received.length = 0;
      answers.length = 0;
      await db().deleteFrom('notifications').execute();
    };

    test('one signed event per meeting and change, with the meeting, its participants and its room', async () => {
      await reset();
      const a = await insertPerson(db(), { username: `${engine}w1`, name: 'Ada' });
      const b = await insertPerson(db(), { username: `${engine}w2`, name: 'Bob' });
      const { meetingId } = await createMeeting({
        db: db(),
        title: 'Sync',
        participantIds: [a, b],
        startsAt: '2031-03-03T09:00:00.000Z',
      });
      assert.equal((await rows()).length, 1);
      assert.equal((await deliver()).failed, 0);
      const [hit] = received;
      assert.ok(hit);
      assert.equal(hit.verified, true, 'the signature checks out, by hand and with the standard library');
      assert.equal(hit.headers['content-type'], 'application/json');
      const [row] = await rows();
      assert.equal(hit.headers['webhook-id'], row?.id);
      const event = JSON.parse(hit.body);
      assert.equal(event.type, 'meeting.intro');
      assert.equal(event.timestamp, row?.created_at);
      assert.equal(event.data.meeting.id, meetingId);
      assert.equal(event.data.meeting.startsAt, '2031-03-03T09:00:00.000Z');
      assert.deepEqual(
        event.data.participants.map((p: { name: string; email: string; timezone: string }) => [
          p.name,
          p.email,
          p.timezone,
        ]),
        [
          ['Ada', `${engine}w1@example.org`, 'UTC'],
          ['Bob', `${engine}w2@example.org`, 'UTC'],
        ],
      );
      assert.match(event.data.roomUrl, /^https:\/\/meet\.jit\.si\/convene-/);
      assert.equal(row?.status, 'sent');

      await cancelMeeting({ db: db(), meetingId });
      await deliver();
      const cancel = JSON.parse(received[1]?.body ?? '{}');
      assert.equal(cancel.type, 'meeting.cancel');
      assert.equal(cancel.data.roomUrl, null);
    });

    test('a 500 is retried under the same webhook-id; 429 waits Retry-After; 410 and 400 fail at once', async () => {
      await reset();
      const a = await insertPerson(db(), { username: `${engine}w3` });
      answers.push({ status: 500 });
      await createMeeting({ db: db(), title: 'Flaky', participantIds: [a] });
      const first = await deliver();
      assert.equal(first.retried, 1);
      answers.push({ status: 429, headers: { 'retry-after': '120' } });
      const second = await deliver(later(31));
      assert.equal(second.retried, 1);
      const [waiting] = await rows();
      assert.equal(waiting?.status, 'pending');
      const wait = (Date.parse(waiting?.next_attempt_at ?? '') - later(31).getTime()) / 1000;
      assert.ok(wait >= 118 && wait <= 121, `waited ${wait}s`);
      const third = await deliver(later(31 + 121));
      assert.equal(third.sent, 1);
      assert.equal(received.length, 3);
      assert.equal(new Set(received.map((r) => r.headers['webhook-id'])).size, 1, 'one id across retries');
      assert.ok(received.every((r) => r.verified));
      assert.equal(new Set(received.map((r) => r.body)).size, 1, 'the same event every time');

      for (const status of [410, 400]) {
        await reset();
        answers.push({ status });
        await createMeeting({ db: db(), title: `Gone ${status}`, participantIds: [a] });
        const run = await deliver();
        assert.equal(run.failed, 1);
        const [row] = await rows();
        assert.equal(row?.status, 'failed');
        assert.match(row?.last_error ?? '', new RegExp(String(status)));
      }
    });
  },
  { 'notifications.webhook.url': url, 'notifications.webhook.secret': secret },
);
