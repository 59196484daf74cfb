// test-runner: one process per engine
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { openContext } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { Db } from '../src/db/database.js';
import { createMeeting } from '../src/features/meetings/service.js';
import { ChannelLimits } from '../src/features/notifications/channelLimits.js';
import { claimDue, drainOutbox, releaseClaims } from '../src/features/notifications/outbox.js';
import { buildSenders } from '../src/features/notifications/senders.js';
import { enginesUnderTest } from './helpers/databases.js';
import { notificationRows, startForFile, testOutboxOptions } from './helpers/outbox.js';
import { insertPerson } from './helpers/people.js';
import { type ConveneProcess, spawnConvene, spawnWorker } from './helpers/process.js';
import { TestSmtp } from './helpers/smtp.js';
import { forEachEngine } from './helpers/suite.js';

const smtp = await startForFile(new TestSmtp());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(50);
  }
}

const statusCounts = async (db: Db) => {
  const rows = await db.selectFrom('notifications').select('status').execute();
  const counts: Record<string, number> = {};
  for (const { status } of rows) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
};

/** `meetings` meetings of `size` people each: one e-mail intro per person. Returns every address. */
async function backlog(db: Db, tag: string, meetings: number, size: number): Promise<string[]> {
  const addresses: string[] = [];
  for (let m = 0; m < meetings; m++) {
    const ids: string[] = [];
    for (let p = 0; p < size; p++) {
      const username = `${tag}m${m}p${p}`;
      ids.push(await insertPerson(db, { username }));
      addresses.push(`${username}@example.org`);
    }
    await createMeeting({ db, title: `Backlog ${tag} ${m}`, participantIds: ids });
  }
  return addresses;
}

const mailsTo = (addresses: Set<string>) =>
  smtp.mails.filter((mail) => {
    const to = JSON.stringify(mail.to).toLowerCase();
    return [...addresses].some((a) => to.includes(a));
  });

// Both long-running commands that run the outbox: `convene worker`, and `convene serve` with its jobs.
const commands: Array<{ name: string; spawn: (env: Record<string, string>) => Promise<ConveneProcess> }> = [
  { name: 'convene worker', spawn: spawnWorker },
  { name: 'convene serve', spawn: (env) => spawnConvene(env) },
];

for (const engine of enginesUnderTest()) {
  describe(`stopping a process that drains the outbox [${engine.engine}]`, () => {
    for (const command of commands) {
      test(`${command.name} on SIGTERM mid-drain: stops claiming, finishes and records what it sends, hands back the rest, exits; the next run sends each message exactly once`, async () => {
        const database = await engine.create({ migrated: true });
        const dir = mkdtempSync(join(tmpdir(), 'convene-stop-'));
        const configFile = join(dir, 'convene.config.json');
        // A long lease (the default's): a row left 'sending' would stay stuck for the whole test.
        writeFileSync(
          configFile,
          JSON.stringify({
            notifications: { outbox: { everyMs: 200, batchSize: 20, concurrency: 4, leaseSeconds: 300 } },
          }),
        );
        const env = {
          DATABASE_URL: database.url,
          CONVENE_CONFIG: configFile,
          CONVENE_SMTP_URL: smtp.url,
          LOG_LEVEL: 'warn',
        };
        const ctx = await openContext(loadConfig({ env, cwd: dir }));
        const db = ctx.database.db;
        const tag = `${engine.engine}${command.name.split(' ')[1]}`;
        const running: ConveneProcess[] = [];
        try {
          const addresses = await backlog(db, tag, 25, 4);
          const mine = new Set(addresses);
          assert.equal((await statusCounts(db)).pending, 100, 'a backlog of 100 e-mails');

          // Every recipient is held at RCPT TO: the worker's four lanes are each in the middle of a send.
          for (const a of addresses) smtp.holdFor.add(a);
          const first = await command.spawn(env);
          running.push(first);
          await until(() => smtp.heldCount === 4, 'four messages held mid-send');
          const signalled = Date.now();
          first.child.kill('SIGTERM');
          // The 16 claimed but not started go back at once; only the four being sent stay 'sending'.
          await until(
            async () => (await statusCounts(db)).sending === 4,
            'the unstarted rows handed back',
            5_000,
          ).catch(() => undefined);
          // The four in flight are accepted; anything sent after this would hang again.
          smtp.release();
          for (const a of addresses) smtp.holdFor.add(a);
          const code = await Promise.race([first.exited, sleep(12_000).then(() => 'still running')]);
          const tookMs = Date.now() - signalled;
          smtp.release();
          assert.equal(code, 0, `exits cleanly after SIGTERM:\n${first.output()}`);
          if (command.name === 'convene worker') {
            // It writes the links in messages and cannot know the server's address: it says so.
            assert.match(first.output(), /publicUrl is not set: links in messages point to http:\/\/localhost:3000/);
          }
          assert.ok(tookMs < 8_000, `exits within 8 s of SIGTERM (took ${tookMs} ms)`);

          assert.equal(mailsTo(mine).length, 4, 'only the four messages in flight at the signal went out');
          const after = await notificationRows(db);
          assert.deepEqual(await statusCounts(db), { sent: 4, pending: 96 }, 'nothing left sending');
          for (const row of after.filter((r) => r.status === 'sent')) {
            assert.equal(row.attempts, 1);
            assert.ok(row.sent_at, 'what went out is recorded as sent');
          }
          for (const row of after.filter((r) => r.status === 'pending')) {
            assert.equal(row.attempts, 0, 'a handed-back message has not used an attempt');
            assert.equal(row.claimed_by, null);
            assert.equal(row.claimed_until, null);
            assert.ok(Date.parse(row.next_attempt_at) <= Date.now(), 'due at once for the next worker');
          }

          // The next run (the lease has not run out) sends the rest, and nothing a second time.
          const second = await command.spawn(env);
          running.push(second);
          await until(async () => (await statusCounts(db)).sent === 100, 'the next worker sent the backlog');
          second.child.kill('SIGTERM');
          assert.equal(await second.exited, 0, second.output());
          const sent = mailsTo(mine);
          assert.equal(sent.length, 100, 'every message sent exactly once');
          assert.equal(new Set(sent.map((m) => m.messageId)).size, 100, 'no Message-ID twice');
          for (const a of addresses) assert.equal(smtp.kindsTo(a).length, 1, `${a} got one e-mail`);
          for (const row of await notificationRows(db)) assert.equal(row.attempts, 1, 'each sent on its first attempt');
        } finally {
          smtp.release();
          for (const p of running) p.child.kill('SIGKILL');
          await ctx.database.close();
          await database.drop();
        }
      });
    }
  });
}

forEachEngine(
  'an outbox drain told to stop',
  (get, engine) => {
    const db = () => get().ctx.database.db;
    const drain = async (signal: AbortSignal, extra: { limits?: ChannelLimits; stopGraceMs?: number } = {}) => {
      const built = await buildSenders(db(), get().config);
      try {
        return await drainOutbox({
          db: db(),
          engine,
          senders: built.senders,
          options: testOutboxOptions({ batchSize: 10, concurrency: 2 }),
          workerId: 'test',
          signal,
          ...extra,
        });
      } finally {
        built.close();
      }
    };
    const reset = async () => {
      smtp.release();
      await db().deleteFrom('notifications').execute();
    };

    test('a send still hanging after the grace is left to its lease; the drain returns and the rest go back', async () => {
      await reset();
      const addresses = await backlog(db(), `${engine}hang`, 3, 2);
      for (const a of addresses) smtp.holdFor.add(a);
      const stop = new AbortController();
      const draining = drain(stop.signal, { stopGraceMs: 300 });
      await until(() => smtp.heldCount === 2, 'two messages held mid-send');
      const stopped = Date.now();
      stop.abort();
      const run = await draining;
      assert.ok(Date.now() - stopped < 3_000, 'the drain returns soon after the grace, though two sends hang');
      assert.equal(run.sent, 0);
      assert.deepEqual(await statusCounts(db()), { sending: 2, pending: 4 });
      for (const row of await notificationRows(db()))
        assert.equal(row.attempts, row.status === 'sending' ? 1 : 0, row.status);
      // The two hanging sends go through late, after the drain gave them up: as after a dead worker.
      const mine = new Set(addresses);
      smtp.release();
      await until(() => mailsTo(mine).length === 2, 'the late sends done');
    });

    test("messages waiting for a channel's pace when the drain stops are handed back, not sent", async () => {
      await reset();
      const mine = new Set(await backlog(db(), `${engine}pace`, 2, 2));
      // One e-mail every 2 s: after the first, each message waits for its turn before it starts.
      const limits = new ChannelLimits({ email: 0.5 });
      const stop = new AbortController();
      const draining = drain(stop.signal, { limits });
      await until(() => mailsTo(mine).length === 1, 'the first message sent');
      await sleep(200);
      stop.abort();
      const run = await draining;
      assert.equal(run.sent, 1);
      await sleep(300);
      assert.equal(mailsTo(mine).length, 1, 'nothing sent after the stop');
      assert.deepEqual(await statusCounts(db()), { sent: 1, pending: 3 });
      for (const row of await notificationRows(db())) {
        if (row.status === 'pending') assert.equal(row.attempts, 0);
      }
    });

    test('a handed-back message taken over from a dead worker stays marked recovered for the next claim', async () => {
      await reset();
      await backlog(db(), `${engine}rec`, 1, 2);
      const claim = (now: Date) => claimDue(db(), engine, { workerId: 'w', limit: 10, leaseSeconds: 60, now });
      const first = await claim(new Date());
      assert.equal(first.rows.length, 2);
      // That worker died: a second claims the rows when the lease runs out, then is stopped before sending.
      const second = await claim(new Date(Date.now() + 61_000));
      assert.deepEqual(
        second.rows.map((r) => [r.recovered, r.attempts]),
        [
          [1, 2],
          [1, 2],
        ],
      );
      assert.equal(
        await releaseClaims(
          db(),
          second.rows.map((row) => ({ row, claim: second.claim })),
        ),
        2,
      );
      for (const row of await notificationRows(db())) {
        assert.equal(row.status, 'pending');
        assert.equal(row.attempts, 1, 'the stopped worker took back its attempt, not the dead one');
        assert.equal(row.recovered, 1);
      }
      const third = await claim(new Date(Date.now() + 62_000));
      assert.deepEqual(
        third.rows.map((r) => r.recovered),
        [1, 1],
        'still recovered: the chat channels look for the dead worker post',
      );
    });
  },
  {
    'notifications.email.smtpUrl': smtp.url,
    'notifications.email.from': 'Convene <convene@example.org>',
  },
);
