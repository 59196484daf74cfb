import assert from 'node:assert/strict';
import { test } from 'node:test';
import { insertPerson } from './helpers/people.js';
import { Client } from './helpers/server.js';
import { forEachEngine } from './helpers/suite.js';

const PASSWORD = 'correct horse battery 9';

forEachEngine(
  'SSO through a trusted proxy',
  (get) => {
    const viaProxy = (username: string, address = '10.1.2.3') => {
      const client = new Client(get().app);
      client.remoteAddress = address;
      client.headers['x-username'] = username;
      return client;
    };

    test('a known person is signed in by the header from a trusted address', async () => {
      await new Client(get().app).signUp('etsy@example.org', 'Etsy Person', PASSWORD); // username "etsy"
      const me = await viaProxy('etsy').get('/api/v1/me');
      assert.equal(me.status, 200);
      assert.equal(me.body.person.email, 'etsy@example.org');
      const ipv6Mapped = await viaProxy('etsy', '::ffff:10.200.0.1').get('/api/v1/me');
      assert.equal(ipv6Mapped.status, 200, 'IPv4-mapped IPv6 peers match IPv4 ranges');
    });

    test('the same header from any other address is ignored', async () => {
      const spoofed = await viaProxy('etsy', '192.0.2.50').get('/api/v1/me');
      assert.equal(spoofed.status, 401);
      const options = await viaProxy('admin', '192.0.2.50').get('/api/v1/auth/options');
      assert.equal(options.body.sso, null);
      const asAdmin = await viaProxy('admin', '192.0.2.50').get('/api/v1/admin/settings');
      assert.equal(asAdmin.status, 401);
    });

    test('header-authenticated changes need the CSRF token too', async () => {
      const client = viaProxy('etsy');
      await client.prime();
      client.sendCsrf = false;
      assert.equal((await client.patch('/api/v1/me', { name: 'Changed' })).status, 403);
      client.sendCsrf = true;
      assert.equal((await client.patch('/api/v1/me', { name: 'Changed' })).status, 200);
    });

    test('an unknown header user gets a pre-filled sign-up and needs no password', async () => {
      const client = viaProxy('new.hire');
      const options = await client.get('/api/v1/auth/options');
      assert.deepEqual(options.body.sso, { username: 'new.hire', email: null, name: null });
      assert.equal((await client.get('/api/v1/me')).status, 401);
      const signup = await client.post('/api/v1/auth/signup', { email: 'new.hire@example.org', name: 'New Hire' });
      assert.equal(signup.status, 201);
      assert.equal(signup.body.person.username, 'new.hire');
      assert.equal(signup.body.person.verified, true);
      assert.equal((await viaProxy('new.hire').get('/api/v1/me')).status, 200);
    });

    test('a directory person (no password yet) is signed in by the header', async () => {
      await insertPerson(get().ctx.database.db, {
        username: 'dirperson',
        name: 'Directory Person',
        title: 'Engineer',
        team: 'Platform',
        email: 'dir@example.org',
      });
      const me = await viaProxy('DirPerson').get('/api/v1/me');
      assert.equal(me.status, 200);
      assert.equal(me.body.person.name, 'Directory Person');
      assert.equal(
        (await new Client(get().app).signIn('dirperson', 'anything at all')).status,
        401,
        'no password sign-in',
      );
    });

    test('behind https (X-Forwarded-Proto from the proxy) cookies are Secure', async () => {
      const client = new Client(get().app);
      client.remoteAddress = '10.1.2.3';
      client.headers['x-forwarded-proto'] = 'https';
      await client.prime();
      const response = await client.post('/api/v1/auth/signup', {
        email: 'https@example.org',
        name: 'H',
        password: PASSWORD,
      });
      const cookies = ([] as string[]).concat(response.headers['set-cookie'] as string[]);
      assert.ok(
        cookies.every((c) => /; Secure/.test(c)),
        cookies.join('\n'),
      );
    });
  },
  { 'auth.header': 'X-Username', 'auth.trustedProxies': ['10.0.0.0/8'] },
);
