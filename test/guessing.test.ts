import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newVerificationCode, verificationCodeProblem } from '../src/features/settings/service.js';
import { generateVerificationCode } from '../web/src/admin/verificationCode.js';
import { adminClient, Client, type TestApp } from './helpers/server.js';
import { forEachEngine } from './helpers/suite.js';

const PASSWORD = 'correct horse battery 9';

/** A client from its own address (the limits count per address). */
const from = (get: () => TestApp, address: string) => {
  const client = new Client(get().app);
  client.remoteAddress = address;
  return client;
};

test('generated codes, on the server and in the admin page, are never ones the server calls weak', () => {
  // About one random draw in 750 has fewer than five different characters.
  for (let i = 0; i < 5000; i++) {
    const server = newVerificationCode();
    assert.equal(verificationCodeProblem(server), null, server);
    const page = generateVerificationCode();
    assert.equal(verificationCodeProblem(page), null, page);
  }
});

forEachEngine('guessing: sign-in per person, registration codes', (get) => {
  let admin: Client;

  test('the sign-in limit counts one person, whether the username or the e-mail is typed', async () => {
    const created = await new Client(get().app).signUp('target@example.org', 'Target', PASSWORD);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const username: string = created.body.person.username;
    assert.ok(username && !username.includes('@'));
    // Ten wrong guesses (the per-account limit), half by username, half by e-mail, each from its
    // own address so that only the per-account count can stop them.
    for (let i = 0; i < 10; i++) {
      const login = i % 2 ? username : 'Target@Example.org';
      const guess = await from(get, `10.1.0.${i + 1}`).signIn(login, `wrong guess ${i}`);
      assert.equal(guess.status, 401, `guess ${i}`);
    }
    for (const login of [username, 'target@example.org']) {
      const blocked = await from(get, '10.1.0.99').signIn(login, PASSWORD);
      assert.equal(blocked.status, 429, `${login}: ${JSON.stringify(blocked.body)}`);
      assert.ok(Number(blocked.headers['retry-after']) > 0);
    }
  });

  test('wrong registration codes are limited per address', async () => {
    admin = await adminClient(get().app);
    const set = await admin.patch('/api/v1/admin/settings', { registration: 'code', verificationCode: 'K7QM-4TXR' });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    const signUp = (client: Client, n: number, verificationCode: string) =>
      client.prime().then(() =>
        client.post('/api/v1/auth/signup', {
          email: `code${n}@example.org`,
          name: 'Code',
          password: PASSWORD,
          verificationCode,
        }),
      );
    const guesser = from(get, '10.2.0.1');
    for (let i = 0; i < 10; i++) {
      const wrong = await signUp(guesser, i, `WRONG${String(i).padStart(3, '0')}`);
      assert.equal(wrong.status, 400, `guess ${i}`);
      assert.equal(wrong.body.error.field, 'verificationCode');
    }
    const limited = await signUp(guesser, 10, 'WRONG999');
    assert.equal(limited.status, 429, JSON.stringify(limited.body));
    assert.match(limited.body.error.message, /Too many wrong verification codes/);
    assert.equal((await signUp(guesser, 11, 'k7qm-4txr')).status, 429, 'even the right code waits');
    assert.equal((await signUp(from(get, '10.2.0.2'), 12, 'k7qm-4txr')).status, 201, 'other addresses are not');
  });

  test('wrong codes are limited per code across addresses; a new code starts afresh', async () => {
    // A code of its own: the previous test's wrong guesses count against the code they guessed.
    await admin.patch('/api/v1/admin/settings', { verificationCode: 'M4RK-9QWT' });
    let n = 100;
    for (let address = 0; address < 10; address++) {
      const guesser = from(get, `10.3.${address}.1`);
      await guesser.prime();
      for (let i = 0; i < 10; i++) {
        const wrong = await guesser.post('/api/v1/auth/signup', {
          email: `many${n++}@example.org`,
          name: 'Many',
          password: PASSWORD,
          verificationCode: `GUESS${address}${i}XY`,
        });
        assert.equal(wrong.status, 400, JSON.stringify(wrong.body));
      }
    }
    const honest = await from(get, '10.4.0.1').prime();
    const right = { email: 'honest@example.org', name: 'Honest', password: PASSWORD, verificationCode: 'M4RK-9QWT' };
    const waiting = await honest.post('/api/v1/auth/signup', right);
    assert.equal(waiting.status, 429, 'the code has had its share of wrong guesses');
    await admin.patch('/api/v1/admin/settings', { verificationCode: 'P3WN-8ZHD' });
    const fresh = await honest.post('/api/v1/auth/signup', { ...right, verificationCode: 'P3WN-8ZHD' });
    assert.equal(fresh.status, 201, JSON.stringify(fresh.body));
  });

  test('a weak code is refused with a clear message; one stored earlier still works and is flagged', async () => {
    for (const verificationCode of ['ABCD', 'AB-12-CD', 'AAAA-BBBB']) {
      const weak = await admin.patch('/api/v1/admin/settings', { verificationCode });
      assert.equal(weak.status, 400, `${verificationCode}: ${JSON.stringify(weak.body)}`);
      assert.equal(weak.body.error.field, 'verificationCode');
      assert.match(weak.body.error.message, /^verificationCode: is too easy to guess/);
    }
    const strong = await admin.get('/api/v1/admin/settings');
    assert.equal(strong.body.verificationCodeWeak, false);

    await get()
      .ctx.database.db.updateTable('settings')
      .set({ value: JSON.stringify('OLD1') })
      .where('key', '=', 'verificationCode')
      .execute();
    const flagged = await admin.get('/api/v1/admin/settings');
    assert.equal(flagged.body.verificationCode, 'OLD1');
    assert.equal(flagged.body.verificationCodeWeak, true);
    const joined = await (await from(get, '10.5.0.1').prime()).post('/api/v1/auth/signup', {
      email: 'old@example.org',
      name: 'Old',
      password: PASSWORD,
      verificationCode: 'old1',
    });
    assert.equal(joined.status, 201, 'an existing weak code keeps working');
    await admin.patch('/api/v1/admin/settings', { registration: 'open' });
  });
});
