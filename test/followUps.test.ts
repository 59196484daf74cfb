import assert from 'node:assert/strict';
import { test } from 'node:test';
import { managerPattern } from '../src/features/mixers/eligibility.js';
import { runRound } from '../src/features/mixers/rounds.js';
import { saveChannel } from '../src/features/notifications/channels.js';
import { slackSignature } from '../src/features/notifications/slackInteractions.js';
import { FakeSlack } from './helpers/fakeSlack.js';
import { deliverOutbox, startForFile, testOutboxOptions } from './helpers/outbox.js';
import { clientFor, insertPerson } from './helpers/people.js';
import { adminClient, Client } from './helpers/server.js';
import { TestSmtp } from './helpers/smtp.js';
import { forEachEngine } from './helpers/suite.js';

const slack = await startForFile(new FakeSlack());
const smtp = await startForFile(new TestSmtp());

const options = testOutboxOptions();
const SIGNING_SECRET = 'slack-signing-secret-for-tests-0123';

forEachEngine(
  'follow-ups: "Did you meet?"',
  (get, engine) => {
    const db = () => get().ctx.database.db;
    const deliver = (now?: Date) => deliverOutbox(get, engine, { options, now });
    const state: { groupId: string; meetingId: string; people: string[]; slackIds: string[] } = {
      groupId: '',
      meetingId: '',
      people: [],
      slackIds: [],
    };
    const feedback = () =>
      db().selectFrom('meeting_feedback').selectAll().where('meeting_id', '=', state.meetingId).execute();
    const stats = async () => {
      const admin = await adminClient(get().app);
      const response = await admin.get(`/api/v1/mixers/groups/${state.groupId}/stats`);
      assert.equal(response.status, 200);
      return response.body.stats.followUps;
    };

    test('a round queues one follow-up per channel, due the group’s days after the match', async () => {
      smtp.mails.length = 0;
      slack.reset();
      const admin = await adminClient(get().app);
      const group = await admin.post('/api/v1/mixers/groups', {
        name: 'Lunch roulette',
        cron: '0 10 * * MON',
        followUpDays: 3,
        followUpTemplate: 'Hi {{first_name}}, did you and {{others}} get lunch?',
      });
      assert.equal(group.status, 201, JSON.stringify(group.body));
      state.groupId = group.body.group.id;
      for (const name of ['Ada Lovelace', 'Bob Stone']) {
        const username = `${engine}${name.split(' ')[0]?.toLowerCase()}`;
        const id = await insertPerson(db(), { username, name });
        state.people.push(id);
        state.slackIds.push(slack.addProfile(`${username}@example.org`, { name }));
        await (await clientFor(get().app, db(), id)).post(`/api/v1/mixers/groups/${state.groupId}/join`);
      }
      const round = await runRound({
        db: db(),
        groupId: state.groupId,
        scheduledFor: new Date(),
        titlePattern: managerPattern('Manager'),
      });
      const meeting = await db()
        .selectFrom('meetings')
        .selectAll()
        .where('round_id', '=', round.roundId)
        .executeTakeFirstOrThrow();
      state.meetingId = meeting.id;
      const rows = await db()
        .selectFrom('notifications')
        .selectAll()
        .where('meeting_id', '=', meeting.id)
        .where('kind', '=', 'follow_up')
        .execute();
      assert.deepEqual(rows.map((r) => r.channel).sort(), ['email', 'email', 'slack']);
      const due = new Date(Date.parse(meeting.created_at) + 3 * 86_400_000).toISOString();
      assert.ok(rows.every((r) => r.next_attempt_at === due));
      // Sending the intro now does not send the follow-up early.
      await deliver();
      assert.equal(smtp.mails.filter((m) => m.subject?.startsWith('Did you meet?')).length, 0);
    });

    test('the e-mail carries one-click links; the page posts the answer with its token; stats count it', async () => {
      smtp.mails.length = 0;
      slack.reset();
      const run = await deliver(new Date(Date.now() + 3 * 86_400_000 + 60_000));
      assert.equal(run.sent, 3, JSON.stringify(run));
      const mail = smtp.mails.find((m) => m.subject?.startsWith('Did you meet?') && m.text?.includes('Hi Ada'));
      assert.ok(mail, 'Ada got a follow-up');
      assert.match(mail.text ?? '', /Hi Ada, did you and Bob Stone get lunch\?/);
      const yes = /Yes: (\S+)/.exec(mail.text ?? '')?.[1] ?? '';
      const url = new URL(yes);
      assert.equal(url.origin, 'https://convene.example.org');
      assert.equal(url.pathname, `/meetings/${state.meetingId}/answer`);
      assert.equal(url.searchParams.get('answer'), 'yes');
      assert.match(String(mail.html), /Yes, we met/);

      // Opening the link (a mail scanner's prefetch) changes nothing: only the page's POST does.
      const anonymous = new Client(get().app);
      await anonymous.get(`${url.pathname}${url.search}`);
      assert.equal((await feedback()).length, 0);

      const answer = {
        person: url.searchParams.get('person'),
        token: url.searchParams.get('token'),
        answer: 'yes',
      };
      // Not before the meeting could have taken place: an untimed match from the day after it was made.
      const early = await anonymous.post(`/api/v1/meetings/${state.meetingId}/feedback`, answer);
      assert.equal(early.status, 409, JSON.stringify(early.body));
      assert.match(early.body.error.message, /from tomorrow/);
      assert.equal((await feedback()).length, 0);
      // The follow-up goes out days later; by then the match is days old.
      await db()
        .updateTable('meetings')
        .set({ created_at: new Date(Date.now() - 3 * 86_400_000).toISOString() })
        .where('id', '=', state.meetingId)
        .execute();
      const posted = await anonymous.post(`/api/v1/meetings/${state.meetingId}/feedback`, answer);
      assert.equal(posted.status, 200, JSON.stringify(posted.body));
      const rows = await feedback();
      assert.equal(rows.length, 1);
      assert.equal(rows[0]?.via, 'email');
      assert.deepEqual(await stats(), { answers: 1, met: 1, answeredMeetings: 1, metRate: 1 });

      const forged = await anonymous.post(`/api/v1/meetings/${state.meetingId}/feedback`, {
        ...answer,
        token: `${answer.token?.slice(0, -2)}xx`,
        answer: 'no',
      });
      assert.equal(forged.status, 403);
      const otherPerson = await anonymous.post(`/api/v1/meetings/${state.meetingId}/feedback`, {
        ...answer,
        person: state.people[1],
      });
      assert.equal(otherPerson.status, 403, 'a token is bound to its person');
      assert.equal((await feedback())[0]?.answer, 'yes');

      // A signed-in participant answers without a token (and may change their mind).
      const bob = await clientFor(get().app, db(), state.people[1] as string);
      const changed = await bob.post(`/api/v1/meetings/${state.meetingId}/feedback`, { answer: 'no' });
      assert.equal(changed.status, 200);
      assert.equal((await feedback()).length, 2);
      assert.equal((await stats()).met, 1, 'one yes is enough for the meeting to count');
    });

    test('Slack: the follow-up has Yes/No buttons; a signed click is recorded, a forged one refused', async () => {
      const post = slack.posts.find((p) => JSON.stringify(p.blocks).includes('convene_met_yes'));
      assert.ok(post, 'the Slack follow-up has the buttons');
      assert.ok(JSON.stringify(post.blocks).includes(state.meetingId));
      await saveChannel(db(), {
        channel: 'slack',
        enabled: true,
        settings: { apiUrl: slack.url },
        secrets: { token: slack.token, signingSecret: SIGNING_SECRET },
        source: 'admin',
      });
      await db().deleteFrom('meeting_feedback').execute();
      slack.responses.length = 0;
      const body = `payload=${encodeURIComponent(
        JSON.stringify({
          type: 'block_actions',
          response_url: `${slack.url}response/T1/B1`,
          user: { id: state.slackIds[0] },
          actions: [{ action_id: 'convene_met_no', value: state.meetingId }],
        }),
      )}`;
      const click = (headers: Record<string, string>) =>
        new Client(get().app).request('POST', '/api/v1/integrations/slack/interactions', body, {
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        });
      const signed = (timestamp: number, secret = SIGNING_SECRET) => ({
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': slackSignature(secret, String(timestamp), body),
      });
      const now = Math.floor(Date.now() / 1000);

      const wrong = await click(signed(now, 'not-the-secret'));
      assert.equal(wrong.status, 401);
      const stale = await click(signed(now - 6 * 60));
      assert.equal(stale.status, 401);
      const unsigned = await click({});
      assert.equal(unsigned.status, 401);
      assert.equal((await feedback()).length, 0);

      const ok = await click(signed(now));
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal(ok.body.ok, true);
      const replay = await click(signed(now));
      assert.equal(replay.status, 200);
      const rows = await feedback();
      assert.equal(rows.length, 1, 'a replayed click is the same answer');
      assert.equal(rows[0]?.person_id, state.people[0]);
      assert.equal(rows[0]?.answer, 'no');
      assert.equal(rows[0]?.via, 'slack');
      assert.deepEqual(await stats(), { answers: 1, met: 0, answeredMeetings: 1, metRate: 0 });
      // The clicking person sees a confirmation only they can see (the JSON answer shows nothing).
      const deadline = Date.now() + 5000;
      while (slack.responses.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.equal(slack.responses.length, 2, 'one confirmation per accepted click, none for refused ones');
      assert.equal(slack.responses[0]?.response_type, 'ephemeral');
      assert.match(String(slack.responses[0]?.text), /Noted: you didn’t meet/);
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
