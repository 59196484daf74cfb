// test-runner: one process per engine
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { cleanupAlumni } from '../src/features/directory/cleanup.js';
import { syncGroupFromChat } from '../src/features/mixers/chatSync.js';
import { managerPattern } from '../src/features/mixers/eligibility.js';
import { runRound } from '../src/features/mixers/rounds.js';
import { runDueRounds } from '../src/features/mixers/scheduler.js';
import { FakeMattermost } from './helpers/fakeMattermost.js';
import { FakeSlack } from './helpers/fakeSlack.js';
import { clientFor, insertPerson } from './helpers/people.js';
import { adminClient } from './helpers/server.js';
import { forEachEngine } from './helpers/suite.js';

const slack = await new FakeSlack().start();
const mm = await new FakeMattermost().start();
after(async () => {
  await slack.stop();
  await mm.stop();
});

const titles = managerPattern('Manager');
const DIRECTORY = 300;
const NEWCOMERS = 150;
const OLD_MEMBERS = 20;

forEachEngine(
  'groups fed from a chat channel',
  (get, engine) => {
    const db = () => get().ctx.database.db;

    for (const kind of ['slack', 'mattermost'] as const) {
      test(`${kind}: a 450-member channel is read page by page; newcomers join, leavers leave, history stays; a failing chat does not stop the round`, async () => {
        const prefix = `${engine}${kind}`;
        const admin = await adminClient(get().app);
        const created = await admin.post('/api/v1/mixers/groups', {
          name: `Chat ${kind}`,
          cron: '0 10 * * MON',
          timezone: 'UTC',
        });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        const groupId: string = created.body.group.id;

        // Before the channel feeds it, the group had members of its own and a round with them.
        const directory: string[] = [];
        for (let i = 0; i < DIRECTORY; i++) directory.push(await insertPerson(db(), { username: `${prefix}p${i}` }));
        const old: string[] = [];
        for (let i = 0; i < OLD_MEMBERS; i++) old.push(await insertPerson(db(), { username: `${prefix}old${i}` }));
        const now = new Date().toISOString();
        await db()
          .insertInto('group_members')
          .values(
            [...old, ...directory.slice(0, 10)].map((person_id) => ({
              group_id: groupId,
              person_id,
              status: 'active' as const,
              paused_until: null,
              skip_round_at: null,
              joined_at: now,
              left_at: null,
            })),
          )
          .execute();
        const first = await runRound({
          db: db(),
          groupId,
          scheduledFor: new Date('2024-01-01T10:00:00Z'),
          titlePattern: titles,
        });
        assert.equal(first.stats.members, OLD_MEMBERS + 10);

        // The channel: every directory person (some addresses in capitals), 150 people the directory
        // does not know, one deactivated account and one other bot — 452 accounts plus our bot.
        const emails = [
          ...directory.map((_, i) => (i % 7 === 0 ? `${prefix}P${i}@EXAMPLE.org` : `${prefix}p${i}@example.org`)),
          ...Array.from({ length: NEWCOMERS }, (_, i) => `${prefix}n${i}@example.org`),
        ];
        let channel: string;
        if (kind === 'slack') {
          const ids = emails.map((email, i) => slack.addProfile(email, { name: `Person ${i}` }));
          ids.push(slack.addProfile(`${prefix}gone@example.org`, { name: 'Gone', deleted: true }));
          ids.push(slack.addProfile(`${prefix}robot@example.org`, { name: 'Robot', isBot: true }));
          channel = `slack:${slack.addChannel(ids)}`;
        } else {
          const ids = emails.map((email, i) => mm.addUser(email, { first: 'Person', last: String(i) }));
          ids.push(mm.addUser(`${prefix}gone@example.org`, { deleted: true }));
          ids.push(mm.addUser(`${prefix}robot@example.org`, { isBot: true }));
          channel = `mattermost:${mm.addChannel(ids)}`;
        }
        await db()
          .updateTable('groups')
          .set({ chat_channel: channel, next_round_at: '2024-01-08T10:00:00.000Z' })
          .where('id', '=', groupId)
          .execute();
        slack.reset();
        mm.reset();

        const logged: string[] = [];
        const log = {
          warn: (details: Record<string, unknown>, message: string) => logged.push(`${message} ${details.err}`),
        };
        const made = await runDueRounds({ db: db(), titlePattern: titles, log });
        assert.equal(made, 1);
        assert.deepEqual(logged, []);

        // Every page was read: 453 members at 200 a page.
        if (kind === 'slack') {
          assert.equal(slack.calls.filter((c) => c.method === 'conversations.members').length, 3);
          assert.equal(slack.calls.filter((c) => c.method === 'users.info').length, 453);
        } else {
          const pages = mm.calls.filter((c) => c.method === 'GET' && /\/members$/.test(c.path));
          assert.equal(pages.length, 3);
        }
        const members = await db()
          .selectFrom('group_members')
          .select(['person_id', 'status', 'left_at'])
          .where('group_id', '=', groupId)
          .execute();
        const active = members.filter((m) => m.status === 'active');
        const left = members.filter((m) => m.status === 'left');
        assert.equal(active.length, DIRECTORY + NEWCOMERS);
        assert.deepEqual(new Set(left.map((m) => m.person_id)), new Set(old));
        assert.ok(left.every((m) => m.left_at));
        const newPeople = await db()
          .selectFrom('people')
          .select(['username', 'email', 'name', 'password_hash'])
          .where('email', 'like', `${prefix}n%`)
          .execute();
        assert.equal(newPeople.length, NEWCOMERS);
        assert.ok(newPeople.every((p) => p.password_hash === null && p.username === p.email?.split('@')[0]));
        assert.equal(newPeople.find((p) => p.email === `${prefix}n3@example.org`)?.name, 'Person 303');
        const ignored = await db()
          .selectFrom('people')
          .select('id')
          .where('email', 'in', [`${prefix}gone@example.org`, `${prefix}robot@example.org`])
          .execute();
        assert.equal(ignored.length, 0, 'deactivated accounts and bots are nobody to pair');
        // Each member is now known by their chat user id too, so a changed address finds the same person.
        const linked = await db()
          .selectFrom('external_ids')
          .select('person_id')
          .where('source', '=', kind)
          .where(
            'person_id',
            'in',
            active.map((m) => m.person_id),
          )
          .execute();
        assert.equal(linked.length, DIRECTORY + NEWCOMERS);
        const group = await db().selectFrom('groups').selectAll().where('id', '=', groupId).executeTakeFirstOrThrow();
        assert.ok(group.chat_synced_at);
        const rounds = await db()
          .selectFrom('rounds')
          .selectAll()
          .where('group_id', '=', groupId)
          .orderBy('scheduled_for')
          .execute();
        assert.equal(rounds.length, 2);
        assert.equal(JSON.parse(rounds[1]?.stats ?? '{}').members, DIRECTORY + NEWCOMERS);
        const history = await db()
          .selectFrom('meetings')
          .innerJoin('meeting_participants', 'meeting_participants.meeting_id', 'meetings.id')
          .select('meeting_participants.person_id')
          .where('meetings.round_id', '=', first.roundId)
          .execute();
        assert.equal(history.length, OLD_MEMBERS + 10, "the leavers' past meetings stay");

        // A second sync changes nothing.
        assert.deepEqual(
          { ...(await syncGroupFromChat({ db: db(), groupId })), chatChannel: '' },
          { chatChannel: '', members: DIRECTORY + NEWCOMERS, joined: 0, left: 0, created: 0, unreadable: 0 },
        );

        // The chat fails: the next round still happens, with the members the group has.
        if (kind === 'slack') slack.fail('conversations.members', { error: 'internal_error' });
        else mm.fail('GET /channels/', 500);
        await db()
          .updateTable('groups')
          .set({ next_round_at: '2024-01-08T10:00:00.000Z' })
          .where('id', '=', groupId)
          .execute();
        const again = await runDueRounds({
          db: db(),
          titlePattern: titles,
          log,
          now: new Date(Date.now() + 7 * 86400_000),
        });
        assert.equal(again, 1);
        assert.equal(logged.length, 1);
        assert.match(logged[0] ?? '', /chat channel sync failed/);
        const failures = await db()
          .selectFrom('audit_log')
          .select('data')
          .where('action', '=', 'group.chat_sync_failed')
          .where('subject_id', '=', groupId)
          .execute();
        assert.equal(failures.length, 1);
        const third = await db().selectFrom('rounds').selectAll().where('group_id', '=', groupId).execute();
        assert.equal(third.length, 3);
        assert.equal(
          (
            await db()
              .selectFrom('group_members')
              .select('person_id')
              .where('group_id', '=', groupId)
              .where('status', '=', 'active')
              .execute()
          ).length,
          DIRECTORY + NEWCOMERS,
        );
        // Leave the other engine's run of this file a clean calendar.
        await db().updateTable('groups').set({ next_round_at: null }).where('id', '=', groupId).execute();
      });
    }

    test("people's own choices hold: who left themselves or was removed stays out, alumni are not added, a hidden address is not a departure; the admin's round syncs first", async () => {
      const prefix = `${engine}own`;
      const admin = await adminClient(get().app);
      const created = await admin.post('/api/v1/mixers/groups', { name: `Own ${engine}`, cron: '0 10 * * MON' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const groupId: string = created.body.group.id;
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) ids.push(await insertPerson(db(), { username: `${prefix}${i}`, enabled: i !== 5 }));
      const chatIds = ids.map((_, i) => slack.addProfile(`${prefix}${i}@example.org`, { name: `Own ${i}` }));
      const channel = slack.addChannel(chatIds.slice(0, 6));
      await db()
        .updateTable('groups')
        .set({ chat_channel: `slack:${channel}` })
        .where('id', '=', groupId)
        .execute();
      const statusOf = async () =>
        new Map(
          (
            await db()
              .selectFrom('group_members')
              .select(['person_id', 'status', 'left_by'])
              .where('group_id', '=', groupId)
              .execute()
          ).map((row) => [ids.indexOf(row.person_id), `${row.status}${row.left_by ? `:${row.left_by}` : ''}`]),
        );
      const runNow = (body: Record<string, unknown> = {}) =>
        admin.post(`/api/v1/mixers/groups/${groupId}/rounds`, body);

      // A preview reads no chat and changes nobody.
      slack.reset();
      const preview = await runNow({ dryRun: true });
      assert.equal(preview.status, 200, JSON.stringify(preview.body));
      assert.equal(slack.calls.filter((c) => c.method === 'conversations.members').length, 0);
      assert.equal((await statusOf()).size, 0);

      // "Run round now" syncs first, as the scheduler does; the disabled person (5) is not added.
      const round = await runNow();
      assert.equal(round.status, 200, JSON.stringify(round.body));
      assert.equal(slack.calls.filter((c) => c.method === 'conversations.members').length, 1);
      assert.equal(round.body.round.stats.members, 5, 'people 0–4: the channel less the alumnus');
      assert.equal((await statusOf()).has(5), false);

      // 0 leaves on their own; an admin removes 1; 2 leaves the channel.
      assert.equal(
        (await (await clientFor(get().app, db(), ids[0] as string)).post(`/api/v1/mixers/groups/${groupId}/leave`))
          .status,
        200,
      );
      assert.equal((await admin.post(`/api/v1/mixers/groups/${groupId}/leave`, { personId: ids[1] })).status, 200);
      slack.channelMembers.set(channel, [slack.botId, ...chatIds.slice(0, 6).filter((_, i) => i !== 2)]);
      const sync1 = await syncGroupFromChat({ db: db(), groupId });
      assert.deepEqual({ joined: sync1?.joined, left: sync1?.left }, { joined: 0, left: 1 });
      let now = await statusOf();
      assert.equal(now.get(0), 'left:self', 'still in the channel, but they chose to leave');
      assert.equal(now.get(1), 'left:admin');
      assert.equal(now.get(2), 'left:sync');

      // 2 is back in the channel: the sync's own removal is undone; 0 and 1 stay out.
      slack.channelMembers.set(channel, [slack.botId, ...chatIds.slice(0, 6)]);
      const sync2 = await syncGroupFromChat({ db: db(), groupId });
      assert.deepEqual({ joined: sync2?.joined, left: sync2?.left }, { joined: 1, left: 0 });
      now = await statusOf();
      assert.equal(now.get(0), 'left:self');
      assert.equal(now.get(1), 'left:admin');
      assert.equal(now.get(2), 'active');

      // A membership that ended before left_by existed counts as the person's own choice.
      await db()
        .updateTable('group_members')
        .set({ left_by: null })
        .where('person_id', '=', ids[0] as string)
        .execute();
      assert.equal((await syncGroupFromChat({ db: db(), groupId }))?.joined, 0);

      // 3's address turns hidden, and 4 leaves the channel: 3 might be anyone, so nobody leaves.
      const hidden = slack.profiles.get(chatIds[3] as string);
      assert.ok(hidden);
      hidden.email = '';
      slack.channelMembers.set(channel, [slack.botId, ...chatIds.slice(0, 6).filter((_, i) => i !== 4)]);
      const sync3 = await syncGroupFromChat({ db: db(), groupId });
      assert.deepEqual({ left: sync3?.left, unreadable: sync3?.unreadable }, { left: 0, unreadable: 1 });
      now = await statusOf();
      assert.equal(now.get(3), 'active', 'an unreadable address is not a departure');
      assert.equal(now.get(4), 'active');
      hidden.email = `${prefix}3@example.org`;

      // Alumni clean-up is an organisation's decision: the sync does not undo it.
      await db()
        .updateTable('people')
        .set({ enabled: 0 })
        .where('id', '=', ids[3] as string)
        .execute();
      await cleanupAlumni({ db: db() });
      await db()
        .updateTable('people')
        .set({ enabled: 1 })
        .where('id', '=', ids[3] as string)
        .execute();
      await syncGroupFromChat({ db: db(), groupId });
      // The clean-up records why they left ('disabled'); the chat sync still brings back only its own removals.
      assert.equal((await statusOf()).get(3), 'left:disabled');

      // A chat that fails does not stop the admin's round.
      slack.fail('conversations.members', { error: 'internal_error' });
      // A second round minutes after the first: the admin confirms it (force), as the page asks to.
      const despite = await runNow({ force: true });
      assert.equal(despite.status, 200, JSON.stringify(despite.body));
      assert.ok(despite.body.round.roundId);
      const failures = await db()
        .selectFrom('audit_log')
        .select('id')
        .where('action', '=', 'group.chat_sync_failed')
        .where('subject_id', '=', groupId)
        .execute();
      assert.equal(failures.length, 1);
    });
  },
  {
    'notifications.slack.token': slack.token,
    'notifications.slack.apiUrl': slack.url,
    'notifications.mattermost.url': mm.url,
    'notifications.mattermost.token': mm.token,
  },
);
