import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InboundSetup } from '../src/contract/ingest.js';
import { clientFor, insertPerson } from './helpers/people.js';
import { adminClient, type TestApp } from './helpers/server.js';
import { forEachEngine } from './helpers/suite.js';

const CREATE = 'setup-create-secret-1';
const UPDATE = 'setup-update-secret-2';
const inHours = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();
let deliveries = 0;

function send(get: () => TestApp, headers: Record<string, string>, body: unknown = { id: 1 }) {
  return get()
    .app.inject({
      method: 'POST',
      url: '/webhooks/42',
      headers: {
        'content-type': 'application/json',
        'x-model': 'scale_team',
        'x-event': 'create',
        'x-secret': CREATE,
        'x-delivery': `setup-${++deliveries}`,
        ...headers,
      },
      payload: JSON.stringify(body),
    })
    .then((r) => ({ status: r.statusCode, body: r.json(), text: r.body }));
}

async function setup(get: () => TestApp): Promise<{ body: InboundSetup; text: string }> {
  const admin = await adminClient(get().app);
  const response = await admin.get('/api/v1/admin/inbound/setup');
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return { body: response.body, text: JSON.stringify(response.body) };
}

forEachEngine('a fresh install: the 42 intranet is not set up', (get) => {
  test('the setup says no event has a secret, and the address to give the intranet; admins only', async () => {
    const { body } = await setup(get);
    assert.deepEqual(body.intra42.events, [
      { event: 'scale_team.create', secret: false },
      { event: 'scale_team.update', secret: false },
      { event: 'scale_team.destroy', secret: false },
    ]);
    assert.match(body.intra42.webhookUrl, /^http:\/\/localhost:\d+\/webhooks\/42$/);
    assert.equal(body.intra42.publicUrlSet, false);
    assert.equal(body.intra42.api, false);
    assert.equal(body.intra42.queue, null);

    const memberId = await insertPerson(get().ctx.database.db, { username: 'setup-member' });
    const client = await clientFor(get().app, get().ctx.database.db, memberId);
    assert.equal((await client.get('/api/v1/admin/inbound/setup')).status, 403);
    const admin = await adminClient(get().app);
    assert.equal((await admin.get('/api/v1/admin/inbound/setup?events=all')).status, 400);
  });

  test('a delivery is a 401 saying this server has no secret for its event, and where one is set', async () => {
    for (const secret of [CREATE, '']) {
      const refused = await send(get, { 'x-secret': secret });
      assert.equal(refused.status, 401);
      assert.equal(refused.body.error.code, 'unauthorized');
      assert.match(refused.body.error.message, /^X-Secret: this server has no secret for scale_team\.create/);
      assert.match(refused.body.error.message, /intra42\.webhooks \(CONVENE_INTRA42_WEBHOOKS\)/);
    }
    // An unknown model.event: no advice to configure what cannot be configured.
    const other = await send(get, { 'x-model': 'team' });
    assert.equal(other.status, 401);
    assert.match(other.body.error.message, /no secret for "team\.create": it takes scale_team\.create/);
    assert.doesNotMatch(other.body.error.message, /intra42\.webhooks/);
  });
});

forEachEngine(
  'the 42 intranet set up',
  (get) => {
    test('the setup names the events with a secret, never a secret, with the public address, the API and the queue', async () => {
      const { body, text } = await setup(get);
      assert.deepEqual(body.intra42, {
        webhookUrl: 'https://convene.example.org/webhooks/42',
        publicUrlSet: true,
        events: [
          { event: 'scale_team.create', secret: true },
          { event: 'scale_team.update', secret: true },
          { event: 'scale_team.destroy', secret: false },
        ],
        api: true,
        queue: 'intra42.scale_team',
      });
      for (const secret of [CREATE, UPDATE, 'app-secret-3', 'rabbit-password'])
        assert.ok(!text.includes(secret), 'no secret in the answer');
    });

    test('a 401 tells no secret here for the event, none sent and a wrong one apart, naming no secret', async () => {
      const cases: [Record<string, string>, RegExp][] = [
        [
          { 'x-event': 'destroy', 'x-secret': 'whatever' },
          /^X-Secret: this server has no secret for scale_team\.destroy,/,
        ],
        [{ 'x-secret': '' }, /^X-Secret: none was sent; a scale_team\.create delivery needs/],
        [{ 'x-secret': 'hunter2' }, /^X-Secret: wrong: it is not the secret this server has for scale_team\.create\.$/],
        // Another event's secret opens only that event.
        [{ 'x-secret': UPDATE }, /^X-Secret: wrong: it is not the secret this server has for scale_team\.create\.$/],
      ];
      for (const [headers, message] of cases) {
        const refused = await send(get, headers);
        assert.equal(refused.status, 401, refused.text);
        assert.match(refused.body.error.message, message);
        for (const secret of [CREATE, UPDATE]) assert.ok(!refused.text.includes(secret));
      }
      await get().ctx.inboundRefusals.flush();
      const admin = await adminClient(get().app);
      const rows = (await admin.get('/api/v1/admin/inbound/refusals')).body.refusals;
      assert.equal(rows.find((r: { reason: string }) => r.reason === 'secret')?.count, 4);
    });

    test('begin_at on a day or at an hour the calendar does not have says so', async () => {
      const body = (begin_at: string) => ({
        id: 77,
        begin_at,
        user: { login: 'setupeval' },
        team: { id: 770, name: 'libft', users: [{ login: 'setupstud' }] },
      });
      const cases: [string, string][] = [
        ['2030-02-31T10:00:00Z', 'begin_at: 2030-02-31 does not exist: February 2030 has 28 days'],
        ['2030-04-31 10:00:00 UTC', 'begin_at: 2030-04-31 does not exist: April 2030 has 30 days'],
        ['2030-13-01T10:00:00Z', 'begin_at: 2030-13-01 does not exist: there is no month 13'],
        [
          '2030-03-01T24:00:00Z',
          'begin_at: 24:00:00 is not a time of day: hours go from 00 to 23, minutes and seconds from 00 to 59',
        ],
        ['2030-03-01T10:00:00', 'begin_at: has no time zone: end it with Z, an offset such as +02:00, or " UTC"'],
        ['tomorrow', 'begin_at: must be a time such as 2020-07-15T21:00:00.000Z or 2020-05-14 22:30:00 UTC'],
      ];
      for (const [beginAt, message] of cases) {
        const refused = await send(get, {}, body(beginAt));
        assert.equal(refused.status, 400, refused.text);
        assert.equal(refused.body.error.field, 'begin_at');
        assert.equal(refused.body.error.message, message);
      }
      // A leap day is a day (what follows is the 42 API, unreachable here: not begin_at's 400).
      assert.notEqual((await send(get, {}, body('2032-02-29T10:00:00Z'))).status, 400);
    });

    test('the meetings API: a startsAt without an offset says so; a body without Content-Type is told to send JSON', async () => {
      const admin = await adminClient(get().app);
      const made = await admin.post('/api/v1/admin/api-tokens', { name: 'setup tool', scopes: ['meetings:write'] });
      assert.equal(made.status, 201);
      await insertPerson(get().ctx.database.db, { username: 'setup-ann' });
      const put = (payload: string, headers: Record<string, string>) =>
        get()
          .app.inject({
            method: 'PUT',
            url: '/api/v1/meetings/by-source/hr-tool/setup-1',
            headers: { authorization: `Bearer ${made.body.token}`, ...headers },
            payload,
          })
          .then((r) => ({ status: r.statusCode, body: r.json() }));
      const meeting = (startsAt: string) => JSON.stringify({ title: 'Setup', startsAt, participants: ['setup-ann'] });
      const json = { 'content-type': 'application/json' };

      const local = await put(meeting('2030-03-03T13:00:00'), json);
      assert.equal(local.status, 400);
      assert.equal(local.body.error.field, 'startsAt');
      assert.equal(
        local.body.error.message,
        'startsAt: has no time zone offset: end it with Z (UTC) or an offset such as +02:00, as in 2030-03-03T13:00:00Z or 2030-03-03T13:00:00+02:00',
      );
      const garbled = await put(meeting('next Tuesday'), json);
      assert.equal(garbled.body.error.message, 'startsAt: must be an ISO 8601 time such as 2030-01-15T09:30:00Z');

      const none = await put(meeting(inHours(3)), {});
      assert.equal(none.status, 415, JSON.stringify(none.body));
      assert.equal(none.body.error.code, 'unsupported_media_type');
      assert.equal(
        none.body.error.message,
        'The request has a body but no Content-Type header: send the body as JSON, with the header Content-Type: application/json.',
      );
      const text = await put(meeting(inHours(3)), { 'content-type': 'application/x-www-form-urlencoded' });
      assert.equal(text.status, 415);
      assert.match(
        text.body.error.message,
        /^The request's Content-Type "application\/x-www-form-urlencoded" is not accepted here: send the body as JSON/,
      );
      assert.equal((await put(meeting(inHours(3)), json)).status, 200);
    });

    test('a route taking other types names them in its 415 (a profile photo)', async () => {
      const admin = await adminClient(get().app);
      const gif = await admin.request('PUT', '/api/v1/me/photo', 'GIF89a', {
        headers: { 'content-type': 'image/gif' },
      });
      assert.equal(gif.status, 415, JSON.stringify(gif.body));
      assert.match(
        gif.body.error.message,
        /"image\/gif" is not accepted here: send the body with Content-Type image\/png/,
      );
    });
  },
  {
    publicUrl: 'https://convene.example.org',
    'intra42.webhooks': `scale_team.create:${CREATE},scale_team.update:${UPDATE}`,
    'intra42.appId': 'app-id-3',
    'intra42.appSecret': 'app-secret-3',
    'intra42.amqp.url': 'amqp://guest:rabbit-password@127.0.0.1:5672',
  },
);
