import assert from 'node:assert/strict';
import { test as it } from 'node:test';
import { hashToken } from '../src/lib/ids.js';
import { startForFile } from './helpers/outbox.js';
import { ADMIN_PASSWORD, adminClient, Client } from './helpers/server.js';
import { TestSmtp } from './helpers/smtp.js';
import { forEachEngine } from './helpers/suite.js';

const smtp = await startForFile(new TestSmtp());

const PASSWORD = 'violet tractor 93 lemon';
const mailsTo = (address: string) => smtp.mails.filter((m) => JSON.stringify(m.to).includes(address));
const linkIn = (mail: { text?: string | undefined } | undefined, page: string): string => {
  const match = new RegExp(`https://convene\\.example\\.org/${page}#([A-Za-z0-9_-]+)`).exec(mail?.text ?? '');
  assert.ok(match, `a ${page} link in ${mail?.text}`);
  return match[1] as string;
};
async function waitFor<T>(what: () => T | undefined, label: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const found = what();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${label}`);
}

forEachEngine(
  'accounts',
  (get, engine) => {
    const db = () => get().ctx.database.db;
    const at = (name: string) => `${engine}-${name}@example.org`;
    let admin: Client;
    const anonymous = async (ip = '10.0.0.1') => {
      const client = new Client(get().app);
      client.remoteAddress = ip;
      return client.prime();
    };
    const invite = async (emails: string, expect = 201) => {
      admin ??= await adminClient(get().app);
      const response = await admin.post('/api/v1/admin/invitations', { emails });
      assert.equal(response.status, expect, JSON.stringify(response.body));
      return response.body;
    };

    it('an admin invites a pasted list: header skipped, repeats once, accounts skipped, each gets a link', async () => {
      const list = `name,email\nAda Lovelace,${at('ada')}\n"Grace Hopper" <${at('grace').toUpperCase()}>\n${at('ada')}; ${at('linus')}\nAdministrator,${at('grace')}`;
      await (await anonymous()).signUp(at('taken'), 'Taken Person');
      const result = await invite(`${list}\n${at('taken')}`);
      assert.deepEqual(
        result.invited.map((i: { email: string }) => i.email),
        [at('ada'), at('grace'), at('linus')],
      );
      assert.deepEqual(result.skipped, [{ email: at('taken'), reason: 'already has an account' }]);
      assert.equal(result.emailed, true);
      assert.deepEqual(result.links, [], 'links are not shown when they were e-mailed');
      for (const who of ['ada', 'grace', 'linus']) {
        const mails = mailsTo(at(who));
        assert.equal(mails.length, 1, `${who} gets one invitation`);
        assert.equal(mails[0]?.subject, 'You are invited to Convene');
        linkIn(mails[0], 'invite');
      }
      const list2 = await admin.get('/api/v1/admin/invitations?state=pending');
      assert.equal(list2.body.invitations.filter((i: { email: string }) => i.email.startsWith(engine)).length, 3);
      const stored = await db().selectFrom('invitations').select('token_hash').execute();
      const token = linkIn(mailsTo(at('ada'))[0], 'invite');
      assert.ok(!stored.some((row) => row.token_hash === token), 'the token is stored hashed only');
      assert.ok(stored.some((row) => row.token_hash === hashToken(token)));
    });

    it('a list with a bad address is refused naming the line, and nothing is invited', async () => {
      const before = (await db().selectFrom('invitations').select('id').execute()).length;
      const bad = await invite(`${at('fine')}\nnot-an-address@\n`, 400);
      assert.equal(bad.error.field, 'emails');
      assert.match(bad.error.message, /line 2/);
      const noAddress = await invite(`${at('fine')}\njust a name`, 400);
      assert.match(noAddress.error.message, /line 2: "just a name" holds no e-mail address/);
      assert.equal((await invite('   ', 400)).error.field, 'emails');
      const unknownField = await admin.post('/api/v1/admin/invitations', { emails: at('x'), role: 'admin' });
      assert.equal(unknownField.status, 400);
      assert.equal((await db().selectFrom('invitations').select('id').execute()).length, before);
      assert.equal(mailsTo(at('fine')).length, 0);
      const member = await anonymous();
      await member.signUp(at('member1'), 'Member One');
      assert.equal((await member.post('/api/v1/admin/invitations', { emails: at('y') })).status, 403);
    });

    it('the invited person accepts once, verified and signed in, even with registration closed', async () => {
      await admin.patch('/api/v1/admin/settings', { registration: 'closed' });
      try {
        const token = linkIn(mailsTo(at('ada'))[0], 'invite');
        const person = await anonymous();
        const lookup = await person.post('/api/v1/auth/invitation', { token });
        assert.equal(lookup.status, 200);
        assert.equal(lookup.body.email, at('ada'));
        const weak = await person.post('/api/v1/auth/invitation/accept', { token, name: 'Ada', password: 'password' });
        assert.equal(weak.status, 400);
        assert.equal(weak.body.error.field, 'password');
        const accepted = await person.post('/api/v1/auth/invitation/accept', {
          token,
          name: 'Ada Lovelace',
          password: PASSWORD,
          timezone: 'Europe/London',
        });
        assert.equal(accepted.status, 201, JSON.stringify(accepted.body));
        assert.equal(accepted.body.person.email, at('ada'));
        assert.equal(accepted.body.person.verified, true);
        assert.equal((await person.get('/api/v1/me')).body.person.name, 'Ada Lovelace');
        const again = await (await anonymous()).post('/api/v1/auth/invitation/accept', {
          token,
          name: 'Someone Else',
          password: PASSWORD,
        });
        assert.equal(again.status, 409);
        assert.match(again.body.error.message, /already used/);
        const tampered = await (await anonymous()).post('/api/v1/auth/invitation', {
          token: `${token.slice(0, -2)}xx`,
        });
        assert.equal(tampered.status, 404);
        const garbage = await (await anonymous()).post('/api/v1/auth/invitation', { token: 'short' });
        assert.equal(garbage.status, 400);
        assert.equal(garbage.body.error.field, 'token');
        const states = await admin.get(`/api/v1/admin/invitations?q=${engine}-ada`);
        assert.equal(states.body.invitations[0].state, 'accepted');
        // Registration closed: sign-up refuses, the invitation was the way in.
        assert.equal((await (await anonymous()).signUp(at('nobody'), 'Nobody')).status, 403);
      } finally {
        await admin.patch('/api/v1/admin/settings', { registration: 'open' });
      }
    });

    it('concurrent accepts of one invitation make exactly one account', async () => {
      const result = await invite(at('race'));
      assert.equal(result.invited.length, 1);
      const token = linkIn(mailsTo(at('race'))[0], 'invite');
      const clients = await Promise.all([1, 2, 3, 4, 5].map((i) => anonymous(`10.0.1.${i}`)));
      const answers = await Promise.all(
        clients.map((client, i) =>
          client.post('/api/v1/auth/invitation/accept', { token, name: `Racer ${i}`, password: PASSWORD }),
        ),
      );
      const statuses = answers.map((a) => a.status).sort();
      assert.deepEqual(statuses, [201, 409, 409, 409, 409], JSON.stringify(answers.map((a) => a.body)));
      const people = await db().selectFrom('people').select('id').where('email', '=', at('race')).execute();
      assert.equal(people.length, 1);
    });

    it('resend replaces the link, revoke withdraws it, expired links say so', async () => {
      await invite(at('resend'));
      const first = linkIn(mailsTo(at('resend'))[0], 'invite');
      const [row] = (await admin.get(`/api/v1/admin/invitations?q=${engine}-resend`)).body.invitations;
      const resent = await admin.post(`/api/v1/admin/invitations/${row.id}/resend`);
      assert.equal(resent.status, 200, JSON.stringify(resent.body));
      assert.equal(resent.body.invitation.sendCount, 2);
      const mails = mailsTo(at('resend'));
      assert.equal(mails.length, 2);
      const second = linkIn(mails[1], 'invite');
      assert.notEqual(first, second);
      assert.equal((await (await anonymous()).post('/api/v1/auth/invitation', { token: first })).status, 404);
      assert.equal((await (await anonymous()).post('/api/v1/auth/invitation', { token: second })).status, 200);

      // Inviting the same address again while pending renews the same invitation.
      const again = await invite(at('resend'));
      assert.equal(again.invited[0].id, row.id);

      const revoked = await admin.post(`/api/v1/admin/invitations/${row.id}/revoke`);
      assert.equal(revoked.body.invitation.state, 'revoked');
      const third = linkIn(mailsTo(at('resend'))[2], 'invite');
      const refused = await (await anonymous()).post('/api/v1/auth/invitation', { token: third });
      assert.equal(refused.status, 400);
      assert.match(refused.body.error.message, /withdrawn/);
      assert.equal((await admin.post(`/api/v1/admin/invitations/${row.id}/resend`)).status, 409);
      assert.equal((await admin.post('/api/v1/admin/invitations/nope/resend')).status, 404);

      await invite(at('late'));
      const late = linkIn(mailsTo(at('late'))[0], 'invite');
      await db()
        .updateTable('invitations')
        .set({ expires_at: '2000-01-01T00:00:00.000Z' })
        .where('email', '=', at('late'))
        .execute();
      const expired = await (await anonymous()).post('/api/v1/auth/invitation/accept', {
        token: late,
        name: 'Late',
        password: PASSWORD,
      });
      assert.equal(expired.status, 400);
      assert.match(expired.body.error.message, /expired/);
      const listed = await admin.get('/api/v1/admin/invitations?state=expired');
      assert.ok(listed.body.invitations.some((i: { email: string }) => i.email === at('late')));
    });

    it('forgot password answers the same for known and unknown addresses, and is rate-limited', async () => {
      const person = await anonymous('10.0.2.1');
      assert.equal((await person.signUp(at('forgetful'), 'Forgetful Person', PASSWORD)).status, 201);
      const client = await anonymous('10.0.2.2');
      const known = await client.post('/api/v1/auth/password/forgot', { email: at('forgetful') });
      const unknown = await client.post('/api/v1/auth/password/forgot', { email: at('nobody-here') });
      assert.equal(known.status, 202);
      assert.deepEqual(known.body, unknown.body);
      assert.equal(unknown.status, 202);
      const mail = await waitFor(
        () => mailsTo(at('forgetful')).find((m) => m.subject === 'Choose a new Convene password'),
        'reset mail',
      );
      linkIn(mail, 'reset-password');
      assert.equal(mailsTo(at('nobody-here')).length, 0);
      assert.equal((await client.post('/api/v1/auth/password/forgot', {})).body.error.field, 'email');
      // Per address: three links an hour, whoever asks and whether or not the address exists.
      for (let i = 0; i < 2; i++) {
        const other = await anonymous(`10.0.3.${i}`);
        assert.equal((await other.post('/api/v1/auth/password/forgot', { email: at('nobody-here') })).status, 202);
      }
      const limited = await (await anonymous('10.0.3.9')).post('/api/v1/auth/password/forgot', {
        email: at('nobody-here'),
      });
      assert.equal(limited.status, 429);
      assert.ok(limited.headers['retry-after']);
    });

    it('a reset link sets a new password once, signs out everywhere; concurrent uses: one wins', async () => {
      const email = at('resetter');
      const laptop = await anonymous('10.0.4.1');
      assert.equal((await laptop.signUp(email, 'Reset Person', PASSWORD)).status, 201);
      const phone = await anonymous('10.0.4.2');
      assert.equal((await phone.signIn(email, PASSWORD)).status, 200);
      await (await anonymous('10.0.4.3')).post('/api/v1/auth/password/forgot', { email });
      const token = linkIn(
        await waitFor(() => mailsTo(email).find((m) => m.subject?.includes('new Convene password')), 'reset mail'),
        'reset-password',
      );
      const stranger = await anonymous('10.0.4.4');
      assert.equal((await stranger.post('/api/v1/auth/password/check', { token })).status, 200);
      const weak = await stranger.post('/api/v1/auth/password/reset', { token, password: 'short' });
      assert.equal(weak.status, 400);
      assert.equal(weak.body.error.field, 'password');
      const newPassword = 'marble canyon 71 otter';
      const results = await Promise.all(
        [1, 2, 3].map(async (i) =>
          (await anonymous(`10.0.5.${i}`)).post('/api/v1/auth/password/reset', { token, password: newPassword }),
        ),
      );
      assert.deepEqual(
        results.map((r) => r.status).sort(),
        [200, 409, 409],
        JSON.stringify(results.map((r) => r.body)),
      );
      assert.equal((await laptop.get('/api/v1/me')).status, 401, 'signed out on the laptop');
      assert.equal((await phone.get('/api/v1/me')).status, 401, 'signed out on the phone');
      assert.equal((await (await anonymous('10.0.4.5')).signIn(email, PASSWORD)).status, 401);
      assert.equal((await (await anonymous('10.0.4.6')).signIn(email, newPassword)).status, 200);
      const reused = await stranger.post('/api/v1/auth/password/check', { token });
      assert.equal(reused.status, 409);
      assert.match(reused.body.error.message, /already used/);

      // An expired link says so; a tampered one is not valid.
      await admin.post('/api/v1/auth/signout');
      admin = await adminClient(get().app);
      const person = await db().selectFrom('people').select('id').where('email', '=', email).executeTakeFirstOrThrow();
      const sent = await admin.post(`/api/v1/admin/people/${person.id}/reset-link`);
      assert.equal(sent.status, 200, JSON.stringify(sent.body));
      const adminMail = mailsTo(email).at(-1);
      assert.match(adminMail?.text ?? '', /An administrator sent you/);
      const adminToken = linkIn(adminMail, 'reset-password');
      await db()
        .updateTable('account_tokens')
        .set({ expires_at: '2000-01-01T00:00:00.000Z' })
        .where('token_hash', '=', hashToken(adminToken))
        .execute();
      const expired = await stranger.post('/api/v1/auth/password/reset', { token: adminToken, password: newPassword });
      assert.equal(expired.status, 400);
      assert.match(expired.body.error.message, /expired/);
      const tampered = await stranger.post('/api/v1/auth/password/reset', {
        token: `${adminToken.slice(0, -3)}abc`,
        password: newPassword,
      });
      assert.equal(tampered.status, 404);
      const admins = await db()
        .selectFrom('people')
        .select('id')
        .where('username', '=', 'admin')
        .executeTakeFirstOrThrow();
      const noEmail = await admin.post(`/api/v1/admin/people/${admins.id}/reset-link`);
      assert.equal(noEmail.status, 400);
      assert.equal(noEmail.body.error.field, 'email');
      assert.equal((await (await anonymous('10.0.4.9')).signIn('admin', ADMIN_PASSWORD)).status, 200);
    });

    it('open sign-up gets a confirmation link; the setting keeps unverified members out of groups', async () => {
      const email = at('newbie');
      const newbie = await anonymous('10.0.6.1');
      const signed = await newbie.signUp(email, 'New Bie', PASSWORD);
      assert.equal(signed.status, 201);
      assert.equal(signed.body.person.verified, false);
      const mail = await waitFor(() => mailsTo(email).find((m) => m.subject?.includes('Confirm')), 'confirmation');
      const token = linkIn(mail, 'verify-email');

      const settings = await admin.patch('/api/v1/admin/settings', { onlyVerifiedTakePart: true });
      assert.equal(settings.status, 200);
      assert.equal(settings.body.onlyVerifiedTakePart, true);
      assert.equal(settings.body.emailConfigured, true);
      const group = await admin.post('/api/v1/mixers/groups', {
        name: `${engine} verified coffee`,
        cron: '0 10 * * MON',
        timezone: 'UTC',
      });
      assert.equal(group.status, 201, JSON.stringify(group.body));
      const refused = await newbie.post(`/api/v1/mixers/groups/${group.body.group.id}/join`);
      assert.equal(refused.status, 403);
      assert.match(refused.body.error.message, /Confirm your e-mail address/);

      const resent = await newbie.post('/api/v1/me/verification');
      assert.equal(resent.status, 202);
      const newer = linkIn(
        await waitFor(() => mailsTo(email).filter((m) => m.subject?.includes('Confirm'))[1], 'second confirmation'),
        'verify-email',
      );
      // A newer link replaces the older one.
      assert.equal((await newbie.post('/api/v1/auth/verify-email', { token })).status, 409);
      const verified = await newbie.post('/api/v1/auth/verify-email', { token: newer });
      assert.equal(verified.status, 200, JSON.stringify(verified.body));
      assert.equal(verified.body.person.verified, true);
      assert.equal((await newbie.post(`/api/v1/mixers/groups/${group.body.group.id}/join`)).status, 200);

      // The registration-code flow still verifies at sign-up.
      const code = (await admin.patch('/api/v1/admin/settings', { registration: 'code' })).body.verificationCode;
      const coded = await anonymous('10.0.6.2');
      await coded.prime();
      const withCode = await coded.post('/api/v1/auth/signup', {
        email: at('coded'),
        name: 'Coded Person',
        password: PASSWORD,
        verificationCode: code,
      });
      assert.equal(withCode.status, 201);
      assert.equal(withCode.body.person.verified, true);
      await admin.patch('/api/v1/admin/settings', { registration: 'open', onlyVerifiedTakePart: false });
    });

    it('the audit log page: who, what, when, from where; filters; CSV; admins only', async () => {
      const page = await admin.get('/api/v1/admin/audit?action=invitation.&limit=500');
      assert.equal(page.status, 200, JSON.stringify(page.body));
      const created = page.body.entries.filter(
        (e: { action: string; data: { email?: string } | null }) =>
          e.action === 'invitation.create' && e.data?.email === at('linus'),
      );
      assert.equal(created.length, 1);
      assert.equal(created[0].actor.username, 'admin');
      assert.equal(created[0].ip, '127.0.0.1');
      assert.ok(page.body.entries.every((e: { action: string }) => e.action.startsWith('invitation.')));
      const accepted = await admin.get('/api/v1/admin/audit?action=invitation.accept');
      assert.ok(accepted.body.entries.some((e: { ip: string | null }) => e.ip?.startsWith('10.0.')));
      const byAdmin = await admin.get('/api/v1/admin/audit?actor=admin&limit=5');
      assert.equal(byAdmin.body.entries.length, 5);
      assert.ok(byAdmin.body.total >= 5);
      const future = await admin.get('/api/v1/admin/audit?since=2999-01-01');
      assert.equal(future.body.total, 0);
      const badDate = await admin.get('/api/v1/admin/audit?since=yesterday');
      assert.equal(badDate.status, 400);
      assert.equal(badDate.body.error.field, 'since');
      const nobody = await admin.get('/api/v1/admin/audit?actor=nobody-at-all');
      assert.equal(nobody.status, 400);
      assert.equal(nobody.body.error.field, 'actor');
      const csv = await admin.get('/api/v1/admin/audit.csv?action=invitation.create');
      assert.equal(csv.status, 200);
      assert.match(String(csv.headers['content-type']), /text\/csv/);
      const lines = String(csv.body)
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
      assert.equal(lines[0], 'at,actor,action,subject_type,subject_id,ip,data');
      assert.ok(lines.some((line) => line.includes(at('linus')) && line.includes('127.0.0.1')));
      const member = await anonymous('10.0.7.1');
      await member.signUp(at('auditmember'), 'Audit Member', PASSWORD);
      assert.equal((await member.get('/api/v1/admin/audit')).status, 403);
    });
  },
  {
    publicUrl: 'https://convene.example.org',
    'notifications.email.smtpUrl': smtp.url,
    'notifications.email.from': 'Convene <convene@example.org>',
  },
);
