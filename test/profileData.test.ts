import assert from 'node:assert/strict';
import { test } from 'node:test';
import { importDirectory } from '../src/features/directory/importDirectory.js';
import { findPersonByUsername } from '../src/features/people/queries.js';
import { clientFor } from './helpers/people.js';
import { Client } from './helpers/server.js';
import { forEachEngine } from './helpers/suite.js';

forEachEngine('profile: team, title and timezone', (get, engine) => {
  const db = () => get().ctx.database.db;

  test('a self-registered member sets their team and title; empty clears; bad input names the field', async () => {
    const member = new Client(get().app);
    assert.equal((await member.signUp(`${engine}-self@example.org`, 'Self Person')).status, 201);
    const set = await member.patch('/api/v1/me', { team: '  Support ', title: 'Agent' });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.equal(set.body.person.team, 'Support');
    assert.equal(set.body.person.title, 'Agent');
    const tooLong = await member.patch('/api/v1/me', { title: 'x'.repeat(121), name: 'Changed Name' });
    assert.equal(tooLong.status, 400);
    assert.equal(tooLong.body.error.field, 'title');
    const unknown = await member.patch('/api/v1/me', { role: 'admin' });
    assert.equal(unknown.status, 400);
    const me = (await member.get('/api/v1/me')).body.person;
    assert.equal(me.name, 'Self Person', 'a refused change writes nothing');
    assert.equal(me.role, 'member');
    const cleared = await member.patch('/api/v1/me', { team: '' });
    assert.equal(cleared.body.person.team, null);
    assert.equal(cleared.body.person.title, 'Agent');
    const zone = await member.patch('/api/v1/me', { timezone: 'Asia/Tokyo' });
    assert.equal(zone.body.person.timezone, 'Asia/Tokyo');
    const row = await findPersonByUsername(db(), me.username);
    assert.equal(row?.timezone_confirmed, 1, 'choosing a timezone answers the one-time prompt');
    assert.equal((await member.patch('/api/v1/me', { timezone: 'Mars/Base' })).body.error.field, 'timezone');
  });

  test('a directory person cannot change what the directory owns', async () => {
    await importDirectory({
      db: db(),
      records: [
        {
          id: `${engine}-d1`,
          auth_username: `${engine}dora`,
          first_name: 'Dora',
          last_name: 'Directory',
          title: 'Analyst',
          avatar: '',
          enabled: 1,
          is_manager: 0,
          team: 'Data',
          email: `${engine}-dora@example.org`,
        },
      ],
    });
    const dora = await findPersonByUsername(db(), `${engine}dora`);
    assert.ok(dora);
    const client = await clientFor(get().app, db(), dora.id);
    const refused = await client.patch('/api/v1/me', { team: 'Elsewhere' });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error.field, 'team');
    assert.match(refused.body.error.message, /staff directory/);
    assert.equal((await findPersonByUsername(db(), `${engine}dora`))?.team, 'Data');
    const zone = await client.patch('/api/v1/me', { timezone: 'Europe/Paris' });
    assert.equal(zone.status, 200);
  });
});
