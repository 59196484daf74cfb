import assert from 'node:assert/strict';
import { test } from 'node:test';
import { managerPattern } from '../src/features/mixers/eligibility.js';
import { runRound } from '../src/features/mixers/rounds.js';
import { clientFor, insertPerson } from './helpers/people.js';
import { adminClient, type Client } from './helpers/server.js';
import { forEachEngine } from './helpers/suite.js';

const titles = managerPattern('Manager');
const weekly = { cron: '0 10 * * MON', timezone: 'UTC' };

/** The rules a round obeys whoever asks for it: the schedule, the admin's button, `convene match`. */
forEachEngine('mixer rules on every path', (get) => {
  const db = () => get().ctx.database.db;
  let admin: Client;
  const createGroup = async (body: Record<string, unknown>) => {
    admin ??= await adminClient(get().app);
    const response = await admin.post('/api/v1/mixers/groups', { ...weekly, ...body });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response.body.group as { id: string; nextRoundAt: string };
  };
  const members = async (groupId: string, prefix: string, n: number) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const id = await insertPerson(db(), { username: `${prefix}${i}` });
      ids.push(id);
      const joined = await (await clientFor(get().app, db(), id)).post(`/api/v1/mixers/groups/${groupId}/join`);
      assert.equal(joined.status, 200);
    }
    return ids;
  };

  test('a cadence more frequent than daily is refused, naming the cron; daily is fine', async () => {
    admin ??= await adminClient(get().app);
    for (const cron of ['* * * * *', '0 * * * *', '0 9,17 * * *']) {
      const refused = await admin.post('/api/v1/mixers/groups', { name: `Often ${cron}`, cron, timezone: 'UTC' });
      assert.equal(refused.status, 400, cron);
      assert.equal(refused.body.error.field, 'cron');
      assert.match(refused.body.error.message, /at most one every 24 hours/);
    }
    const daily = await createGroup({ name: 'Daily coffee', cron: '0 9 * * *' });
    const tooOften = await admin.patch(`/api/v1/mixers/groups/${daily.id}`, { cron: '*/5 * * * *' });
    assert.equal(tooOften.status, 400);
    assert.equal(tooOften.body.error.field, 'cron');
  });

  test('"skip next round" holds for a round run by hand, and is used up by it', async () => {
    const group = await createGroup({ name: 'Skip by hand' });
    const ids = await members(group.id, 'skiphand', 4);
    const skipper = await clientFor(get().app, db(), ids[0]!);
    assert.equal((await skipper.post(`/api/v1/mixers/groups/${group.id}/skip`)).body.group.skippingNext, true);
    // Run now, before the scheduled time the skip was set for.
    const now = await runRound({ db: db(), groupId: group.id, scheduledFor: new Date(), titlePattern: titles });
    assert.equal(
      now.groups.flat().some((p) => p.id === ids[0]),
      false,
      'the skipper sits the hand-made round out',
    );
    const view = await skipper.get(`/api/v1/mixers/groups/${group.id}`);
    assert.equal(view.body.group.skippingNext, false, 'the skip is used up');
    const scheduled = await runRound({
      db: db(),
      groupId: group.id,
      scheduledFor: new Date(group.nextRoundAt),
      titlePattern: titles,
    });
    assert.equal(
      scheduled.groups.flat().some((p) => p.id === ids[0]),
      true,
      'back for the next one',
    );
  });

  test('an archived group makes no round, through the use case itself', async () => {
    const group = await createGroup({ name: 'Archived one' });
    await members(group.id, 'archived', 2);
    assert.equal((await admin.patch(`/api/v1/mixers/groups/${group.id}`, { archived: true })).status, 200);
    await assert.rejects(
      runRound({ db: db(), groupId: group.id, scheduledFor: new Date(), titlePattern: titles }),
      (error: { status?: number; message?: string }) => error.status === 400 && /archived/.test(error.message ?? ''),
    );
    const rounds = await db().selectFrom('rounds').select('id').where('group_id', '=', group.id).execute();
    assert.equal(rounds.length, 0);
  });

  test('a second hand-made round within the interval needs confirmation; the schedule does not', async () => {
    const group = await createGroup({ name: 'Twice by hand' });
    await members(group.id, 'twice', 4);
    const first = await runRound({
      db: db(),
      groupId: group.id,
      scheduledFor: new Date(),
      titlePattern: titles,
      manual: true,
    });
    assert.equal(first.created, true);
    await assert.rejects(
      runRound({
        db: db(),
        groupId: group.id,
        scheduledFor: new Date(Date.now() + 120_000),
        titlePattern: titles,
        manual: true,
      }),
      (error: { status?: number; field?: string; message?: string }) =>
        error.status === 409 && error.field === 'force' && /minutes ago/.test(error.message ?? ''),
    );
    const forced = await runRound({
      db: db(),
      groupId: group.id,
      scheduledFor: new Date(Date.now() + 180_000),
      titlePattern: titles,
      manual: true,
      force: true,
    });
    assert.equal(forced.created, true);
    const scheduled = await runRound({
      db: db(),
      groupId: group.id,
      scheduledFor: new Date(Date.now() + 240_000),
      titlePattern: titles,
    });
    assert.equal(scheduled.created, true, 'the schedule itself is never asked to confirm');
    const logged: object[] = [];
    await runRound({
      db: db(),
      groupId: group.id,
      scheduledFor: new Date(Date.now() + 300_000),
      titlePattern: titles,
      log: { info: (data) => logged.push(data) },
    });
    assert.equal(logged.length, 1, 'every round made is logged');
    assert.deepEqual(Object.keys(logged[0]!).sort(), [
      'groupId',
      'pairs',
      'people',
      'roundId',
      'satOut',
      'scheduledFor',
    ]);
  });

  test('automatic groups leave out accounts no channel can reach, the built-in admin first', async () => {
    const everyone = await createGroup({ name: 'Everyone auto', membership: 'auto' });
    await insertPerson(db(), { username: 'autoreach0' });
    await insertPerson(db(), { username: 'autoreach1' });
    await insertPerson(db(), { username: 'autonomail', email: null });
    const round = await runRound({ db: db(), groupId: everyone.id, scheduledFor: new Date(), titlePattern: titles });
    const matched = round.groups.flat().map((p) => p.username);
    assert.ok(matched.includes('autoreach0') && matched.includes('autoreach1'));
    assert.equal(matched.includes('autonomail'), false);
    assert.equal(matched.includes('admin'), false, 'the built-in admin (no e-mail) is not paired');
  });

  test("a new round moves the previous round's untimed matches to Past", async () => {
    const group = await createGroup({ name: 'Retiring matches' });
    const ids = await members(group.id, 'retire', 2);
    const me = await clientFor(get().app, db(), ids[0]!);
    const upcoming = async () => (await me.get('/api/v1/meetings?when=upcoming')).body.meetings.length;
    const past = async () => (await me.get('/api/v1/meetings?when=past')).body.meetings.length;
    await runRound({
      db: db(),
      groupId: group.id,
      scheduledFor: new Date(Date.now() - 7 * 86_400_000),
      titlePattern: titles,
    });
    assert.deepEqual([await upcoming(), await past()], [1, 0]);
    await db()
      .updateTable('meetings')
      .set({ created_at: new Date(Date.now() - 7 * 86_400_000).toISOString() })
      .where('group_id', '=', group.id)
      .execute();
    await runRound({ db: db(), groupId: group.id, scheduledFor: new Date(), titlePattern: titles });
    assert.deepEqual([await upcoming(), await past()], [1, 1], 'the older untimed match is past');
  });
});

forEachEngine(
  'mixer cadence floor from the config',
  (get) => {
    test('mixers.minRoundIntervalHours lowers the floor: hourly is accepted, every minute still refused', async () => {
      const admin = await adminClient(get().app);
      const hourly = await admin.post('/api/v1/mixers/groups', { name: 'Hourly', cron: '0 * * * *', timezone: 'UTC' });
      assert.equal(hourly.status, 201, JSON.stringify(hourly.body));
      const minutely = await admin.post('/api/v1/mixers/groups', {
        name: 'Minutely',
        cron: '* * * * *',
        timezone: 'UTC',
      });
      assert.equal(minutely.status, 400);
      assert.match(minutely.body.error.message, /at most one every 1 hour\b/);
    });
  },
  { 'mixers.minRoundIntervalHours': 1 },
);
