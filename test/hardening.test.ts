import assert from 'node:assert/strict';
import { test } from 'node:test';
import { saveChannel } from '../src/features/notifications/channels.js';
import { slackSignature } from '../src/features/notifications/slackInteractions.js';
import { listenLocally } from './helpers/liveServer.js';
import { clientFor, insertPerson } from './helpers/people.js';
import { adminClient, Client } from './helpers/server.js';
import { forEachEngine } from './helpers/suite.js';

const SIGNING_SECRET = 'slack-signing-secret-for-hardening-01';

/** The API's error shape, and nothing else. */
function assertApiError(body: unknown, status: number, expected: number, field?: string): void {
  assert.equal(status, expected, JSON.stringify(body));
  const error = (body as { error?: Record<string, unknown> }).error;
  assert.ok(error, `an error body: ${JSON.stringify(body)}`);
  assert.deepEqual(Object.keys(error).sort(), field ? ['code', 'field', 'message'] : ['code', 'message']);
  assert.equal(typeof error.code, 'string');
  assert.doesNotMatch(String(error.code), /^FST_/);
  assert.equal(typeof error.message, 'string');
  if (field) {
    assert.equal(error.field, field);
    assert.ok(String(error.message).startsWith(`${field}: `), String(error.message));
  }
}

forEachEngine('hardening: text no route accepts, and answers outside the routes', (get) => {
  const db = () => get().ctx.database.db;
  let eventId: string;

  test('setup: a talks event with a proposal', async () => {
    const admin = await adminClient(get().app);
    const created = await admin.post('/api/v1/talks/events', { name: 'Hardening' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    eventId = created.body.event.id;
    const member = await clientFor(get().app, db(), await insertPerson(db(), { username: 'hardy' }));
    const proposal = await member.post(`/api/v1/talks/events/${eventId}/proposals`, { title: 'Safe text' });
    assert.equal(proposal.status, 201, JSON.stringify(proposal.body));
  });

  test('a NUL in a body, on anonymous routes too, is a 400 naming the field (PostgreSQL answered 500)', async () => {
    const anonymous = await new Client(get().app).prime();
    const signin = await anonymous.post('/api/v1/auth/signin', { email: 'ad\u0000min', password: 'whatever 1' });
    assertApiError(signin.body, signin.status, 400, 'email');
    assert.match(signin.body.error.message, /NUL/);

    const signup = await anonymous.post('/api/v1/auth/signup', {
      email: 'nul@example.org',
      name: 'Nul\u0000Person',
      password: 'correct horse battery 9',
    });
    assertApiError(signup.body, signup.status, 400, 'name');
    const person = await db()
      .selectFrom('people')
      .select('id')
      .where('email', '=', 'nul@example.org')
      .executeTakeFirst();
    assert.equal(person, undefined, 'nothing written');
  });

  test('a lone surrogate, and a NUL in a key or nested value, are refused the same way', async () => {
    const anonymous = await new Client(get().app).prime();
    const lone = await anonymous.request('POST', '/api/v1/auth/signup', undefined, {
      headers: { 'content-type': 'application/json' },
      payload: '{"email":"lone@example.org","name":"Broken \\ud800 char","password":"correct horse battery 9"}',
    });
    assertApiError(lone.body, lone.status, 400, 'name');
    assert.match(lone.body.error.message, /surrogate/);

    const admin = await adminClient(get().app);
    const nested = await admin.request('PATCH', '/api/v1/admin/settings', undefined, {
      headers: { 'content-type': 'application/json' },
      payload: '{"x\\u0000":1}',
    });
    assert.equal(nested.status, 400, JSON.stringify(nested.body));
    assert.match(nested.body.error.message, /key/);
  });

  test('a NUL in a path parameter or a query value is a 400 naming it, the public feed included', async () => {
    const anonymous = new Client(get().app);
    const feed = await anonymous.get('/public/talks/events/%00/proposals');
    assertApiError(feed.body, feed.status, 400, 'id');
    const admin = await adminClient(get().app);
    const search = await admin.get('/api/v1/admin/people?q=a%00b');
    assertApiError(search.body, search.status, 400, 'q');
  });

  test("'_', '%' and '\\' in a search are the characters themselves, on both engines (people, invitations, audit)", async () => {
    const db = get().ctx.database.db;
    await insertPerson(db, { username: 'jane_doe', name: 'Jane Doe' });
    await insertPerson(db, { username: 'janexdoe', name: 'Jane X' });
    await insertPerson(db, { username: 'pct100', name: 'Percent 100%' });
    const admin = await adminClient(get().app);
    const found = async (q: string) =>
      (await admin.get(`/api/v1/admin/people?q=${encodeURIComponent(q)}`)).body.people
        .map((p: { username: string }) => p.username)
        .sort();
    assert.deepEqual(await found('jane_'), ['jane_doe'], 'the underscore is one, not any character');
    assert.deepEqual(await found('100%'), ['pct100']);
    assert.deepEqual(await found('e\\d'), []);
    const invited = await admin.post('/api/v1/admin/invitations', { emails: 'under_score@example.org' });
    assert.ok(invited.status < 300, JSON.stringify(invited.body));
    const invitations = await admin.get('/api/v1/admin/invitations?q=under_');
    assert.deepEqual(
      invitations.body.invitations.map((i: { email: string }) => i.email),
      ['under_score@example.org'],
    );
    const audit = await admin.get('/api/v1/admin/audit?action=invitation_');
    assert.equal(audit.status, 200);
    assert.equal(audit.body.entries.length, 0, 'no action starts with "invitation_"');
  });

  test('the cached public feed, answered before the router, does not serve a URL with a NUL in it', async () => {
    const url = await listenLocally(get().app);
    const path = `/public/talks/events/${eventId}/proposals`;
    const filled = await fetch(url + path);
    assert.equal(filled.status, 200);
    const cached = await fetch(url + path);
    assert.equal(cached.status, 200);
    const withNul = await fetch(`${url + path}?utm=%00`);
    assertApiError(await withNul.json(), withNul.status, 400, 'utm');
  });

  test('a badly percent-encoded path or an over-long path parameter gets the API error shape', async () => {
    const anonymous = new Client(get().app);
    const badUrl = await anonymous.get('/public/talks/events/%E0%A4%A/proposals');
    assertApiError(badUrl.body, badUrl.status, 400);
    assert.match(badUrl.body.error.message, /percent-encoded/);
    const longParam = await anonymous.get(`/public/talks/events/${'x'.repeat(1000)}/proposals`);
    assertApiError(longParam.body, longParam.status, 400);
    assert.match(longParam.body.error.message, /too long/);
  });

  test('a correctly signed Slack interaction whose actions is not a list is a 400, not a 500', async () => {
    await saveChannel(db(), {
      channel: 'slack',
      enabled: true,
      settings: {},
      secrets: { token: 'xoxb-test', signingSecret: SIGNING_SECRET },
      source: 'admin',
    });
    const send = (payload: unknown) => {
      const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
      const timestamp = String(Math.floor(Date.now() / 1000));
      return new Client(get().app).request('POST', '/api/v1/integrations/slack/interactions', body, {
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-slack-request-timestamp': timestamp,
          'x-slack-signature': slackSignature(SIGNING_SECRET, timestamp, body),
        },
      });
    };
    for (const actions of [{ action_id: 'convene_met_yes' }, 'convene_met_yes', 42]) {
      const response = await send({ type: 'block_actions', user: { id: 'U1' }, actions });
      assertApiError(response.body, response.status, 400, 'payload.actions');
    }
    const nul = await send({
      type: 'block_actions',
      user: { id: 'U1' },
      actions: [{ action_id: 'convene_met_yes', value: 'meeting\u0000id' }],
    });
    assertApiError(nul.body, nul.status, 400, 'payload.actions[0].value');
    const notAnObject = await send(null);
    assertApiError(notAnObject.body, notAnObject.status, 400, 'payload');
    const other = await send({ type: 'view_submission' });
    assert.equal(other.status, 200, 'other interactions are still acknowledged');
  });
});
