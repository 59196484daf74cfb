import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openDatabase } from '../src/db/database.js';
import { managerPattern } from '../src/features/mixers/eligibility.js';
import { runRound } from '../src/features/mixers/rounds.js';
import { runDueRounds } from '../src/features/mixers/scheduler.js';
import { clientFor, insertPerson } from './helpers/people.js';
import { adminClient, Client } from './helpers/server.js';
import { forEachEngine } from './helpers/suite.js';

const titles = managerPattern('Manager|Director|Principal');
const weekly = { cron: '0 10 * * MON', timezone: 'Europe/Paris' };

forEachEngine('mixers', (get) => {
  const db = () => get().ctx.database.db;
  let admin: Client;
  const createGroup = async (body: Record<string, unknown>) => {
    admin ??= await adminClient(get().app);
    const response = await admin.post('/api/v1/mixers/groups', { ...weekly, ...body });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response.body.group as { id: string; nextRoundAt: string };
  };
  const people = async (prefix: string, n: number, extra: Record<string, unknown> = {}) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push(await insertPerson(db(), { username: `${prefix}${i}`, ...extra }));
    return ids;
  };
  const joinAll = async (groupId: string, ids: string[]) => {
    for (const id of ids) {
      const client = await clientFor(get().app, db(), id);
      const joined = await client.post(`/api/v1/mixers/groups/${groupId}/join`);
      assert.equal(joined.status, 200, JSON.stringify(joined.body));
    }
  };

  test('group creation validates every field, naming it', async () => {
    admin ??= await adminClient(get().app);
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ name: 'X', cron: 'every monday', timezone: 'UTC' }, 'cron'],
      [{ name: 'X', cron: '0 10 * * MON', timezone: 'Mars/Base' }, 'timezone'],
      [{ name: 'X', ...weekly, everyWeeks: 2 }, 'anchorDate'],
      [{ name: 'X', ...weekly, size: 4 }, 'size'],
      [{ name: 'X', ...weekly, eligibility: { kind: 'teams', teams: [] } }, 'eligibility.teams'],
      [{ name: '', ...weekly }, 'name'],
      [{ name: 'X', ...weekly, oddPolicy: 'drop' }, 'oddPolicy'],
    ];
    for (const [body, field] of bad) {
      const response = await admin.post('/api/v1/mixers/groups', body);
      assert.equal(response.status, 400, `${field}: ${JSON.stringify(response.body)}`);
      assert.equal(response.body.error.field, field);
    }
    await createGroup({ name: 'Unique Name' });
    const dup = await admin.post('/api/v1/mixers/groups', { name: 'unique name', ...weekly });
    assert.equal(dup.status, 409);
    const member = await clientFor(get().app, db(), await insertPerson(db(), { username: 'notadmin' }));
    assert.equal((await member.post('/api/v1/mixers/groups', { name: 'Mine', ...weekly })).status, 403);
  });

  test('a partial update changes only what it names', async () => {
    const group = await createGroup({
      name: 'Careful',
      description: 'Keep me',
      everyWeeks: 2,
      anchorDate: '2026-01-05',
      size: 3,
      oddPolicy: 'sit_out',
      eligibility: { kind: 'teams', teams: ['Design, Research', 'Ops'] },
      membership: 'admin',
      introTemplate: 'Hello {{names}}',
    });
    const archived = await admin.patch(`/api/v1/mixers/groups/${group.id}`, { archived: true });
    assert.equal(archived.status, 200);
    const renamed = await admin.patch(`/api/v1/mixers/groups/${group.id}`, { name: 'Careful too', archived: false });
    const view = renamed.body.group;
    assert.equal(view.archived, false);
    assert.equal(view.name, 'Careful too');
    assert.equal(view.description, 'Keep me');
    assert.equal(view.timezone, 'Europe/Paris');
    assert.equal(view.everyWeeks, 2);
    assert.equal(view.anchorDate, '2026-01-05');
    assert.equal(view.size, 3);
    assert.equal(view.oddPolicy, 'sit_out');
    assert.equal(view.membership, 'admin');
    assert.equal(view.introTemplate, 'Hello {{names}}');
    assert.deepEqual(view.eligibilityRule, { kind: 'teams', teams: ['Design, Research', 'Ops'] });
  });

  test('running a round with the seed of its preview saves exactly the preview', async () => {
    const group = await createGroup({ name: 'Previewed' });
    await joinAll(group.id, await people('preview', 6));
    const preview = (await admin.post(`/api/v1/mixers/groups/${group.id}/rounds`, { dryRun: true })).body.round;
    assert.equal(preview.created, false);
    const saved = (await admin.post(`/api/v1/mixers/groups/${group.id}/rounds`, { seed: preview.seed })).body.round;
    assert.equal(saved.created, true);
    const ids = (round: { groups: Array<Array<{ id: string }>> }) =>
      round.groups
        .map((g) =>
          g
            .map((p) => p.id)
            .sort()
            .join('+'),
        )
        .sort();
    assert.deepEqual(ids(saved), ids(preview));
  });

  test('eligibility is enforced by the server: managers-only and team groups', async () => {
    const managers = await createGroup({ name: 'Managers', eligibility: { kind: 'managers' } });
    const flagged = await insertPerson(db(), { username: 'boss', isManager: true });
    const titled = await insertPerson(db(), { username: 'director', title: 'Engineering Director' });
    const engineer = await insertPerson(db(), { username: 'engineer', title: 'Engineer' });
    for (const id of [flagged, titled]) {
      assert.equal(
        (await (await clientFor(get().app, db(), id)).post(`/api/v1/mixers/groups/${managers.id}/join`)).status,
        200,
      );
    }
    const refused = await (await clientFor(get().app, db(), engineer)).post(
      `/api/v1/mixers/groups/${managers.id}/join`,
    );
    assert.equal(refused.status, 403);
    assert.match(refused.body.error.message, /Managers only/);
    const listed = await (await clientFor(get().app, db(), engineer)).get('/api/v1/mixers/groups');
    assert.equal(listed.body.groups.find((g: { id: string }) => g.id === managers.id).eligible, false);

    const teams = await createGroup({ name: 'Design crew', eligibility: { kind: 'teams', teams: ['Design'] } });
    const designer = await insertPerson(db(), { username: 'designer', team: 'design' });
    assert.equal(
      (await (await clientFor(get().app, db(), designer)).post(`/api/v1/mixers/groups/${teams.id}/join`)).status,
      200,
    );
    assert.equal(
      (await (await clientFor(get().app, db(), engineer)).post(`/api/v1/mixers/groups/${teams.id}/join`)).status,
      403,
    );
  });

  test('admin-only membership: members cannot join, admins add them', async () => {
    const group = await createGroup({ name: 'Invite only', membership: 'admin' });
    const person = await insertPerson(db(), { username: 'invitee' });
    assert.equal(
      (await (await clientFor(get().app, db(), person)).post(`/api/v1/mixers/groups/${group.id}/join`)).status,
      403,
    );
    const added = await admin.post(`/api/v1/mixers/groups/${group.id}/members`, { personId: person });
    assert.equal(added.status, 200);
    assert.equal(added.body.group.memberCount, 1);
  });

  test('a round pairs everyone; odd counts make one trio; matches show partners without e-mail', async () => {
    const group = await createGroup({ name: 'Coffee' });
    const ids = await people('coffee', 7);
    await joinAll(group.id, ids);
    const run = await admin.post(`/api/v1/mixers/groups/${group.id}/rounds`, {});
    assert.equal(run.status, 200);
    const round = run.body.round;
    assert.equal(round.created, true);
    assert.deepEqual(round.groups.map((g: unknown[]) => g.length).sort(), [2, 2, 3]);
    const everyone = round.groups
      .flat()
      .map((p: { id: string }) => p.id)
      .sort();
    assert.deepEqual(everyone, [...ids].sort(), 'nobody dropped, nobody twice');

    const me = await clientFor(get().app, db(), ids[0]!);
    const matches = await me.get('/api/v1/mixers/matches');
    assert.equal(matches.status, 200);
    assert.equal(matches.body.matches.length, 1);
    assert.equal(matches.body.matches[0].current, true);
    assert.ok(matches.body.matches[0].partners.length >= 1);
    assert.equal(JSON.stringify(matches.body).includes('@example.org'), false, 'no e-mail addresses');
  });

  test('sit-out policy: one person sits out, a different one next time', async () => {
    const group = await createGroup({ name: 'Odd walkers', oddPolicy: 'sit_out' });
    const ids = await people('walker', 5);
    await joinAll(group.id, ids);
    const satOut: string[] = [];
    for (let i = 0; i < 5; i++) {
      const outcome = await runRound({
        db: db(),
        groupId: group.id,
        scheduledFor: new Date(Date.UTC(2030, 0, 1 + i)),
        titlePattern: titles,
      });
      assert.equal(outcome.sittingOut.length, 1);
      assert.ok(outcome.groups.every((g) => g.length === 2));
      satOut.push(outcome.sittingOut[0]!.id);
    }
    const lastSitter = await clientFor(get().app, db(), satOut[4]!);
    const told = (await lastSitter.get('/api/v1/mixers/matches')).body.matches;
    const current = told.find((m: { current: boolean }) => m.current);
    assert.equal(current.status, 'sat_out', 'the person sitting out is told so');
    assert.equal(current.partners.length, 0);
    assert.equal(new Set(satOut).size, 5, `each person sits out once in five rounds: ${satOut}`);
  });

  test('no repeated pair over n−1 rounds of a stable group', async () => {
    const group = await createGroup({ name: 'Round robin' });
    const ids = await people('rr', 8);
    await joinAll(group.id, ids);
    const seen = new Set<string>();
    for (let i = 0; i < 7; i++) {
      const outcome = await runRound({
        db: db(),
        groupId: group.id,
        scheduledFor: new Date(Date.UTC(2031, 0, 1 + i)),
        titlePattern: titles,
      });
      assert.equal(outcome.stats.repeatPairs, 0, `round ${i}`);
      for (const pair of outcome.groups) {
        const key = pair
          .map((p) => p.id)
          .sort()
          .join('+');
        assert.equal(seen.has(key), false, `pair ${key} repeated in round ${i}`);
        seen.add(key);
      }
    }
    assert.equal(seen.size, 28, 'all 8·7/2 pairs met exactly once');
  });

  test('pause and skip: the member sits those rounds out, then is back', async () => {
    const group = await createGroup({ name: 'Pausers' });
    const ids = await people('pauser', 4);
    await joinAll(group.id, ids);
    const [paused, skipper] = [await clientFor(get().app, db(), ids[0]!), await clientFor(get().app, db(), ids[1]!)];
    const pausedView = await paused.post(`/api/v1/mixers/groups/${group.id}/pause`, { until: '2099-01-01' });
    assert.equal(pausedView.body.group.status, 'paused');
    const past = await paused.post(`/api/v1/mixers/groups/${group.id}/pause`, { until: '2001-01-01' });
    assert.equal(past.status, 400);
    assert.equal(past.body.error.field, 'until');
    const skipping = await skipper.post(`/api/v1/mixers/groups/${group.id}/skip`);
    assert.equal(skipping.body.group.skippingNext, true);

    const scheduled = new Date(group.nextRoundAt);
    const first = await runRound({ db: db(), groupId: group.id, scheduledFor: scheduled, titlePattern: titles });
    const inFirst = first.groups.flat().map((p) => p.id);
    assert.equal(inFirst.includes(ids[0]!), false, 'paused member not matched');
    assert.equal(inFirst.includes(ids[1]!), false, 'skipping member not matched');
    assert.equal(first.stats.skipped, 2);

    const second = await runRound({
      db: db(),
      groupId: group.id,
      scheduledFor: new Date(scheduled.getTime() + 7 * 86_400_000),
      titlePattern: titles,
    });
    assert.equal(
      second.groups.flat().some((p) => p.id === ids[1]),
      true,
      'the skip covered one round only',
    );
    assert.equal((await paused.post(`/api/v1/mixers/groups/${group.id}/resume`)).body.group.status, 'active');
  });

  test("nobody changes another member's settings; a named assistant can", async () => {
    const group = await createGroup({ name: 'Assisted' });
    const [exec, assistant, stranger] = await people('assist', 3);
    const execClient = await clientFor(get().app, db(), exec!);
    const strangerClient = await clientFor(get().app, db(), stranger!);
    assert.equal((await strangerClient.post(`/api/v1/mixers/groups/${group.id}/join`, { personId: exec })).status, 403);
    assert.equal((await strangerClient.get(`/api/v1/mixers/groups?personId=${exec}`)).status, 403);
    assert.equal((await execClient.put('/api/v1/mixers/assistant', { username: 'assist1' })).status, 200);
    const assistantClient = await clientFor(get().app, db(), assistant!);
    const joined = await assistantClient.post(`/api/v1/mixers/groups/${group.id}/join`, { personId: exec });
    assert.equal(joined.status, 200);
    assert.equal(joined.body.group.status, 'active', 'the view is about the person acted for');
    assert.equal((await assistantClient.get('/api/v1/mixers/assisting')).body.people[0].id, exec);
    assert.equal(
      (await execClient.put('/api/v1/mixers/assistant', { username: 'assist0' })).status,
      400,
      'not oneself',
    );
  });

  test('scheduler: exactly once per scheduled time, one catch-up after downtime', async () => {
    const group = await createGroup({ name: 'Scheduled' });
    await joinAll(group.id, await people('sched', 4));
    // Pretend the server was down for three weeks of Monday rounds.
    const missed = new Date(Date.now() - 21 * 86_400_000 - 3_600_000).toISOString();
    await db().updateTable('groups').set({ next_round_at: missed }).where('id', '=', group.id).execute();
    assert.equal(await runDueRounds({ db: db(), titlePattern: titles }), 1);
    assert.equal(await runDueRounds({ db: db(), titlePattern: titles }), 0, 'nothing due until next week');
    const rounds = await db().selectFrom('rounds').selectAll().where('group_id', '=', group.id).execute();
    assert.equal(rounds.length, 1);
    assert.ok(
      Date.parse(rounds[0]!.scheduled_for) > Date.now() - 7 * 86_400_000,
      'the catch-up round is the latest missed time',
    );
    const after = await db()
      .selectFrom('groups')
      .select('next_round_at')
      .where('id', '=', group.id)
      .executeTakeFirstOrThrow();
    assert.ok(Date.parse(after.next_round_at!) > Date.now());
  });

  test('two schedulers on separate connections race for the same rounds: each round is made once', async () => {
    const groups = [];
    for (let i = 0; i < 6; i++) {
      const group = await createGroup({ name: `Race ${i}` });
      await joinAll(group.id, await people(`race${i}-`, 4));
      groups.push(group);
    }
    const due = new Date(Date.now() - 60_000).toISOString();
    await db().updateTable('groups').set({ next_round_at: due }).where('name', 'like', 'Race %').execute();
    const second = openDatabase(get().config.databaseUrl);
    try {
      const made = await Promise.all([
        runDueRounds({ db: db(), titlePattern: titles }),
        runDueRounds({ db: second.db, titlePattern: titles }),
        runDueRounds({ db: second.db, titlePattern: titles }),
      ]);
      assert.equal(
        made.reduce((a, b) => a + b, 0),
        6,
        `made ${made}`,
      );
    } finally {
      await second.close();
    }
    for (const group of groups) {
      const rounds = await db().selectFrom('rounds').select('id').where('group_id', '=', group.id).execute();
      assert.equal(rounds.length, 1);
      const meetings = await db().selectFrom('meetings').select('id').where('group_id', '=', group.id).execute();
      assert.equal(meetings.length, 2, 'no duplicate meetings either');
    }
  });

  test('disabled and departed people are never matched; stats add up', async () => {
    const group = await createGroup({ name: 'Stats' });
    const ids = await people('stat', 6, { team: 'Blue' });
    await joinAll(group.id, ids);
    await db().updateTable('people').set({ enabled: 0 }).where('id', '=', ids[5]!).execute();
    await (await clientFor(get().app, db(), ids[4]!)).post(`/api/v1/mixers/groups/${group.id}/leave`);
    const outcome = await runRound({
      db: db(),
      groupId: group.id,
      scheduledFor: new Date(Date.UTC(2032, 0, 1)),
      titlePattern: titles,
    });
    assert.equal(outcome.stats.members, 4);
    assert.equal(outcome.stats.sameTeamPairs, 2, 'everyone is on one team');
    const stats = await admin.get(`/api/v1/mixers/groups/${group.id}/stats`);
    assert.equal(stats.body.stats.rounds, 1);
    assert.equal(stats.body.stats.crossTeamRate, 0);
    assert.equal(stats.body.stats.repeatPairRate, 0);
    assert.equal(stats.body.stats.series.length, 1);
  });
  test('administration answers members with 403 before reading their input, and changes nothing', async () => {
    const group = await createGroup({ name: 'Guarded' });
    const member = await clientFor(get().app, db(), await insertPerson(db(), { username: 'guarded-member' }));
    const visitor = await new Client(get().app).prime();
    const base = `/api/v1/mixers/groups/${group.id}`;
    const attempts: Array<[string, string, unknown]> = [
      ['POST', '/api/v1/mixers/groups', { name: 42 }],
      ['PATCH', base, { everyWeeks: 'often', name: 'Taken over' }],
      ['POST', `${base}/members`, { personId: '' }],
      ['GET', `${base}/members`, undefined],
      ['GET', `${base}/rounds`, undefined],
      ['POST', `${base}/rounds`, { dryRun: 'yes' }],
      ['POST', `${base}/rounds`, {}],
      ['GET', `${base}/stats`, undefined],
    ];
    for (const [method, url, body] of attempts) {
      const refused = await member.request(method as 'GET', url, body);
      assert.equal(refused.status, 403, `${method} ${url}: ${JSON.stringify(refused.body)}`);
      assert.match(refused.body.error.message, /Only administrators/);
      assert.equal((await visitor.request(method as 'GET', url, body)).status, 401, `${method} ${url} signed out`);
    }
    const rounds = await db().selectFrom('rounds').select('id').where('group_id', '=', group.id).execute();
    assert.equal(rounds.length, 0, 'no round was run');
    admin ??= await adminClient(get().app);
    assert.equal((await admin.get(base)).body.group.name, 'Guarded');
  });

  test('an archived group makes no round when an admin asks for one', async () => {
    const group = await createGroup({ name: 'Archived one', membership: 'auto' });
    assert.equal((await admin.patch(`/api/v1/mixers/groups/${group.id}`, { archived: true })).status, 200);
    const refused = await admin.post(`/api/v1/mixers/groups/${group.id}/rounds`, {});
    assert.equal(refused.status, 400);
    assert.match(refused.body.error.message, /archived/);
    const rounds = await db().selectFrom('rounds').select('id').where('group_id', '=', group.id).execute();
    assert.equal(rounds.length, 0);
  });
});
