import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { type KyselyPlugin, Migrator } from 'kysely';
import { migrations } from '../src/db/migrations/index.js';
import { resolveParticipants } from '../src/features/ingest/meetingsBySource.js';
import { hashToken } from '../src/lib/ids.js';
import { listenLocally } from './helpers/liveServer.js';
import { insertPerson } from './helpers/people.js';
import { adminClient, type TestApp } from './helpers/server.js';
import { forEachEngine } from './helpers/suite.js';

const inHours = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();

function call(
  get: () => TestApp,
  method: 'GET' | 'PUT' | 'DELETE',
  url: string,
  token: string | null,
  payload?: unknown,
) {
  return get()
    .app.inject({
      method,
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(payload !== undefined && { payload: payload as object }),
    })
    .then((r) => ({ status: r.statusCode, body: r.json() }));
}

forEachEngine('meetings API with API tokens', (get) => {
  test('an admin makes a token shown once; it upserts and cancels meetings without session or CSRF; revoked it is refused', async () => {
    const db = get().ctx.database.db;
    const admin = await adminClient(get().app);
    const ann = await insertPerson(db, { username: 'api-ann' });
    const ben = await insertPerson(db, { username: 'api-ben', email: 'ben@example.org' });

    const bad = await admin.post('/api/v1/admin/api-tokens', { name: 'HR', scopes: ['everything'] });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /scopes/);
    const made = await admin.post('/api/v1/admin/api-tokens', { name: 'HR tool', scopes: ['meetings:write'] });
    assert.equal(made.status, 201);
    const token = made.body.token as string;
    const stored = await db.selectFrom('api_tokens').selectAll().executeTakeFirstOrThrow();
    assert.notEqual(stored.token_hash, token, 'only a hash is stored');
    assert.ok(!JSON.stringify(await admin.get('/api/v1/admin/api-tokens')).includes(token), 'never listed again');
    const audit = await admin.get('/api/v1/admin/audit?action=api_token.create');
    assert.deepEqual(
      audit.body.entries[0].data,
      { name: 'HR tool', scopes: ['meetings:write'], sources: null },
      'a list, not its text',
    );

    const url = '/api/v1/meetings/by-source/hr-tool/onboarding-1';
    const meeting = { title: 'Onboarding', startsAt: inHours(5), participants: ['api-ann', 'Ben@Example.org'] };
    assert.equal((await call(get, 'PUT', url, null, meeting)).status, 401);
    assert.equal((await call(get, 'PUT', url, 'cvn_not-a-token', meeting)).status, 401);
    const created = await call(get, 'PUT', url, token, meeting);
    assert.equal(created.status, 200, JSON.stringify(created.body));
    assert.equal(created.body.outcome, 'created');
    const people = await db
      .selectFrom('meeting_participants')
      .select('person_id')
      .where('meeting_id', '=', created.body.meetingId)
      .execute();
    assert.deepEqual(people.map((p) => p.person_id).sort(), [ann, ben].sort());
    const listed = await admin.get('/api/v1/admin/api-tokens');
    assert.ok(listed.body.tokens[0].lastUsedAt, 'last use recorded');

    const unknown = await call(get, 'PUT', url, token, { ...meeting, participants: ['api-ann', 'nobody@example.org'] });
    assert.equal(unknown.status, 422);
    assert.equal(unknown.body.error.field, 'participants');
    assert.match(unknown.body.error.message, /nobody@example\.org/);
    const badTime = await call(get, 'PUT', url, token, { ...meeting, startsAt: 'soon' });
    assert.equal(badTime.status, 400);
    assert.equal(badTime.body.error.field, 'startsAt');
    assert.equal((await call(get, 'PUT', '/api/v1/meetings/by-source/round/x', token, meeting)).status, 400);

    const moved = await call(get, 'PUT', url, token, { ...meeting, startsAt: inHours(8) });
    assert.equal(moved.body.outcome, 'updated');
    const cancelled = await call(get, 'DELETE', url, token);
    assert.deepEqual(cancelled.body, { meetingId: created.body.meetingId, cancelled: true });
    const row = await db
      .selectFrom('meetings')
      .select('status')
      .where('id', '=', created.body.meetingId)
      .executeTakeFirst();
    assert.equal(row?.status, 'cancelled');
    assert.equal((await call(get, 'DELETE', '/api/v1/meetings/by-source/hr-tool/never', token)).body.cancelled, false);

    const revoked = await admin.post(`/api/v1/admin/api-tokens/${made.body.apiToken.id}/revoke`);
    assert.equal(revoked.status, 200);
    assert.ok(revoked.body.apiToken.revokedAt);
    assert.equal((await call(get, 'PUT', url, token, meeting)).status, 401);
    // Every change made over HTTP says where it came from, a token's and an admin's alike.
    for (const action of ['api_token.revoke', 'meeting.create', 'meeting.cancel']) {
      const entries = (await admin.get(`/api/v1/admin/audit?action=${action}`)).body.entries as Array<{ ip: string }>;
      assert.ok(entries.length > 0, action);
      assert.ok(
        entries.every((e) => e.ip === '127.0.0.1'),
        `${action}: ${JSON.stringify(entries.map((e) => e.ip))}`,
      );
    }
  });

  test('a member cannot make tokens; the OpenAPI document lists the meetings API', async () => {
    const member = get().app;
    const anonymous = await member.inject({ method: 'GET', url: '/api/v1/admin/api-tokens' });
    assert.equal(anonymous.statusCode, 401);
    const doc = (await member.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    assert.ok(doc.paths['/api/v1/meetings/by-source/{source}/{externalId}'].put);
    assert.ok(doc.paths['/api/v1/meetings/by-source/{source}/{externalId}'].delete);
  });
});

/** A meetings:write token, made by the admin as an operator would. */
async function makeToken(get: () => TestApp, name = 'HR tool'): Promise<{ token: string; id: string }> {
  const admin = await adminClient(get().app);
  const made = await admin.post('/api/v1/admin/api-tokens', { name, scopes: ['meetings:write'] });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  return { token: made.body.token as string, id: made.body.apiToken.id as string };
}

forEachEngine('meetings API boundaries', (get) => {
  const url = (externalId: string) => `/api/v1/meetings/by-source/hr-tool/${externalId}`;

  test('without an Authorization header the body is never read: 401, not a parse or validation error', async () => {
    for (const payload of ['{"title": [[[', '{"title": "\\u0000"}', '{}']) {
      const response = await get().app.inject({
        method: 'PUT',
        url: url('anonymous'),
        headers: { 'content-type': 'application/json' },
        payload,
      });
      assert.equal(response.statusCode, 401, `${payload}: ${response.body}`);
    }
    const deleted = await get().app.inject({
      method: 'DELETE',
      url: url('anonymous'),
      headers: { 'content-type': 'application/json', 'content-length': '0' },
    });
    assert.equal(deleted.statusCode, 401, deleted.body);
  });

  test('an externalId in the form Convene gives cancelled meetings is refused, so it cannot block a key', async () => {
    const { token } = await makeToken(get);
    await insertPerson(get().ctx.database.db, { username: 'key-ann' });
    const meeting = { title: 'Onboarding', startsAt: inHours(5), participants: ['key-ann'] };
    const first = await call(get, 'PUT', url('k1'), token, meeting);
    assert.equal(first.body.outcome, 'created');
    assert.equal((await call(get, 'DELETE', url('k1'), token)).body.cancelled, true);
    const taken = await call(get, 'PUT', url(`k1:cancelled:${first.body.meetingId}`), token, meeting);
    assert.equal(taken.status, 400);
    assert.equal(taken.body.error.field, 'externalId');
    assert.match(taken.body.error.message, /:cancelled:/);
    const again = await call(get, 'PUT', url('k1'), token, meeting);
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.equal(again.body.outcome, 'created');
    assert.equal((await call(get, 'DELETE', url('k1'), token)).body.cancelled, true);
    assert.equal((await call(get, 'PUT', url('k1'), token, meeting)).status, 200, 'made anew once more');
  });
  test('every externalId the schema accepts reaches it (up to 200 characters, encoded or not); a longer one is refused by name', async () => {
    const { token } = await makeToken(get, 'long ids');
    await insertPerson(get().ctx.database.db, { username: 'long-ann' });
    const meeting = { title: 'Long', startsAt: inHours(5), participants: ['long-ann'] };
    for (const id of ['e'.repeat(101), 'e'.repeat(200), 'é'.repeat(200), '😀'.repeat(100)]) {
      const made = await call(get, 'PUT', url(encodeURIComponent(id)), token, meeting);
      assert.equal(made.status, 200, `${id.length}: ${JSON.stringify(made.body)}`);
      const stored = await get()
        .ctx.database.db.selectFrom('meetings')
        .select('external_id')
        .where('id', '=', made.body.meetingId)
        .executeTakeFirstOrThrow();
      assert.equal(stored.external_id, id);
    }
    for (const method of ['PUT', 'DELETE'] as const) {
      const long = await call(get, method, url('e'.repeat(201)), token, method === 'PUT' ? meeting : undefined);
      assert.equal(long.status, 400);
      assert.equal(long.body.error.field, 'externalId', long.body.error.message);
    }
  });
  test('message templates are checked as the mixers check theirs: 400 naming the template', async () => {
    const { token } = await makeToken(get, 'templates');
    await insertPerson(get().ctx.database.db, { username: 'tpl-ann' });
    const meeting = { title: 'Templated', startsAt: inHours(5), participants: ['tpl-ann'] };
    const cases = [
      { introTemplate: 'Hi {{#first_name}} unclosed', field: 'messages.introTemplate' },
      { reminderTemplate: '{{{title}}} soon', field: 'messages.reminderTemplate' },
      { reminderTemplate: 'Hi {{secret_var}}', field: 'messages.reminderTemplate' },
    ];
    for (const { field, ...messages } of cases) {
      const refused = await call(get, 'PUT', url('tpl'), token, { ...meeting, messages });
      assert.equal(refused.status, 400, JSON.stringify(refused.body));
      assert.equal(refused.body.error.field, field);
    }
    const none = await get()
      .ctx.database.db.selectFrom('meetings')
      .select('id')
      .where('external_id', '=', 'tpl')
      .execute();
    assert.equal(none.length, 0, 'nothing stored');
    const messages = { introTemplate: 'Hi {{first_name}}: {{title}}{{#room_url}} at {{room_url}}{{/room_url}}' };
    assert.equal((await call(get, 'PUT', url('tpl'), token, { ...meeting, messages })).status, 200);
  });
  test('a change time more than a day ahead is refused, so it cannot make every later update stale', async () => {
    const { token } = await makeToken(get, 'clocks');
    await insertPerson(get().ctx.database.db, { username: 'clock-ann' });
    const meeting = { title: 'Clocks', startsAt: inHours(5), participants: ['clock-ann'] };
    for (const updatedAt of ['9999-12-31T23:59:59Z', inHours(25)]) {
      const refused = await call(get, 'PUT', url('clock'), token, { ...meeting, updatedAt });
      assert.equal(refused.status, 400, JSON.stringify(refused.body));
      assert.equal(refused.body.error.field, 'updatedAt');
    }
    const skewed = await call(get, 'PUT', url('clock'), token, { ...meeting, updatedAt: inHours(1) });
    assert.equal(skewed.body.outcome, 'created', 'a clock an hour ahead is fine');
    const later = await call(get, 'PUT', url('clock'), token, {
      ...meeting,
      startsAt: inHours(6),
      updatedAt: inHours(2),
    });
    assert.equal(later.body.outcome, 'updated');
  });
  test('a meeting created with its time already past is stored, and the answer says nobody was told', async () => {
    const { token } = await makeToken(get, 'late HR');
    const db = get().ctx.database.db;
    await insertPerson(db, { username: 'late-ann' });
    const past = await call(get, 'PUT', url('late-1'), token, {
      title: 'Onboarding (held yesterday)',
      startsAt: inHours(-20),
      participants: ['late-ann'],
    });
    assert.equal(past.status, 200, JSON.stringify(past.body));
    assert.deepEqual(past.body, {
      meetingId: past.body.meetingId,
      outcome: 'created',
      announced: false,
      message: 'Stored: its time has passed, so nobody was told.',
    });
    const queued = await db
      .selectFrom('notifications')
      .select('id')
      .where('meeting_id', '=', past.body.meetingId)
      .execute();
    assert.equal(queued.length, 0, 'nobody was told indeed');

    // No channel is on yet: the answer does not claim anyone was told.
    const untold = await call(get, 'PUT', url('late-0'), token, {
      title: 'Onboarding (no channel)',
      startsAt: inHours(5),
      participants: ['late-ann'],
    });
    assert.deepEqual(untold.body, {
      meetingId: untold.body.meetingId,
      outcome: 'created',
      announced: false,
      message:
        'Created, but no channel reaches its people, so nobody was told: an administrator turns e-mail, Slack or Mattermost on under Admin → Channels.',
    });
    const admin = await adminClient(get().app);
    const email = await admin.put('/api/v1/admin/channels/email', {
      enabled: true,
      smtpUrl: 'smtp://127.0.0.1:9',
      from: 'Convene <convene@example.org>',
    });
    assert.equal(email.status, 200, JSON.stringify(email.body));

    const meeting = { title: 'Onboarding', startsAt: inHours(5), participants: ['late-ann'], updatedAt: inHours(0) };
    const ahead = await call(get, 'PUT', url('late-2'), token, meeting);
    assert.deepEqual(ahead.body, {
      meetingId: ahead.body.meetingId,
      outcome: 'created',
      announced: true,
      message: 'Created: its people are sent an introduction.',
    });
    const answers = [
      [
        await call(get, 'PUT', url('late-2'), token, meeting),
        'unchanged',
        'Unchanged: nothing differs from what is stored.',
      ],
      [
        await call(get, 'PUT', url('late-2'), token, { ...meeting, title: 'Onboarding day', updatedAt: inHours(0.1) }),
        'updated',
        'Updated.',
      ],
      [
        await call(get, 'PUT', url('late-2'), token, { ...meeting, updatedAt: inHours(-1) }),
        'stale',
        'Ignored: an older update than the one stored.',
      ],
    ] as const;
    for (const [answer, outcome, message] of answers) {
      assert.deepEqual(answer.body, { meetingId: ahead.body.meetingId, outcome, message }, outcome);
    }
    // docs/sources.md quotes every answer as the code gives it.
    const docs = readFileSync(join(process.cwd(), 'docs', 'sources.md'), 'utf8').replace(/\s+/g, ' ');
    for (const quoted of [past.body.message, ahead.body.message, ...answers.map(([, , message]) => message)]) {
      assert.ok(docs.includes(quoted), `docs/sources.md quotes "${quoted}"`);
    }
  });
  test('the DELETE takes an empty body with a JSON content type, as many clients send it', async () => {
    const { token } = await makeToken(get, 'curl defaults');
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    for (const payload of ['', '{}']) {
      const response = await get().app.inject({ method: 'DELETE', url: url('never-made'), headers, payload });
      assert.equal(response.statusCode, 200, response.body);
      assert.deepEqual(response.json(), { meetingId: null, cancelled: false });
    }
    const broken = await get().app.inject({ method: 'DELETE', url: url('never-made'), headers, payload: '{' });
    assert.equal(broken.statusCode, 400, 'a body that is there is still read as JSON');
    const emptyPut = await get().app.inject({ method: 'PUT', url: url('never-made'), headers, payload: '' });
    assert.equal(emptyPut.statusCode, 400, 'a PUT still needs its body');
  });
  test('the audit log names the token that made each change', async () => {
    const { token, id } = await makeToken(get, 'Audited HR');
    await insertPerson(get().ctx.database.db, { username: 'audit-ann' });
    const meeting = { title: 'Audited', startsAt: inHours(5), participants: ['audit-ann'] };
    const made = await call(get, 'PUT', url('audited'), token, meeting);
    await call(get, 'PUT', url('audited'), token, { ...meeting, startsAt: inHours(6) });
    await call(get, 'DELETE', url('audited'), token);
    const admin = await adminClient(get().app);
    const log = await admin.get(`/api/v1/admin/audit?action=meeting.&subjectId=${made.body.meetingId}`);
    assert.deepEqual(log.body.entries.map((e: { action: string }) => e.action).sort(), [
      'meeting.cancel',
      'meeting.create',
      'meeting.update',
    ]);
    for (const entry of log.body.entries) {
      assert.equal(entry.actor, null);
      assert.deepEqual(entry.apiToken, { id, name: 'Audited HR' }, entry.action);
      // Each says which of the source's meetings it was, the cancellation too.
      assert.equal(entry.data?.source, 'hr-tool', entry.action);
      assert.equal(entry.data?.externalId, 'audited', entry.action);
    }
    const csv = await admin.get(`/api/v1/admin/audit.csv?subjectId=${made.body.meetingId}`);
    assert.match(csv.body, /token:Audited HR/);
  });
});

forEachEngine('meetings API participants', (get) => {
  test('participants are found in one statement per kind, in the stored form; disabled and unknown ones are listed back', async () => {
    const db = get().ctx.database.db;
    const ada = await insertPerson(db, { username: 'p-ada', email: 'ada@example.org' });
    const bob = await insertPerson(db, { username: 'p-bob' });
    await insertPerson(db, { username: 'p-gone', enabled: false });
    let statements = 0;
    // Counted as they return: a statement's subquery is transformed too, and would count twice.
    const counting: KyselyPlugin = {
      transformQuery: (args) => args.node,
      transformResult: async (args) => {
        statements++;
        return args.result;
      },
    };
    const nobody = Array.from({ length: 100 }, (_, i) => `nobody${i}@example.org`);
    const found = await resolveParticipants(db.withPlugin(counting), [
      ' Ada@Example.ORG ',
      'P-Bob',
      'p-gone',
      'p-gone@example.org',
      ...nobody,
    ]);
    assert.deepEqual(found.ids, [ada, bob]);
    assert.deepEqual(found.unknown, ['p-gone', 'p-gone@example.org', ...nobody]);
    assert.ok(statements <= 2, `${statements} statements for 104 names`);
  });
});

forEachEngine(
  'a request body that never finishes',
  (get) => {
    test('is cut off after the request timeout (slowloris) with a 408', async () => {
      const { token } = await makeToken(get, 'slow');
      const base = new URL(await listenLocally(get().app));
      const socket = connect(Number(base.port), base.hostname);
      const answer = await new Promise<string>((resolve, reject) => {
        let received = '';
        // Far beyond the 1 s timeout: reaching it means nothing cut the request off.
        const deadline = setTimeout(() => {
          socket.destroy();
          reject(new Error('the server still waits for the body after 10 s'));
        }, 10_000);
        socket.on('data', (chunk) => {
          received += chunk.toString();
        });
        socket.on('close', () => {
          clearTimeout(deadline);
          resolve(received);
        });
        socket.on('error', () => undefined);
        socket.write(
          [
            'PUT /api/v1/meetings/by-source/hr-tool/slow HTTP/1.1',
            'Host: localhost',
            `Authorization: Bearer ${token}`,
            'Content-Type: application/json',
            'Transfer-Encoding: chunked',
            '',
            '1',
            '{',
            '',
          ].join('\r\n'),
        );
      });
      assert.match(answer, /^HTTP\/1\.1 408/);
    });
  },
  { requestTimeoutSeconds: 1 },
);

forEachEngine('API token names', (get) => {
  test('a second active token with the same name, in any case or spacing, is a 409 naming name; revoked, the name is free again', async () => {
    const admin = await adminClient(get().app);
    const first = await admin.post('/api/v1/admin/api-tokens', { name: 'Payroll sync', scopes: ['meetings:write'] });
    assert.equal(first.status, 201);
    for (const name of ['Payroll sync', 'payroll SYNC', '  Payroll   sync ']) {
      const again = await admin.post('/api/v1/admin/api-tokens', { name, scopes: ['meetings:write'] });
      assert.equal(again.status, 409, name);
      assert.equal(again.body.error.field, 'name');
      assert.match(again.body.error.message, /^name: An active token is already called “Payroll sync”/);
    }
    const other = await admin.post('/api/v1/admin/api-tokens', { name: 'Payroll sync 2', scopes: ['meetings:write'] });
    assert.equal(other.status, 201);
    const revoked = await admin.post(`/api/v1/admin/api-tokens/${first.body.apiToken.id}/revoke`, {});
    assert.equal(revoked.status, 200);
    const reused = await admin.post('/api/v1/admin/api-tokens', { name: 'Payroll sync', scopes: ['meetings:write'] });
    assert.equal(reused.status, 201, JSON.stringify(reused.body));
    const active = (await admin.get('/api/v1/admin/api-tokens')).body.tokens.filter(
      (t: { name: string; revokedAt: string | null }) => t.name === 'Payroll sync' && !t.revokedAt,
    );
    assert.equal(active.length, 1);
  });
});

forEachEngine('API tokens limited to sources', (get) => {
  const at = (source: string, externalId: string) => `/api/v1/meetings/by-source/${source}/${externalId}`;

  test('a token limited to sources changes only theirs: another source is a 403 naming the ones it may use', async () => {
    const db = get().ctx.database.db;
    const admin = await adminClient(get().app);
    await insertPerson(db, { username: 'src-ann' });
    for (const sources of [['Hr-Tool'], ['round'], ['hr tool'], ['x'.repeat(41)]]) {
      const refused = await admin.post('/api/v1/admin/api-tokens', {
        name: 'Bad',
        scopes: ['meetings:write'],
        sources,
      });
      assert.equal(refused.status, 400, JSON.stringify(sources));
      assert.match(refused.body.error.message, /sources/);
    }
    const hr = await admin.post('/api/v1/admin/api-tokens', {
      name: 'HR tool',
      scopes: ['meetings:write'],
      sources: ['hr-tool', 'hr_archive', 'hr-tool'],
    });
    assert.equal(hr.status, 201, JSON.stringify(hr.body));
    assert.deepEqual(hr.body.apiToken.sources, ['hr-tool', 'hr_archive']);
    const mobile = await admin.post('/api/v1/admin/api-tokens', {
      name: 'Mobile tool',
      scopes: ['meetings:write'],
      sources: ['mobile'],
    });
    const any = await admin.post('/api/v1/admin/api-tokens', { name: 'Any', scopes: ['meetings:write'], sources: [] });
    assert.equal(any.body.apiToken.sources, null, 'an empty list is no limit');
    const listed = (await admin.get('/api/v1/admin/api-tokens')).body.tokens as Array<{
      name: string;
      sources: unknown;
    }>;
    assert.deepEqual(listed.find((t) => t.name === 'HR tool')?.sources, ['hr-tool', 'hr_archive']);
    const audit = await admin.get('/api/v1/admin/audit?action=api_token.create');
    const entry = (audit.body.entries as Array<{ data: { name: string } }>).find((e) => e.data.name === 'Mobile tool');
    assert.deepEqual(entry?.data, { name: 'Mobile tool', scopes: ['meetings:write'], sources: ['mobile'] });

    const meeting = { title: 'Onboarding', startsAt: inHours(5), participants: ['src-ann'] };
    const made = await call(get, 'PUT', at('hr-tool', 'o-1'), hr.body.token, meeting);
    assert.equal(made.status, 200, JSON.stringify(made.body));
    // The tester's case: the mobile token cancels hr-tool's meeting.
    for (const method of ['DELETE', 'PUT', 'GET'] as const) {
      const refused = await call(
        get,
        method,
        at('hr-tool', 'o-1'),
        mobile.body.token,
        method === 'PUT' ? meeting : undefined,
      );
      assert.equal(refused.status, 403, method);
      assert.match(refused.body.error.message, /“mobile”/);
      assert.match(refused.body.error.message, /not “hr-tool”/);
    }
    // Refused before the body is read, as a missing token is.
    const unread = await get().app.inject({
      method: 'PUT',
      url: at('hr-tool', 'o-1'),
      headers: { authorization: `Bearer ${mobile.body.token}`, 'content-type': 'application/json' },
      payload: '{"title": [[[',
    });
    assert.equal(unread.statusCode, 403, unread.body);
    const several = await call(get, 'PUT', at('mobile', 'm-1'), hr.body.token, meeting);
    assert.equal(several.status, 403);
    assert.match(several.body.error.message, /sources “hr-tool”, “hr_archive”, not “mobile”/);
    const row = await db
      .selectFrom('meetings')
      .select('status')
      .where('id', '=', made.body.meetingId)
      .executeTakeFirst();
    assert.equal(row?.status, 'scheduled', 'untouched');

    assert.equal((await call(get, 'PUT', at('hr_archive', 'o-1'), hr.body.token, meeting)).status, 200);
    assert.equal((await call(get, 'PUT', at('mobile', 'm-1'), mobile.body.token, meeting)).status, 200);
    assert.equal((await call(get, 'DELETE', at('hr-tool', 'o-1'), any.body.token)).body.cancelled, true);
    // Bad input stays a 400, reserved sources too, whatever the token's limit.
    assert.equal((await call(get, 'GET', at('round', 'o-1'), hr.body.token)).status, 400);
    assert.equal((await call(get, 'GET', at('Bad!', 'o-1'), hr.body.token)).status, 400);
  });

  test('GET reads back the meeting as stored: found, cancelled, unknown 404, another source 403, revoked 401', async () => {
    const db = get().ctx.database.db;
    const admin = await adminClient(get().app);
    await insertPerson(db, { username: 'read-ann' });
    await insertPerson(db, { username: 'read-ben', email: 'read-ben@example.org' });
    const made = await admin.post('/api/v1/admin/api-tokens', {
      name: 'Reader',
      scopes: ['meetings:write'],
      sources: ['reader'],
    });
    const token = made.body.token as string;
    const startsAt = inHours(6);
    const changed = new Date(Date.now() - 60_000).toISOString();
    const put = await call(get, 'PUT', at('reader', 'r-1'), token, {
      title: 'Coffee',
      startsAt,
      durationMinutes: 45,
      participants: ['read-ann', 'read-ben@example.org'],
      updatedAt: changed,
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));

    const found = await call(get, 'GET', at('reader', 'r-1'), token);
    assert.equal(found.status, 200, JSON.stringify(found.body));
    assert.deepEqual(found.body, {
      meetingId: put.body.meetingId,
      externalId: 'r-1',
      title: 'Coffee',
      startsAt,
      durationMinutes: 45,
      participants: [
        { username: 'read-ann', email: 'read-ann@example.org' },
        { username: 'read-ben', email: 'read-ben@example.org' },
      ],
      status: 'scheduled',
      updatedAt: changed,
    });
    // What it reads back, sent again, changes nothing.
    const again = await call(get, 'PUT', at('reader', 'r-1'), token, {
      title: found.body.title,
      startsAt: found.body.startsAt,
      durationMinutes: found.body.durationMinutes,
      participants: found.body.participants.map((p: { username: string }) => p.username),
      updatedAt: found.body.updatedAt,
    });
    assert.equal(again.body.outcome, 'unchanged', JSON.stringify(again.body));

    assert.equal((await call(get, 'DELETE', at('reader', 'r-1'), token)).body.cancelled, true);
    const cancelled = await call(get, 'GET', at('reader', 'r-1'), token);
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.status, 'cancelled');
    assert.equal(cancelled.body.meetingId, put.body.meetingId);

    const unknown = await call(get, 'GET', at('reader', 'never'), token);
    assert.equal(unknown.status, 404);
    assert.match(unknown.body.error.message, /“never”/);
    const other = await call(get, 'GET', at('hr-tool', 'r-1'), token);
    assert.equal(other.status, 403);
    assert.match(other.body.error.message, /“reader”/);
    assert.equal((await call(get, 'GET', at('reader', 'r-1'), null)).status, 401);

    await admin.post(`/api/v1/admin/api-tokens/${made.body.apiToken.id}/revoke`);
    assert.equal((await call(get, 'GET', at('reader', 'r-1'), token)).status, 401);
    const doc = (await get().app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    assert.ok(doc.paths['/api/v1/meetings/by-source/{source}/{externalId}'].get);
  });
});

forEachEngine('API token sources migration', (get) => {
  test('a token made before migration 0027 keeps any source', async () => {
    const { db } = get().ctx.database;
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    const down = await migrator.migrateTo('0026_delivery_event');
    assert.equal(down.error, undefined);
    // A row as the code of that time wrote it, with the token cvn_old-token-value.
    await db
      .insertInto('api_tokens')
      .values({
        id: 'old-token',
        name: 'Old tool',
        token_hash: hashToken('cvn_old-token-value'),
        scopes: JSON.stringify(['meetings:write']),
        created_by: null,
        created_at: new Date().toISOString(),
        last_used_at: null,
        revoked_at: null,
      } as never)
      .execute();
    const up = await migrator.migrateToLatest();
    assert.equal(up.error, undefined);
    const stored = await db.selectFrom('api_tokens').select('sources').where('id', '=', 'old-token').executeTakeFirst();
    assert.equal(stored?.sources, null);
    const admin = await adminClient(get().app);
    const listed = (await admin.get('/api/v1/admin/api-tokens')).body.tokens as Array<{
      name: string;
      sources: unknown;
    }>;
    assert.equal(listed.find((t) => t.name === 'Old tool')?.sources, null);
    await insertPerson(db, { username: 'old-ann' });
    const meeting = { title: 'Old', startsAt: inHours(5), participants: ['old-ann'] };
    for (const source of ['hr-tool', 'mobile']) {
      const put = await call(get, 'PUT', `/api/v1/meetings/by-source/${source}/o-1`, 'cvn_old-token-value', meeting);
      assert.equal(put.status, 200, JSON.stringify(put.body));
    }
  });
});
