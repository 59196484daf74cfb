import assert from 'node:assert/strict';
import { test } from 'node:test';
import { retirePeople } from '../src/features/directory/cleanup.js';
import { managerPattern } from '../src/features/mixers/eligibility.js';
import { runRound } from '../src/features/mixers/rounds.js';
import { updatePerson } from '../src/features/people/service.js';
import { clientFor, insertPerson } from './helpers/people.js';
import { adminClient, type Client } from './helpers/server.js';
import { forEachEngine } from './helpers/suite.js';

const titles = managerPattern('Manager|Director|Principal|Head of|VP|Chief');
const weekly = { cron: '0 10 * * MON', timezone: 'UTC' };

/** An automatic group's members are whoever its rule names: the count, the member and the round agree. */
forEachEngine('automatic groups', (get) => {
  const db = () => get().ctx.database.db;
  let admin: Client;
  const autoGroup = async (name: string, team: string) => {
    admin ??= await adminClient(get().app);
    const response = await admin.post('/api/v1/mixers/groups', {
      ...weekly,
      name,
      membership: 'auto',
      eligibility: { kind: 'teams', teams: [team] },
    });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response.body.group as { id: string };
  };
  const paired = async (groupId: string) =>
    (await runRound({ db: db(), groupId, scheduledFor: new Date(), titlePattern: titles, dryRun: true })).groups
      .flat()
      .map((p) => p.id);

  test('before any round, the count and each member see what the round will pair', async () => {
    const group = await autoGroup('Auto count', 'Countteam');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await insertPerson(db(), { username: `autocount${i}`, team: 'Countteam' }));
    // No address: no channel reaches them, so the group leaves them out.
    const unreachable = await insertPerson(db(), { username: 'autocountmute', team: 'Countteam', email: null });

    const listed = await admin.get(`/api/v1/mixers/groups/${group.id}`);
    assert.equal(listed.body.group.memberCount, 5);
    const newcomer = await clientFor(get().app, db(), ids[0]!);
    const own = await newcomer.get(`/api/v1/mixers/groups/${group.id}`);
    assert.equal(own.body.group.status, 'active', 'a new member is a member, not offered a Join button');
    const mute = await (await clientFor(get().app, db(), unreachable)).get(`/api/v1/mixers/groups/${group.id}`);
    assert.equal(mute.body.group.status, null);

    const inRound = await paired(group.id);
    assert.equal(inRound.length, 5);
    assert.deepEqual([...inRound].sort(), [...ids].sort());

    // A member no round has written down yet can still leave, and then counts no more.
    assert.equal((await newcomer.post(`/api/v1/mixers/groups/${group.id}/leave`)).status, 200);
    assert.equal((await admin.get(`/api/v1/mixers/groups/${group.id}`)).body.group.memberCount, 4);
    assert.equal((await paired(group.id)).includes(ids[0]!), false);
  });

  test('someone the directory disables and enables again is back in the group', async () => {
    const group = await autoGroup('Auto return', 'Returnteam');
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(await insertPerson(db(), { username: `autoreturn${i}`, team: 'Returnteam' }));
    await runRound({ db: db(), groupId: group.id, scheduledFor: new Date(), titlePattern: titles, force: true });
    const away = ids[3]!;
    await db()
      .transaction()
      .execute(async (trx) => {
        await updatePerson(trx, away, { enabled: 0 });
        await retirePeople(trx, [away]);
      });
    assert.equal((await admin.get(`/api/v1/mixers/groups/${group.id}`)).body.group.memberCount, 3);

    await updatePerson(db(), away, { enabled: 1 });
    assert.equal((await admin.get(`/api/v1/mixers/groups/${group.id}`)).body.group.memberCount, 4);
    const own = await (await clientFor(get().app, db(), away)).get(`/api/v1/mixers/groups/${group.id}`);
    assert.equal(own.body.group.status, 'active');
    assert.ok((await paired(group.id)).includes(away), 'the next round pairs them again');
  });

  test('managers-only: a stated is_manager false wins over a manager title; with no flag stated the title counts', async () => {
    admin ??= await adminClient(get().app);
    const created = await admin.post('/api/v1/mixers/groups', {
      ...weekly,
      name: 'Managers flag',
      eligibility: { kind: 'managers' },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const groupId = created.body.group.id as string;
    const stated = await insertPerson(db(), { username: 'flagstated', title: 'Engineering Manager' });
    const unstated = await insertPerson(db(), { username: 'flagunstated', title: 'Engineering Manager' });
    // What a directory import writes for a record with is_manager: false.
    await db().updateTable('people').set({ is_manager: 0, is_manager_stated: 1 }).where('id', '=', stated).execute();
    const view = async (id: string) =>
      (await (await clientFor(get().app, db(), id)).get(`/api/v1/mixers/groups/${groupId}`)).body.group.eligible;
    assert.equal(await view(stated), false, 'the directory said not a manager');
    assert.equal(await view(unstated), true, 'no flag stated: the title decides');
    const join = await (await clientFor(get().app, db(), stated)).post(`/api/v1/mixers/groups/${groupId}/join`);
    assert.equal(join.status, 403);
    assert.match(join.body.error.message, /Not eligible for this group \(Managers only\)/);
  });
});
