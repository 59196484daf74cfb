import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adminClient, Client } from './helpers/server.js';
import { forEachEngine } from './helpers/suite.js';

const PASSWORD = 'correct horse battery 9';

forEachEngine('accounts and sign-in', (get) => {
  test('sign up, see myself, sign out, sign in again', async () => {
    const client = new Client(get().app);
    const signup = await client.signUp('Ada@Example.org', 'Ada Lovelace', PASSWORD);
    assert.equal(signup.status, 201);
    assert.equal(signup.body.person.email, 'ada@example.org', 'e-mail is stored lower-case');
    assert.equal(signup.body.person.username, 'ada');
    assert.equal(signup.body.person.role, 'member');
    assert.equal('passwordHash' in signup.body.person || 'password_hash' in signup.body.person, false);

    const me = await client.get('/api/v1/me');
    assert.equal(me.status, 200);
    assert.equal(me.body.person.name, 'Ada Lovelace');

    assert.equal((await client.post('/api/v1/auth/signout')).status, 204);
    assert.equal((await client.get('/api/v1/me')).status, 401);

    const signin = await client.signIn('ada@example.org', PASSWORD);
    assert.equal(signin.status, 200);
    assert.equal((await client.get('/api/v1/me')).body.person.email, 'ada@example.org');
  });

  test('session cookie is HttpOnly and SameSite=Lax; the CSRF cookie is readable by the page', async () => {
    const client = new Client(get().app);
    const response = await client.signUp('cookie@example.org');
    const cookies = ([] as string[]).concat(response.headers['set-cookie'] as string[]);
    const session = cookies.find((c) => c.startsWith('convene_session='));
    assert.ok(session, 'a session cookie is set');
    assert.match(session, /HttpOnly/);
    assert.match(session, /SameSite=Lax/);
    assert.doesNotMatch(session, /Secure/, 'plain http in tests');
    const csrf = await new Client(get().app).get('/api/v1/auth/options');
    const csrfCookie = ([] as string[])
      .concat(csrf.headers['set-cookie'] as string[])
      .find((c) => c.startsWith('convene_csrf='));
    assert.ok(csrfCookie);
    assert.doesNotMatch(csrfCookie, /HttpOnly/);
  });

  test('cookies are Secure behind https (x-forwarded-proto from a trusted proxy or https public URL)', async () => {
    const client = new Client(get().app);
    await client.prime();
    const response = await client.request(
      'POST',
      '/api/v1/auth/signup',
      { email: 'secure@example.org', name: 'S', password: PASSWORD },
      {},
    );
    assert.equal(response.status, 201);
    // The default test app has no https public URL: see the SSO suite for the https case.
  });

  test('wrong password and unknown account get the same generic message', async () => {
    const client = new Client(get().app);
    await client.signUp('grace@example.org', 'Grace Hopper', PASSWORD);
    const wrong = await new Client(get().app).signIn('grace@example.org', 'not the password');
    const unknown = await new Client(get().app).signIn('nobody@example.org', 'not the password');
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    assert.equal(wrong.body.error.message, unknown.body.error.message);
  });

  test('weak, short and personal passwords are refused with the field named', async () => {
    for (const [password, pattern] of [
      ['short1', /at least 8/],
      ['password123', /most common/],
      ['qwertyuiop', /most common/],
      ['linus-torvalds-99', /name or e-mail/],
    ] as const) {
      const response = await new Client(get().app).signUp(
        `weak${password.length}${Math.random()}@example.org`,
        'Linus Torvalds',
        password,
      );
      assert.equal(response.status, 400, password);
      assert.equal(response.body.error.field, 'password');
      assert.match(response.body.error.message, pattern);
    }
  });

  test('one account per e-mail, also under concurrent sign-ups', async () => {
    const first = await new Client(get().app).signUp('dup@example.org');
    assert.equal(first.status, 201);
    const again = await new Client(get().app).signUp('DUP@example.org');
    assert.equal(again.status, 409);
    assert.equal(again.body.error.field, 'email');

    const clients = await Promise.all(Array.from({ length: 8 }, () => new Client(get().app).prime()));
    const results = await Promise.all(
      clients.map((c) =>
        c.post('/api/v1/auth/signup', { email: 'race@example.org', name: 'Race', password: PASSWORD }),
      ),
    );
    assert.deepEqual(results.map((r) => r.status).sort(), [201, 409, 409, 409, 409, 409, 409, 409]);
    const rows = await get()
      .ctx.database.db.selectFrom('people')
      .select('id')
      .where('email', '=', 'race@example.org')
      .execute();
    assert.equal(rows.length, 1);
  });

  test('profile: name and timezone; a password change needs the current one and ends other sessions', async () => {
    const laptop = new Client(get().app);
    await laptop.signUp('prof@example.org', 'Prof Person', PASSWORD);
    const phone = new Client(get().app);
    assert.equal((await phone.signIn('prof@example.org', PASSWORD)).status, 200);

    const renamed = await laptop.patch('/api/v1/me', { name: 'Professor P', timezone: 'Europe/Paris' });
    assert.equal(renamed.status, 200);
    assert.equal(renamed.body.person.name, 'Professor P');
    assert.equal(renamed.body.person.timezone, 'Europe/Paris');

    const badZone = await laptop.patch('/api/v1/me', { timezone: 'Mars/Olympus' });
    assert.equal(badZone.status, 400);
    assert.equal(badZone.body.error.field, 'timezone');

    const noCurrent = await laptop.patch('/api/v1/me', { newPassword: 'a brand new secret 7' });
    assert.equal(noCurrent.status, 400);
    assert.equal(noCurrent.body.error.field, 'currentPassword');
    const wrongCurrent = await laptop.patch('/api/v1/me', {
      currentPassword: 'nope nope nope',
      newPassword: 'a brand new secret 7',
    });
    assert.equal(wrongCurrent.body.error.field, 'currentPassword');

    const changed = await laptop.patch('/api/v1/me', {
      currentPassword: PASSWORD,
      newPassword: 'a brand new secret 7',
    });
    assert.equal(changed.status, 200);
    assert.equal((await laptop.get('/api/v1/me')).status, 200, 'the session that changed it stays');
    assert.equal((await phone.get('/api/v1/me')).status, 401, 'other sessions end');
    assert.equal((await new Client(get().app).signIn('prof@example.org', PASSWORD)).status, 401);
    assert.equal((await new Client(get().app).signIn('prof@example.org', 'a brand new secret 7')).status, 200);
  });

  test('CSRF: a cookie-authenticated change without the token is refused with 403 and changes nothing', async () => {
    const client = new Client(get().app);
    await client.signUp('csrf@example.org', 'Before', PASSWORD);
    client.sendCsrf = false;
    const missing = await client.patch('/api/v1/me', { name: 'After' });
    assert.equal(missing.status, 403);
    assert.match(missing.body.error.message, /CSRF/);
    const wrong = await client.request(
      'PATCH',
      '/api/v1/me',
      { name: 'After' },
      { headers: { 'x-csrf-token': 'forged' } },
    );
    assert.equal(wrong.status, 403);
    const signout = await client.post('/api/v1/auth/signout');
    assert.equal(signout.status, 403, 'sign-out is a state change too');
    client.sendCsrf = true;
    assert.equal((await client.get('/api/v1/me')).body.person.name, 'Before');
    assert.equal((await client.patch('/api/v1/me', { name: 'After' })).status, 200);
  });

  test('admin console: settings, people, promote, demote, verify, disable', async () => {
    const admin = await adminClient(get().app);
    const member = new Client(get().app);
    const created = await member.signUp('member@example.org', 'Mem Ber', PASSWORD);
    const id = created.body.person.id as string;

    assert.equal((await member.get('/api/v1/admin/settings')).status, 403);
    assert.equal((await member.get('/api/v1/admin/people')).status, 403);
    assert.equal((await member.post(`/api/v1/admin/people/${id}/promote`)).status, 403);

    const settings = await admin.get('/api/v1/admin/settings');
    assert.equal(settings.status, 200);
    assert.match(settings.body.verificationCode, /^[A-Z0-9]{8}$/);

    const list = await admin.get('/api/v1/admin/people?q=mem');
    assert.equal(list.status, 200);
    assert.equal(list.body.total, 1);
    assert.equal(list.body.people[0].email, 'member@example.org');

    assert.equal((await admin.post(`/api/v1/admin/people/${id}/verify`)).body.person.verified, true);
    assert.equal((await admin.post(`/api/v1/admin/people/${id}/promote`)).body.person.role, 'admin');
    assert.equal((await member.get('/api/v1/admin/settings')).status, 200, 'promotion takes effect at once');
    assert.equal((await admin.post(`/api/v1/admin/people/${id}/demote`)).body.person.role, 'member');

    const disabled = await admin.post(`/api/v1/admin/people/${id}/disable`);
    assert.equal(disabled.body.person.enabled, false);
    assert.equal((await member.get('/api/v1/me')).status, 401, 'a disabled person is signed out');
    // With the right password the person learns why they cannot come in; with a wrong one, nothing.
    const refused = await new Client(get().app).signIn('member@example.org', PASSWORD);
    assert.equal(refused.status, 403);
    assert.match(refused.body.error.message, /disabled/);
    const wrong = await new Client(get().app).signIn('member@example.org', 'not the password 77');
    assert.equal(wrong.status, 401);
    assert.doesNotMatch(wrong.body.error.message, /disabled/);
    assert.equal((await admin.post(`/api/v1/admin/people/${id}/enable`)).body.person.enabled, true);
    assert.equal((await new Client(get().app).signIn('member@example.org', PASSWORD)).status, 200);

    assert.equal((await admin.post('/api/v1/admin/people/no-such-id/verify')).status, 404);
    const adminId = (await admin.get('/api/v1/me')).body.person.id;
    const lastAdmin = await admin.post(`/api/v1/admin/people/${adminId}/demote`);
    assert.equal(lastAdmin.status, 409);
    assert.match(lastAdmin.body.error.message, /last administrator/);
    assert.equal((await admin.post(`/api/v1/admin/people/${adminId}/disable`)).status, 400);
  });

  test('registration policy: closed refuses, code requires the current code', async () => {
    const admin = await adminClient(get().app);
    assert.equal((await admin.patch('/api/v1/admin/settings', { registration: 'closed' })).status, 200);
    assert.equal((await new Client(get().app).get('/api/v1/auth/options')).body.registration, 'closed');
    assert.equal((await new Client(get().app).signUp('closed@example.org')).status, 403);

    await admin.patch('/api/v1/admin/settings', { registration: 'code', verificationCode: 'SPRING-26' });
    const without = await new Client(get().app).signUp('code1@example.org');
    assert.equal(without.status, 400);
    assert.equal(without.body.error.field, 'verificationCode');
    const wrongCode = await (await new Client(get().app).prime()).post('/api/v1/auth/signup', {
      email: 'code2@example.org',
      name: 'Code',
      password: PASSWORD,
      verificationCode: 'WINTER-25',
    });
    assert.equal(wrongCode.status, 400);
    const right = await (await new Client(get().app).prime()).post('/api/v1/auth/signup', {
      email: 'code3@example.org',
      name: 'Code',
      password: PASSWORD,
      verificationCode: 'spring-26',
    });
    assert.equal(right.status, 201);
    assert.equal(right.body.person.verified, true, 'the code vouches for the person');
    await admin.patch('/api/v1/admin/settings', { registration: 'open' });
  });
});

forEachEngine(
  'sign-in rate limits',
  (get) => {
    test('per account: after the limit even the right password waits, with Retry-After', async () => {
      await new Client(get().app).signUp('target@example.org', 'Target', PASSWORD);
      for (let i = 0; i < 3; i++) {
        const attempt = new Client(get().app);
        attempt.remoteAddress = `10.0.0.${i + 1}`;
        assert.equal((await attempt.signIn('target@example.org', `guess-${i}-wrong`)).status, 401);
      }
      const blocked = new Client(get().app);
      blocked.remoteAddress = '10.0.0.9';
      const response = await blocked.signIn('target@example.org', PASSWORD);
      assert.equal(response.status, 429);
      assert.match(response.body.error.message, /Try again in/);
      assert.ok(Number(response.headers['retry-after']) > 0);
    });

    test('per address: one address cannot sweep many accounts', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) {
        const attempt = new Client(get().app);
        attempt.remoteAddress = '10.9.9.9';
        statuses.push((await attempt.signIn(`someone${i}@example.org`, 'whatever-wrong')).status);
      }
      assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429]);
      const other = new Client(get().app);
      other.remoteAddress = '10.9.9.10';
      assert.equal(
        (await other.signIn('someone@example.org', 'whatever-wrong')).status,
        401,
        'other addresses unaffected',
      );
    });
  },
  { 'auth.signinLimit': { perIp: 5, perAccount: 3, windowSeconds: 600 } },
);
