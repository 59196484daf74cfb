import assert from 'node:assert/strict';
import { test } from 'node:test';
import { managerPattern } from '../src/features/mixers/eligibility.js';
import { runRound } from '../src/features/mixers/rounds.js';
import { undoLatestRound } from '../src/features/mixers/undo.js';
import { saveChannel } from '../src/features/notifications/channels.js';
import { deliverOutbox, notificationRows, startForFile, testOutboxOptions } from './helpers/outbox.js';
import { clientFor, insertPerson } from './helpers/people.js';
import { adminClient, type Client } from './helpers/server.js';
import { TestSmtp } from './helpers/smtp.js';
import { forEachEngine } from './helpers/suite.js';

const smtp = await startForFile(new TestSmtp());
const options = testOutboxOptions();
const titles = managerPattern('Manager');
const weekly = { cron: '0 10 * * MON', timezone: 'UTC' };

/**
 * Rounds that went wrong and people who cannot be reached: an admin undoes the latest round (its
 * meetings cancelled, only people who heard of it told, skips given back, pairs free again), sees
 * who in a group no channel reaches, and announces a round made while nobody could be told.
 */
forEachEngine('undoing a round, and who a round reached', (get, engine) => {
  const db = () => get().ctx.database.db;
  let admin: Client;
  const email = (enabled: boolean) =>
    saveChannel(db(), {
      channel: 'email',
      enabled,
      settings: { from: 'Convene <convene@example.org>' },
      secrets: { smtpUrl: smtp.url },
      source: 'admin',
    });
  const deliver = () => deliverOutbox(get, engine, { options });
  const createGroup = async (name: string) => {
    admin ??= await adminClient(get().app);
    const response = await admin.post('/api/v1/mixers/groups', { ...weekly, name });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response.body.group as { id: string; nextRoundAt: string };
  };
  const members = async (groupId: string, prefix: string, n: number, seed: { email?: string | null } = {}) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const id = await insertPerson(db(), { username: `${engine}${prefix}${i}`, ...seed });
      ids.push(id);
      assert.equal((await admin.post(`/api/v1/mixers/groups/${groupId}/members`, { personId: id })).status, 200);
    }
    return ids;
  };
  const round = (groupId: string) =>
    admin.post(`/api/v1/mixers/groups/${groupId}/rounds`, { dryRun: false, force: true });
  const undo = (groupId: string) => admin.post(`/api/v1/mixers/groups/${groupId}/rounds/latest/undo`);
  const mailsTo = (prefix: string) => smtp.mails.filter((m) => JSON.stringify(m.to).includes(`${engine}${prefix}`));

  test('undo: the meetings are cancelled, people who heard of them are told, the pair may meet again', async () => {
    await email(true);
    smtp.mails.length = 0;
    const group = await createGroup('Undo told');
    const ids = await members(group.id, 'told', 2);
    const first = await round(group.id);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    await deliver();
    assert.equal(mailsTo('told').length, 2, 'both had their intro');

    const undone = await undo(group.id);
    assert.equal(undone.status, 200, JSON.stringify(undone.body));
    assert.equal(undone.body.undone.cancelled, 1);
    assert.deepEqual(undone.body.undone.channels, ['email']);
    assert.equal(undone.body.undone.told.length, 2);
    await deliver();
    const cancels = mailsTo('told').filter((m) => /^Cancelled/.test(m.subject ?? ''));
    assert.equal(cancels.length, 2, 'each gets a cancellation');

    const { id: meetingId } = await db()
      .selectFrom('meetings')
      .select('id')
      .where('round_id', '=', first.body.round.roundId)
      .executeTakeFirstOrThrow();
    const meeting = await (await clientFor(get().app, db(), ids[0]!)).get(`/api/v1/meetings/${meetingId}`);
    assert.equal(meeting.body.meeting.status, 'cancelled', 'the meeting page says so');

    // The round is out of every rule: the pair is no repeat, the stats count no round, the list marks it.
    const again = await round(group.id);
    assert.equal(again.status, 200);
    assert.equal(again.body.round.stats.repeatPairs, 0, 'the undone pairing is no longer history');
    const stats = await admin.get(`/api/v1/mixers/groups/${group.id}/stats`);
    assert.equal(stats.body.stats.rounds, 1);
    const rounds = await admin.get(`/api/v1/mixers/groups/${group.id}/rounds`);
    assert.equal(rounds.body.rounds.length, 2);
    assert.equal(rounds.body.rounds[0].undoneAt, null);
    assert.match(rounds.body.rounds[1].undoneAt, /^\d{4}-/);
    const matches = await (await clientFor(get().app, db(), ids[0]!)).get('/api/v1/mixers/matches');
    assert.equal(matches.body.matches.length, 1, 'an undone round is no match');
  });

  test('undo before the intros went out: they never leave, and nobody gets a cancellation', async () => {
    await email(true);
    smtp.mails.length = 0;
    const group = await createGroup('Undo quick');
    await members(group.id, 'quick', 4);
    assert.equal((await round(group.id)).status, 200);
    const undone = await undo(group.id);
    assert.equal(undone.status, 200);
    assert.deepEqual(undone.body.undone.told, []);
    const run = await deliver();
    assert.equal(mailsTo('quick').length, 0, `nothing sent (${JSON.stringify(run)})`);
    const intros = (await notificationRows(db(), { kinds: ['intro'] })).filter((r) =>
      r.payload.includes(`${engine}quick`),
    );
    assert.ok(intros.length >= 4);
    assert.ok(intros.every((r) => r.status === 'skipped' && r.last_error === 'The round was undone.'));
  });

  test('only the latest round, once, and within the window; a held meeting stops it', async () => {
    const group = await createGroup('Undo rules');
    await members(group.id, 'rules', 2);
    const none = await undo(group.id);
    assert.equal(none.status, 409);
    assert.match(none.body.error.message, /no round to undo/);
    assert.equal((await round(group.id)).status, 200);
    assert.equal((await round(group.id)).status, 200);
    // Two clicks at once: one undo; the earlier round is not next in line.
    const [a, b] = await Promise.all([undo(group.id), undo(group.id)]);
    assert.deepEqual([a.status, b.status].sort(), [200, 409]);
    const third = await undo(group.id);
    assert.equal(third.status, 409);
    assert.match(third.body.error.message, /already been undone/);
    const rounds = await admin.get(`/api/v1/mixers/groups/${group.id}/rounds`);
    assert.equal(rounds.body.rounds.filter((r: { undoneAt: string | null }) => r.undoneAt).length, 1);

    const made = await round(group.id);
    const late = undoLatestRound({
      db: db(),
      groupId: group.id,
      windowHours: 24,
      now: new Date(Date.now() + 25 * 3_600_000),
    });
    await assert.rejects(late, (error: { status?: number; message?: string }) => {
      return error.status === 409 && /more than 24 hours ago/.test(error.message ?? '');
    });
    // A meeting marked held: the round happened.
    const meetingId = (
      await db()
        .selectFrom('meetings')
        .select('id')
        .where('round_id', '=', made.body.round.roundId)
        .executeTakeFirstOrThrow()
    ).id;
    assert.equal((await admin.post(`/api/v1/meetings/${meetingId}/done`)).status, 200);
    const held = await undo(group.id);
    assert.equal(held.status, 409);
    assert.match(held.body.error.message, /already taken place/);
    // Members may not undo.
    const member = await clientFor(get().app, db(), await insertPerson(db(), { username: `${engine}nobody` }));
    assert.equal((await member.post(`/api/v1/mixers/groups/${group.id}/rounds/latest/undo`)).status, 403);
    assert.equal((await admin.post('/api/v1/mixers/groups/nope/rounds/latest/undo')).status, 404);
  });

  test('a skip the undone round used up is given back', async () => {
    const group = await createGroup('Undo skip');
    const ids = await members(group.id, 'skip', 3);
    const skipper = await clientFor(get().app, db(), ids[0]!);
    assert.equal((await skipper.post(`/api/v1/mixers/groups/${group.id}/skip`)).body.group.skippingNext, true);
    const made = await round(group.id);
    assert.equal(
      made.body.round.groups.flat().some((p: { id: string }) => p.id === ids[0]),
      false,
    );
    assert.equal((await skipper.get(`/api/v1/mixers/groups/${group.id}`)).body.group.skippingNext, false);
    const undone = await undo(group.id);
    assert.equal(undone.body.undone.skipsRestored, 1);
    assert.equal((await skipper.get(`/api/v1/mixers/groups/${group.id}`)).body.group.skippingNext, true);
    const next = await runRound({
      db: db(),
      groupId: group.id,
      scheduledFor: new Date(group.nextRoundAt),
      titlePattern: titles,
    });
    assert.equal(
      next.groups.flat().some((p) => p.id === ids[0]),
      false,
      'they skip the round they meant to skip',
    );
  });

  test('who cannot be reached, the round warning, and "announce" once a channel is on', async () => {
    await email(false);
    smtp.mails.length = 0;
    const group = await createGroup('Reach');
    const ids = await members(group.id, 'reach', 4);
    const noAddress = await insertPerson(db(), { username: `${engine}reachnomail`, email: null });
    assert.equal((await admin.post(`/api/v1/mixers/groups/${group.id}/members`, { personId: noAddress })).status, 200);

    let reach = (await admin.get(`/api/v1/mixers/groups/${group.id}/reach`)).body.reach;
    assert.equal(reach.members, 5);
    assert.equal(reach.unreachableTotal, 5, 'no channel: nobody');
    assert.match(reach.unreachable[0].reason, /No channel/);
    assert.equal(reach.latestRound, null);

    assert.equal((await round(group.id)).status, 200);
    reach = (await admin.get(`/api/v1/mixers/groups/${group.id}/reach`)).body.reach;
    assert.equal(reach.latestRound.untold.length, reach.latestRound.people, 'nobody was told');
    assert.ok(reach.latestRound.untold.every((p: { reachableNow: boolean }) => !p.reachableNow));
    assert.match(reach.latestRound.undoableUntil, /^\d{4}-/);
    const refused = await admin.post(`/api/v1/mixers/groups/${group.id}/rounds/latest/announce`);
    assert.equal(refused.status, 409);
    assert.match(refused.body.error.message, /No channel/);

    await email(true);
    // One member turned e-mail off for this group: still unreachable, with why.
    const optedOut = await clientFor(get().app, db(), ids[3]!);
    const prefs = await optedOut.put('/api/v1/me/notifications', {
      defaults: { email: true },
      origins: [{ origin: `group:${group.id}`, override: { email: false } }],
    });
    assert.equal(prefs.status, 200, JSON.stringify(prefs.body));
    reach = (await admin.get(`/api/v1/mixers/groups/${group.id}/reach`)).body.reach;
    assert.deepEqual(reach.channels, ['E-mail']);
    const reasons = Object.fromEntries(
      reach.unreachable.map((p: { username: string; reason: string }) => [p.username, p.reason]),
    );
    assert.equal(reach.unreachableTotal, 2);
    assert.match(reasons[`${engine}reachnomail`], /no e-mail address/);
    assert.match(reasons[`${engine}reach3`], /own settings/);

    const [first, second] = await Promise.all([
      admin.post(`/api/v1/mixers/groups/${group.id}/rounds/latest/announce`),
      admin.post(`/api/v1/mixers/groups/${group.id}/rounds/latest/announce`),
    ]);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(second.status, 200, JSON.stringify(second.body));
    const again = await admin.post(`/api/v1/mixers/groups/${group.id}/rounds/latest/announce`);
    assert.deepEqual(again.body.announced.told, [], 'asking again tells nobody');
    await deliver();
    const intros = smtp.mails.filter((m) => JSON.stringify(m.to).includes(`${engine}reach`));
    const to = intros.map((m) => JSON.stringify(m.to)).sort();
    assert.equal(new Set(to).size, to.length, `nobody told twice: ${to.join(' ')}`);
    assert.equal(intros.length, 3, 'the three who can be reached, once each');
    reach = (await admin.get(`/api/v1/mixers/groups/${group.id}/reach`)).body.reach;
    const stillUntold = reach.latestRound.untold.map((p: { username: string }) => p.username).sort();
    assert.ok(stillUntold.every((u: string) => [`${engine}reach3`, `${engine}reachnomail`].includes(u)));
  });

  test('an automatic group: its members by the rule, before any round wrote them; the built-in admin is not one', async () => {
    await email(false);
    admin ??= await adminClient(get().app);
    const made = await admin.post('/api/v1/mixers/groups', { ...weekly, name: 'Everyone reach', membership: 'auto' });
    assert.equal(made.status, 201);
    const group = made.body.group as { id: string; memberCount: number };
    const reach = (await admin.get(`/api/v1/mixers/groups/${group.id}/reach`)).body.reach;
    const view = (await admin.get(`/api/v1/mixers/groups/${group.id}`)).body.group;
    assert.ok(reach.members > 0);
    assert.equal(reach.members, view.memberCount, 'the card counts whom the group page counts');
    assert.equal(reach.unreachableTotal, reach.members, 'no channel on: nobody');
    assert.equal(
      reach.unreachable.some((p: { username: string }) => p.username === 'admin'),
      false,
    );
  });

  test('the meeting page gives the others an address to write to when no chat reaches them', async () => {
    await email(true);
    const a = await insertPerson(db(), { username: `${engine}contacta` });
    const b = await insertPerson(db(), { username: `${engine}contactb` });
    const made = await admin.post('/api/v1/admin/meetings', { title: 'Contact', participantIds: [a, b] });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const id = made.body.meeting.id;
    const asA = await (await clientFor(get().app, db(), a)).get(`/api/v1/meetings/${id}`);
    const people = asA.body.meeting.participants as Array<{ id: string; contactEmail: string | null; email?: string }>;
    assert.equal(people.find((p) => p.id === b)?.contactEmail, `${engine}contactb@example.org`);
    assert.equal(people.find((p) => p.id === a)?.contactEmail, null, 'not one’s own');
    assert.equal(people.find((p) => p.id === b)?.email, undefined, 'the admin-only field stays hidden');
    // A list says when a match was made.
    const list = await (await clientFor(get().app, db(), a)).get('/api/v1/meetings');
    assert.match(list.body.meetings[0].createdAt, /^\d{4}-\d\d-\d\dT/);
  });
});
