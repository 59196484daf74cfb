import assert from 'node:assert/strict';
import { test } from 'node:test';
import { importDirectory } from '../src/features/directory/importDirectory.js';
import { findPersonByUsername } from '../src/features/people/queries.js';
import { clientFor, insertPerson } from './helpers/people.js';
import { adminClient } from './helpers/server.js';
import { forEachEngine } from './helpers/suite.js';

forEachEngine('an administrator edits people', (get, engine) => {
  const db = () => get().ctx.database.db;

  test('every field can be edited; only what differs is written and audited; bad input names its field', async () => {
    const admin = await adminClient(get().app);
    const boss = await insertPerson(db(), { username: `${engine}boss` });
    const id = await insertPerson(db(), { username: `${engine}eve`, email: `${engine}eve@example.org` });
    const edited = await admin.patch(`/api/v1/admin/people/${id}`, {
      name: 'Eve Edited',
      email: ` Eve.New@${engine}.example `,
      username: `${engine}EveNew`,
      team: 'Platform',
      title: 'Staff engineer',
      managerUsername: `${engine}boss`,
      timezone: 'Europe/Paris',
      avatarUrl: 'https://img.example.org/eve.png',
    });
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    const person = edited.body.person;
    assert.equal(person.name, 'Eve Edited');
    assert.equal(person.email, `eve.new@${engine}.example`);
    assert.equal(person.username, `${engine}evenew`);
    assert.equal(person.team, 'Platform');
    assert.equal(person.title, 'Staff engineer');
    assert.equal(person.managerUsername, `${engine}boss`);
    assert.equal(person.timezone, 'Europe/Paris');
    assert.equal(person.avatarUrl, 'https://img.example.org/eve.png');
    assert.equal(person.directoryId, null);
    assert.deepEqual(person.directoryFields, []);
    const row = await findPersonByUsername(db(), `${engine}evenew`);
    assert.equal(row?.manager_id, boss);

    // Empty clears; nothing else moves.
    const cleared = await admin.patch(`/api/v1/admin/people/${id}`, {
      team: '',
      managerUsername: null,
      title: 'Staff engineer',
    });
    assert.equal(cleared.status, 200);
    assert.equal(cleared.body.person.team, null);
    assert.equal(cleared.body.person.managerUsername, null);
    const audits = await db()
      .selectFrom('audit_log')
      .select(['data'])
      .where('action', '=', 'person.edit')
      .where('subject_id', '=', id)
      .orderBy('at')
      .execute();
    assert.equal(audits.length, 2);
    assert.deepEqual(JSON.parse(audits[1]?.data ?? '{}').fields.sort(), ['manager_id', 'team']);

    const bad: Array<[Record<string, unknown>, string, number]> = [
      [{ email: 'not-an-address' }, 'email', 400],
      [{ username: 'has space' }, 'username', 400],
      [{ timezone: 'Mars/Olympus' }, 'timezone', 400],
      [{ avatarUrl: 'javascript:alert(1)' }, 'avatarUrl', 400],
      [{ managerUsername: 'nobody-like-this' }, 'managerUsername', 400],
      [{ managerUsername: `${engine}evenew` }, 'managerUsername', 400],
      [{ email: `${engine}boss@example.org` }, 'email', 409],
      [{ username: `${engine}BOSS` }, 'username', 409],
      [{ role: 'owner' }, 'role', 400],
      [{ shoeSize: 44 }, '', 400],
    ];
    for (const [body, field, status] of bad) {
      const answer = await admin.patch(`/api/v1/admin/people/${id}`, body);
      assert.equal(answer.status, status, `${JSON.stringify(body)} → ${JSON.stringify(answer.body)}`);
      if (field) assert.equal(answer.body.error.field, field, JSON.stringify(answer.body));
    }
    assert.equal((await findPersonByUsername(db(), `${engine}evenew`))?.email, `eve.new@${engine}.example`);
    assert.equal((await admin.patch('/api/v1/admin/people/nobody', { name: 'X' })).status, 404);
  });

  test('role and enabled: members cannot edit, the last admin stays, a disabled person is signed out', async () => {
    const admin = await adminClient(get().app);
    const id = await insertPerson(db(), { username: `${engine}mo` });
    const mo = await clientFor(get().app, db(), id);
    assert.equal((await mo.patch(`/api/v1/admin/people/${id}`, { role: 'admin' })).status, 403);

    const me = await admin.get('/api/v1/me');
    const adminId: string = me.body.person.id;
    const demote = await admin.patch(`/api/v1/admin/people/${adminId}`, { role: 'member' });
    assert.equal(demote.status, 409, JSON.stringify(demote.body));
    assert.equal((await admin.patch(`/api/v1/admin/people/${adminId}`, { enabled: false })).status, 400);

    assert.equal((await admin.patch(`/api/v1/admin/people/${id}`, { role: 'admin' })).body.person.role, 'admin');
    assert.equal((await mo.get('/api/v1/me')).status, 200);
    const disabled = await admin.patch(`/api/v1/admin/people/${id}`, { enabled: false, role: 'member' });
    assert.equal(disabled.status, 200, JSON.stringify(disabled.body));
    assert.equal(disabled.body.person.enabled, false);
    assert.equal((await mo.get('/api/v1/me')).status, 401);
  });

  test('directory fields are marked, and the next import overwrites a manual edit of them', async () => {
    const admin = await adminClient(get().app);
    const record = {
      id: `${engine}-d1`,
      auth_username: `${engine}dora`,
      first_name: 'Dora',
      last_name: 'Directory',
      title: 'Analyst',
      avatar: '',
      enabled: 1,
      is_manager: 0,
      team: 'Data',
    };
    await importDirectory({ db: db(), records: [record] });
    const dora = await findPersonByUsername(db(), `${engine}dora`);
    assert.ok(dora);
    const edited = await admin.patch(`/api/v1/admin/people/${dora.id}`, { title: 'Lead analyst', role: 'admin' });
    assert.equal(edited.status, 200);
    assert.equal(edited.body.person.directoryId, `${engine}-d1`);
    assert.ok(edited.body.person.directoryFields.includes('title'));
    assert.ok(!edited.body.person.directoryFields.includes('role'));

    await importDirectory({ db: db(), records: [record] });
    const after = await findPersonByUsername(db(), `${engine}dora`);
    assert.equal(after?.title, 'Analyst', 'the feed wins for its own fields');
    assert.equal(after?.role, 'admin', 'the role is not the feed’s: the edit stays');
  });
});
