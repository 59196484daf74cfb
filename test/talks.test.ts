import assert from 'node:assert/strict';
import { type IncomingHttpHeaders, request } from 'node:http';
import { test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { listChanged } from '../src/features/talks/cache.js';
import { switchDuePhases } from '../src/features/talks/events.js';
import { frontFeed } from '../src/features/talks/frontFeed.js';
import { listenLocally } from './helpers/liveServer.js';
import { clientFor, insertPerson } from './helpers/people.js';
import { adminClient, Client } from './helpers/server.js';
import { forEachEngine } from './helpers/suite.js';

/** A GET over a real connection, bytes as sent (fetch would decompress them). */
function rawGet(url: string, headers: Record<string, string>, method = 'GET') {
  return new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    request(url, { method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
      );
    })
      .on('error', reject)
      .end();
  });
}
const withoutDate = ({ date: _date, ...rest }: IncomingHttpHeaders) => rest;

const hourFromNow = () => new Date(Date.now() + 3_600_000).toISOString();

forEachEngine('talks', (get) => {
  const db = () => get().ctx.database.db;
  let admin: Client;
  let counter = 0;

  const member = async (username = `member${++counter}`, extra: Record<string, unknown> = {}) => {
    const id = await insertPerson(db(), { username, ...extra });
    return { id, client: await clientFor(get().app, db(), id) };
  };
  const createEvent = async (body: Record<string, unknown> = {}) => {
    admin ??= await adminClient(get().app);
    const response = await admin.post('/api/v1/talks/events', { name: `Event ${++counter}`, ...body });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response.body.event as { id: string; phase: string };
  };
  const propose = async (client: Client, eventId: string, title: string, extra: Record<string, unknown> = {}) => {
    const response = await client.post(`/api/v1/talks/events/${eventId}/proposals`, { title, ...extra });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response.body.proposal as { id: string; title: string };
  };
  const setPhase = async (eventId: string, phase: string) => {
    const response = await admin.post(`/api/v1/talks/events/${eventId}/phase`, { phase });
    assert.equal(response.status, 200, JSON.stringify(response.body));
  };
  const voteRows = async (proposalId: string) =>
    Number(
      (
        await db()
          .selectFrom('votes')
          .select((eb) => eb.fn.countAll<string | number>().as('n'))
          .where('proposal_id', '=', proposalId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  let listeningAt: Promise<string> | undefined;
  const listening = () => {
    listeningAt ??= listenLocally(get().app);
    return listeningAt;
  };
  const voteCount = async (proposalId: string) =>
    (await db().selectFrom('proposals').select('vote_count').where('id', '=', proposalId).executeTakeFirstOrThrow())
      .vote_count;

  test('events: admins create them, fields are checked and named, members cannot', async () => {
    admin ??= await adminClient(get().app);
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ name: '' }, 'name'],
      [{ name: 'x'.repeat(121) }, 'name'],
      [{ name: 'X', topN: 0 }, 'topN'],
      [{ name: 'X', voteLimit: 2.5 }, 'voteLimit'],
      [{ name: 'X', votingOpensAt: 'tomorrow' }, 'votingOpensAt'],
      [{ name: 'X', votingOpensAt: '2030-01-02T10:00:00Z', votingClosesAt: '2030-01-01T10:00:00Z' }, 'votingClosesAt'],
    ];
    for (const [body, field] of bad) {
      const response = await admin.post('/api/v1/talks/events', body);
      assert.equal(response.status, 400, `${field}: ${JSON.stringify(response.body)}`);
      assert.equal(response.body.error.field, field);
    }
    const { client } = await member();
    assert.equal((await client.post('/api/v1/talks/events', { name: 'Mine' })).status, 403);
    const event = await createEvent({ description: '**Bring** your ideas <script>alert(1)</script>' });
    assert.equal(event.phase, 'proposals');
    const listed = await client.get('/api/v1/talks/events');
    const found = listed.body.events.find((e: { id: string }) => e.id === event.id);
    assert.match(found.descriptionHtml, /<strong>Bring<\/strong>/);
    assert.doesNotMatch(found.descriptionHtml, /<script/);
  });

  test('proposals: titles unique per event in any case, limits named, Markdown rendered safely', async () => {
    const event = await createEvent();
    const { client } = await member();
    const created = await propose(client, event.id, 'Rust  for   Pythonistas', {
      description: '# Why\n\n[link](javascript:alert(1)) <img src=x onerror=alert(1)> **ok**',
    });
    assert.equal(created.title, 'Rust for Pythonistas', 'spaces collapsed');
    const detail = await client.get(`/api/v1/talks/proposals/${created.id}`);
    assert.doesNotMatch(detail.body.proposal.descriptionHtml, /javascript:|<img|<[^>]*onerror/);
    assert.match(detail.body.proposal.descriptionHtml, /<strong>ok<\/strong>/);

    const { client: other } = await member();
    const dup = await other.post(`/api/v1/talks/events/${event.id}/proposals`, { title: 'rust FOR pythonistas ' });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.error.field, 'title');
    // Another event may use the same title.
    await propose(other, (await createEvent()).id, 'Rust for Pythonistas');

    for (const [body, field] of [
      [{ title: 'ab' }, 'title'],
      [{ title: 'x'.repeat(121) }, 'title'],
      [{ title: 'Fine title', description: 'x'.repeat(5001) }, 'description'],
      [{ title: 'Fine title', speaker: 'member1' }, null],
    ] as const) {
      const response = await other.post(`/api/v1/talks/events/${event.id}/proposals`, body);
      if (field) {
        assert.equal(response.status, 400, JSON.stringify(response.body));
        assert.equal(response.body.error.field, field);
        assert.match(response.body.error.message, new RegExp(`^${field}: must be`));
      } else {
        assert.equal(response.status, 403, 'a member cannot propose for someone else');
      }
    }

    // Two people racing for one title: exactly one wins.
    const racers = await Promise.all([member(), member(), member(), member()]);
    const answers = await Promise.all(
      racers.map(({ client: c }) => c.post(`/api/v1/talks/events/${event.id}/proposals`, { title: 'Race Condition' })),
    );
    assert.deepEqual(answers.map((a) => a.status).sort(), [201, 409, 409, 409]);
  });

  test('admins propose for someone else; speakers edit while proposals are open, nobody else', async () => {
    const event = await createEvent({ proposalsDuringVoting: false });
    const speaker = await member('speaker-ada');
    const byAdmin = await propose(admin, event.id, 'Invited talk', { speaker: 'speaker-ada' });
    const mine = await speaker.client.get(`/api/v1/talks/events/${event.id}`);
    assert.deepEqual(
      mine.body.myProposals.map((p: { id: string }) => p.id),
      [byAdmin.id],
    );
    const bogus = await admin.post(`/api/v1/talks/events/${event.id}/proposals`, { title: 'Ghost', speaker: 'nobody' });
    assert.equal(bogus.status, 400);
    assert.equal(bogus.body.error.field, 'speaker');

    const edit = await speaker.client.patch(`/api/v1/talks/proposals/${byAdmin.id}`, { description: 'Updated *text*' });
    assert.equal(edit.status, 200, JSON.stringify(edit.body));
    assert.match(edit.body.proposal.descriptionHtml, /<em>text<\/em>/);
    const { client: stranger } = await member();
    assert.equal((await stranger.patch(`/api/v1/talks/proposals/${byAdmin.id}`, { title: 'Mine now' })).status, 403);
    assert.equal((await stranger.request('DELETE', `/api/v1/talks/proposals/${byAdmin.id}`)).status, 403);

    await setPhase(event.id, 'voting');
    const late = await speaker.client.patch(`/api/v1/talks/proposals/${byAdmin.id}`, { title: 'Too late' });
    assert.equal(late.status, 409);
    const lateProposal = await stranger.post(`/api/v1/talks/events/${event.id}/proposals`, { title: 'Late idea' });
    assert.equal(lateProposal.status, 409, 'proposals are closed while voting');
    assert.equal((await admin.patch(`/api/v1/talks/proposals/${byAdmin.id}`, { title: 'Admin fix' })).status, 200);

    await admin.patch(`/api/v1/talks/events/${event.id}`, { proposalsDuringVoting: true });
    await propose(stranger, event.id, 'Late idea');
  });

  test('phase rules: no votes before voting opens or after it closes', async () => {
    const event = await createEvent();
    const { client: speaker } = await member();
    const proposal = await propose(speaker, event.id, 'Phases talk');
    const { client } = await member();
    const before = await client.post(`/api/v1/talks/proposals/${proposal.id}/vote`);
    assert.equal(before.status, 409);
    assert.match(before.body.error.message, /not opened/);
    await setPhase(event.id, 'voting');
    const during = await client.post(`/api/v1/talks/proposals/${proposal.id}/vote`);
    assert.equal(during.status, 200);
    assert.equal(during.body.voted, true);
    await setPhase(event.id, 'closed');
    const after = await client.post(`/api/v1/talks/proposals/${proposal.id}/vote`, { voted: false });
    assert.equal(after.status, 409);
    assert.match(after.body.error.message, /closed/);
    assert.equal(await voteRows(proposal.id), 1);
  });

  test('timed switches: the phase follows the configured times, the job writes it down once', async () => {
    const past = new Date(Date.now() - 60_000).toISOString();
    const event = await createEvent({ votingOpensAt: past, votingClosesAt: hourFromNow() });
    const { client } = await member();
    const listed = await client.get(`/api/v1/talks/events/${event.id}`);
    assert.equal(listed.body.event.phase, 'voting', 'voting opened at its time, before the job ran');
    assert.equal(await switchDuePhases({ db: db() }), 1);
    assert.equal(await switchDuePhases({ db: db() }), 0, 'switched once');
    const stored = await db().selectFrom('events').select('phase').where('id', '=', event.id).executeTakeFirstOrThrow();
    assert.equal(stored.phase, 'voting');
    const later = new Date(Date.now() + 2 * 3_600_000);
    await switchDuePhases({ db: db(), now: later });
    const closed = await db().selectFrom('events').select('phase').where('id', '=', event.id).executeTakeFirstOrThrow();
    assert.equal(closed.phase, 'closed');
  });

  test('200 concurrent toggles by different people leave the count equal to the vote rows', async () => {
    const event = await createEvent();
    const { client: speaker } = await member();
    const proposal = await propose(speaker, event.id, 'Popular talk');
    await setPhase(event.id, 'voting');
    const voters = await Promise.all(Array.from({ length: 200 }, (_, i) => member(`crowd${i}`)));
    const first = await Promise.all(
      voters.map(({ client }) => client.post(`/api/v1/talks/proposals/${proposal.id}/vote`)),
    );
    assert.deepEqual(
      [...new Set(first.map((r) => r.status))],
      [200],
      JSON.stringify(first.find((r) => r.status !== 200)?.body),
    );
    assert.ok(first.every((r) => r.body.voted === true));
    assert.equal(await voteRows(proposal.id), 200);
    assert.equal(await voteCount(proposal.id), 200);

    // Half take their vote back while the other half toggle twice, all at once.
    const mixed = await Promise.all(
      voters.flatMap(({ client }, i) =>
        i % 2 === 0
          ? [client.post(`/api/v1/talks/proposals/${proposal.id}/vote`)]
          : [
              client.post(`/api/v1/talks/proposals/${proposal.id}/vote`),
              client.post(`/api/v1/talks/proposals/${proposal.id}/vote`),
            ],
      ),
    );
    assert.ok(mixed.every((r) => r.status === 200));
    assert.equal(await voteRows(proposal.id), 100);
    assert.equal(await voteCount(proposal.id), 100);
  });

  test('one person toggling fast ends in the right state', async () => {
    const event = await createEvent();
    const { client: speaker } = await member();
    const proposal = await propose(speaker, event.id, 'Fast fingers');
    await setPhase(event.id, 'voting');
    const { client } = await member();
    const url = `/api/v1/talks/proposals/${proposal.id}/vote`;
    const twice = await Promise.all([client.post(url), client.post(url)]);
    assert.deepEqual(
      twice.map((r) => r.status),
      [200, 200],
    );
    assert.deepEqual(twice.map((r) => r.body.voted).sort(), [false, true], 'one toggle on, one off');
    assert.equal(await voteRows(proposal.id), 0);
    assert.equal(await voteCount(proposal.id), 0);
    const many = await Promise.all(Array.from({ length: 15 }, () => client.post(url)));
    assert.ok(many.every((r) => r.status === 200));
    assert.equal(await voteRows(proposal.id), 1, 'fifteen toggles: voted');
    assert.equal(await voteCount(proposal.id), 1);
    // Setting a state is idempotent.
    const set = await Promise.all([client.post(url, { voted: true }), client.post(url, { voted: true })]);
    assert.ok(set.every((r) => r.body.voted === true && r.body.changed === false));
    assert.equal(await voteRows(proposal.id), 1);
    // Nobody votes as someone else: the body takes no person.
    const forOther = await client.post(url, { voted: true, personId: 'someone-else' });
    assert.equal(forOther.status, 400);
  });

  test('the vote limit holds under concurrent votes by one person', async () => {
    const event = await createEvent({ voteLimit: 2 });
    const { client: speaker } = await member();
    const proposals = [];
    for (let i = 0; i < 8; i++) proposals.push(await propose(speaker, event.id, `Limited talk ${i}`));
    await setPhase(event.id, 'voting');
    const { id, client } = await member();
    const answers = await Promise.all(
      proposals.map((p) => client.post(`/api/v1/talks/proposals/${p.id}/vote`, { voted: true })),
    );
    assert.equal(answers.filter((r) => r.status === 200).length, 2, JSON.stringify(answers.map((r) => r.status)));
    assert.ok(
      answers.filter((r) => r.status !== 200).every((r) => r.status === 409 && /all 2/.test(r.body.error.message)),
    );
    const rows = await db().selectFrom('votes').select('proposal_id').where('person_id', '=', id).execute();
    assert.equal(rows.length, 2);
    for (const p of proposals) assert.equal(await voteCount(p.id), await voteRows(p.id));
    // Taking one back frees a vote.
    const votedFor = rows[0]!.proposal_id;
    const back = await client.post(`/api/v1/talks/proposals/${votedFor}/vote`, { voted: false });
    assert.equal(back.body.votesUsed, 1);
    const other = proposals.find((p) => !rows.some((r) => r.proposal_id === p.id))!;
    const voted = await client.post(`/api/v1/talks/proposals/${other.id}/vote`);
    assert.deepEqual([voted.status, voted.body.voted, voted.body.votesUsed], [200, true, 2]);
    const unchanged = await client.post(`/api/v1/talks/proposals/${other.id}/vote`, { voted: true });
    assert.deepEqual(
      [unchanged.body.changed, unchanged.body.votesUsed],
      [false, 2],
      'setting it again changes nothing',
    );
  });

  test('hidden proposals: out of every list, reason shown to the speaker, no new votes', async () => {
    const event = await createEvent();
    const speaker = await member();
    const proposal = await propose(speaker.client, event.id, 'Spammy talk');
    await setPhase(event.id, 'voting');
    const voter = await member();
    assert.equal((await voter.client.post(`/api/v1/talks/proposals/${proposal.id}/vote`)).status, 200);
    const noReason = await admin.post(`/api/v1/talks/proposals/${proposal.id}/hide`, { reason: ' ' });
    assert.equal(noReason.status, 400);
    assert.equal(noReason.body.error.field, 'reason');
    assert.equal(
      (await speaker.client.post(`/api/v1/talks/proposals/${proposal.id}/hide`, { reason: 'x' })).status,
      403,
    );
    const hidden = await admin.post(`/api/v1/talks/proposals/${proposal.id}/hide`, { reason: 'Off topic' });
    assert.equal(hidden.status, 200);
    const list = await voter.client.get(`/api/v1/talks/events/${event.id}/proposals`);
    assert.equal(list.body.proposals.length, 0);
    assert.equal((await voter.client.get(`/api/v1/talks/proposals/${proposal.id}`)).status, 404);
    const own = await speaker.client.get(`/api/v1/talks/events/${event.id}`);
    assert.equal(own.body.myProposals[0].hiddenReason, 'Off topic');
    const newVote = await (await member()).client.post(`/api/v1/talks/proposals/${proposal.id}/vote`);
    assert.equal(newVote.status, 409);
    const takeBack = await voter.client.post(`/api/v1/talks/proposals/${proposal.id}/vote`);
    assert.equal(takeBack.body.voted, false, 'a vote on a hidden proposal can be taken back');
    assert.equal((await admin.post(`/api/v1/talks/proposals/${proposal.id}/unhide`)).status, 200);
    assert.equal((await voter.client.get(`/api/v1/talks/events/${event.id}/proposals`)).body.proposals.length, 1);
  });

  test('signed-out visitors share one cached list with an ETag; 304; a change invalidates it', async () => {
    const event = await createEvent();
    const { client } = await member();
    await propose(client, event.id, 'Cache me');
    const url = `/api/v1/talks/events/${event.id}/proposals`;
    const one = await new Client(get().app).get(url);
    const two = await new Client(get().app).get(url);
    assert.equal(one.status, 200);
    assert.equal(one.body.viewer, null);
    assert.ok(one.headers.etag);
    assert.equal(one.headers.etag, two.headers.etag);
    assert.equal(JSON.stringify(one.body), JSON.stringify(two.body));
    assert.match(String(one.headers['cache-control']), /no-cache/);
    const anon = new Client(get().app);
    const revalidated = await anon.request('GET', url, undefined, {
      headers: { 'if-none-match': String(one.headers.etag) },
    });
    assert.equal(revalidated.status, 304);
    assert.equal(revalidated.body, '');

    await propose(client, event.id, 'A second talk');
    const changed = await anon.request('GET', url, undefined, {
      headers: { 'if-none-match': String(one.headers.etag) },
    });
    assert.equal(changed.status, 200, 'a new proposal changes the list at once');
    assert.notEqual(changed.headers.etag, one.headers.etag);
    assert.equal(changed.body.proposals.length, 2);

    // Signed in: a personal version, never the shared bytes.
    const mine = await client.get(url);
    assert.ok(mine.body.viewer);
    assert.equal(mine.headers.etag, undefined);
    assert.ok(mine.body.proposals.every((p: { mine: boolean }) => p.mine === true));
  });

  test('the cookie-free public feed: same bytes as the signed-out API answer, no cookie, 304', async () => {
    const event = await createEvent();
    const { client } = await member();
    await propose(client, event.id, 'Feed me');
    const feedUrl = `/public/talks/events/${event.id}/proposals`;
    const feed = await new Client(get().app).request('GET', feedUrl);
    assert.equal(feed.status, 200);
    assert.equal(feed.headers['set-cookie'], undefined, 'the feed never sets a cookie');
    assert.match(String(feed.headers['cache-control']), /public/);
    assert.equal(feed.headers['x-content-type-options'], 'nosniff');
    const api = await new Client(get().app).get(`/api/v1/talks/events/${event.id}/proposals`);
    assert.equal(JSON.stringify(feed.body), JSON.stringify(api.body));
    assert.equal(feed.headers.etag, api.headers.etag);
    // Even with a session cookie, the feed is the shared list: nothing personal in it.
    const withSession = await client.get(feedUrl);
    assert.equal(withSession.body.viewer, null);
    assert.equal(JSON.stringify(withSession.body), JSON.stringify(feed.body));
    const again = await new Client(get().app).request('GET', feedUrl, undefined, {
      headers: { 'if-none-match': `W/${feed.headers.etag}` },
    });
    assert.equal(again.status, 304);
    await admin.post(`/api/v1/talks/events/${event.id}/phase`, { phase: 'voting' });
    const changed = await new Client(get().app).request('GET', feedUrl, undefined, {
      headers: { 'if-none-match': String(feed.headers.etag) },
    });
    assert.equal(changed.status, 200, 'a phase change invalidates the cached list');
    assert.equal(changed.body.event.phase, 'voting');
  });

  test('the cached list is sent compressed as the client accepts, with its own ETag per encoding', async () => {
    const event = await createEvent();
    const { client } = await member();
    for (let i = 0; i < 5; i++) await propose(client, event.id, `Compress me ${i}`);
    for (const url of [`/public/talks/events/${event.id}/proposals`, `/api/v1/talks/events/${event.id}/proposals`]) {
      const fetch = (headers: Record<string, string>) => get().app.inject({ method: 'GET', url, headers });
      const plain = await fetch({});
      assert.equal(plain.headers['content-encoding'], undefined);
      assert.match(String(plain.headers.vary), /Accept-Encoding/);
      const cases: Array<[string, string | undefined, (body: Buffer) => Buffer]> = [
        ['gzip, deflate, br, zstd', 'br', brotliDecompressSync],
        ['gzip', 'gzip', gunzipSync],
        ['br;q=0, gzip;q=0.5', 'gzip', gunzipSync],
        ['*;q=0.1', 'br', brotliDecompressSync],
        ['identity', undefined, (body) => body],
        ['br;q=0, gzip;q=0', undefined, (body) => body],
      ];
      const etags = new Set<string>();
      for (const [accept, encoding, decode] of cases) {
        const answer = await fetch({ 'accept-encoding': accept });
        assert.equal(answer.statusCode, 200, accept);
        assert.equal(answer.headers['content-encoding'], encoding, accept);
        assert.deepEqual(decode(answer.rawPayload), plain.rawPayload, `${accept}: the same bytes once decoded`);
        etags.add(String(answer.headers.etag));
        const again = await fetch({ 'accept-encoding': accept, 'if-none-match': String(answer.headers.etag) });
        assert.equal(again.statusCode, 304, accept);
        assert.equal(again.headers.etag, answer.headers.etag);
        assert.match(String(again.headers.vary), /Accept-Encoding/);
      }
      assert.equal(etags.size, 3, 'identity, br and gzip each have their own ETag');
      const other = await fetch({ 'accept-encoding': 'gzip', 'if-none-match': String(plain.headers.etag) });
      assert.equal(other.statusCode, 200, 'the identity ETag does not validate the gzip bytes');
    }
  });

  test('over a real connection, a cached list is answered before the router with the same headers and bytes', async () => {
    const event = await createEvent();
    const { client } = await member();
    for (let i = 0; i < 5; i++) await propose(client, event.id, `Front ${i}`);
    const url = await listening();
    const path = `/public/talks/events/${event.id}/proposals`;
    const front = frontFeed(db(), {}, get().app.log);
    const answersFromCache = () => {
      const fake = { writeHead: () => fake, end: () => fake };
      return front({ method: 'GET', url: path, headers: {} } as never, fake as never);
    };
    for (const accept of [undefined, 'gzip', 'gzip, deflate, br']) {
      const headers: Record<string, string> = accept ? { 'accept-encoding': accept } : {};
      listChanged(db(), event.id);
      assert.equal(answersFromCache(), false, 'an empty cache is left to the route');
      const fromRoute = await rawGet(url + path, headers);
      assert.equal(answersFromCache(), true, 'the route filled the cache');
      const fromFront = await rawGet(url + path, headers);
      assert.equal(fromFront.status, 200, accept);
      assert.deepEqual(fromFront.body, fromRoute.body, `${accept}: the same bytes`);
      assert.deepEqual(withoutDate(fromFront.headers), withoutDate(fromRoute.headers), `${accept}: the same headers`);
      const notModified = await rawGet(url + path, { ...headers, 'if-none-match': String(fromFront.headers.etag) });
      assert.equal(notModified.status, 304, accept);
      assert.equal(notModified.body.length, 0);
      assert.equal(notModified.headers.etag, fromFront.headers.etag);
      assert.equal(notModified.headers['content-security-policy'], "default-src 'none'; frame-ancestors 'none'");
    }
    // A change made through the API shows at once: the route refills the cache, the front serves it.
    const before = await rawGet(url + path, {});
    await propose(client, event.id, 'Front, later');
    const after = await rawGet(url + path, {});
    assert.notEqual(after.headers.etag, before.headers.etag);
    assert.equal(JSON.parse(after.body.toString()).proposals.length, 6);
    // Anything else is the router's: other methods, a trailing slash, an unknown event.
    assert.equal((await rawGet(`${url}/public/talks/events/nope/proposals`, {})).status, 404);
    const slash = await rawGet(`${url + path}/`, {});
    assert.doesNotMatch(String(slash.headers['content-type']), /json/, 'a trailing slash is not the feed');
    assert.equal((await rawGet(`${url + path}?utm=mail`, {})).status, 200);
    const head = await rawGet(url + path, {}, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
  });

  test('votes arriving together are each answered on their own merits', async () => {
    const event = await createEvent();
    const { client: speaker } = await member();
    const open = await propose(speaker, event.id, 'Open for votes');
    const hidden = await propose(speaker, event.id, 'Hidden from votes');
    await setPhase(event.id, 'voting');
    await admin.post(`/api/v1/talks/proposals/${hidden.id}/hide`, { reason: 'Test' });
    const voters = await Promise.all(Array.from({ length: 12 }, () => member()));
    const answers = await Promise.all(
      voters.map(({ client }, i) =>
        client.post(`/api/v1/talks/proposals/${[open.id, hidden.id, 'no-such-proposal'][i % 3]}/vote`),
      ),
    );
    assert.deepEqual(
      answers.map((a) => a.status),
      Array.from({ length: 12 }, (_, i) => [200, 409, 404][i % 3]),
    );
    assert.equal(await voteRows(open.id), 4);
    assert.equal(await voteCount(open.id), 4);
    assert.equal(await voteRows(hidden.id), 0);
  });

  test('while voting each viewer gets a stable shuffle of their own, with only their votes marked', async () => {
    const event = await createEvent();
    const { client: speaker } = await member();
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push((await propose(speaker, event.id, `Shuffled talk ${i}`)).id);
    await setPhase(event.id, 'voting');
    const url = `/api/v1/talks/events/${event.id}/proposals`;
    const viewers = await Promise.all(Array.from({ length: 5 }, () => member()));
    await viewers[0]!.client.post(`/api/v1/talks/proposals/${ids[3]}/vote`);
    const orders: string[] = [];
    for (const { client } of viewers) {
      const first = await client.get(url);
      const again = await client.get(url);
      const order = first.body.proposals.map((p: { id: string }) => p.id).join(',');
      assert.equal(order, again.body.proposals.map((p: { id: string }) => p.id).join(','), 'stable per viewer');
      assert.equal(first.body.proposals.length, 10);
      assert.ok(
        first.body.proposals.every((p: { votes: number | null }) => p.votes === null),
        'no counts while voting',
      );
      orders.push(order);
    }
    assert.ok(new Set(orders).size > 1, 'viewers see different orders');
    const [voter, other] = [viewers[0]!, viewers[1]!];
    const votersView = (await voter.client.get(url)).body.proposals;
    assert.deepEqual(
      votersView.filter((p: { myVote: boolean }) => p.myVote).map((p: { id: string }) => p.id),
      [ids[3]],
    );
    const othersView = (await other.client.get(url)).body.proposals;
    assert.ok(
      othersView.every((p: { myVote: boolean }) => p.myVote === false),
      "nobody sees another's vote",
    );
  });

  test('closed: ranked by votes, top N selected; results, CSV and suspicious-voting hints for admins', async () => {
    const event = await createEvent({ topN: 2 });
    const { client: speaker } = await member();
    const a = await propose(speaker, event.id, 'Talk A');
    const b = await propose(speaker, event.id, 'Talk B');
    const c = await propose(speaker, event.id, '=HYPERLINK("evil")');
    await setPhase(event.id, 'voting');
    // Four accounts signed up from one address within minutes, all voting for C.
    for (let i = 0; i < 4; i++) {
      const sock = new Client(get().app);
      sock.remoteAddress = '203.0.113.9';
      assert.equal((await sock.signUp(`sock${i}@example.net`, `Sock ${i}`)).status, 201);
      assert.equal((await sock.post(`/api/v1/talks/proposals/${c.id}/vote`)).status, 200);
    }
    for (let i = 0; i < 3; i++) await (await member()).client.post(`/api/v1/talks/proposals/${a.id}/vote`);
    await (await member()).client.post(`/api/v1/talks/proposals/${b.id}/vote`);
    await setPhase(event.id, 'closed');

    const list = await new Client(get().app).get(`/api/v1/talks/events/${event.id}/proposals`);
    assert.deepEqual(
      list.body.proposals.map((p: { title: string; votes: number; rank: number; selected: boolean }) => [
        p.title,
        p.votes,
        p.rank,
        p.selected,
      ]),
      [
        ['=HYPERLINK("evil")', 4, 1, true],
        ['Talk A', 3, 2, true],
        ['Talk B', 1, 3, false],
      ],
    );

    const { client: nosy } = await member();
    assert.equal((await nosy.get(`/api/v1/talks/events/${event.id}/results`)).status, 403);
    assert.equal((await nosy.get(`/api/v1/talks/events/${event.id}/results.csv`)).status, 403);
    const results = await admin.get(`/api/v1/talks/events/${event.id}/results`);
    assert.equal(results.status, 200);
    assert.deepEqual(results.body.totals, { votes: 8, voters: 8, proposals: 3, hidden: 0 });
    assert.equal(results.body.timeline.points.at(-1).total, 8);
    assert.equal(results.body.suspicious.length, 1);
    assert.equal(results.body.suspicious[0].address, '203.0.113.9');
    assert.equal(results.body.suspicious[0].accounts.length, 4);
    assert.deepEqual(
      results.body.suspicious[0].proposals.map((p: { id: string; votesFromGroup: number }) => [p.id, p.votesFromGroup]),
      [[c.id, 4]],
    );
    const csv = await admin.get(`/api/v1/talks/events/${event.id}/results.csv`);
    assert.equal(csv.status, 200);
    assert.match(String(csv.headers['content-type']), /text\/csv/);
    assert.match(String(csv.headers['content-disposition']), /attachment/);
    assert.equal(String(csv.body).charCodeAt(0), 0xfeff, 'starts with the UTF-8 BOM, so Excel reads it as UTF-8');
    const lines = String(csv.body).trim().split('\r\n');
    assert.equal(lines[0], 'rank,title,speaker,speaker_username,votes,selected,hidden,hidden_reason,proposed_at');
    assert.match(lines[1]!, /^1,"'=HYPERLINK\(""evil""\)",/, 'formula defused and quoted');
    assert.equal(lines.length, 4);
  });

  test('privacy: no e-mail, password hash or anyone else’s votes in any talks answer', async () => {
    const event = await createEvent();
    const secretEmail = 'very.secret@hidden.example';
    const speaker = await member('privacy-speaker', { email: secretEmail });
    await db().updateTable('people').set({ password_hash: 'scrypt$SECRETHASH' }).where('id', '=', speaker.id).execute();
    const proposal = await propose(speaker.client, event.id, 'Private matters');
    await setPhase(event.id, 'voting');
    const voter = await member();
    await voter.client.post(`/api/v1/talks/proposals/${proposal.id}/vote`);
    const anon = new Client(get().app);
    const urls = [
      '/api/v1/talks/events',
      `/api/v1/talks/events/${event.id}`,
      `/api/v1/talks/events/${event.id}/proposals`,
      `/api/v1/talks/proposals/${proposal.id}`,
    ];
    for (const who of [anon, speaker.client]) {
      for (const url of urls) {
        const response = await who.get(url);
        assert.equal(response.status, 200, url);
        const text = JSON.stringify(response.body);
        assert.ok(!text.includes(secretEmail), `${url} shows an e-mail`);
        assert.ok(!/SECRETHASH|password|scrypt|@/i.test(text), `${url} shows account details: ${text.slice(0, 200)}`);
        assert.ok(!text.includes('"myVote":true'), `${url} shows someone else's vote`);
        assert.ok(!text.includes(voter.id), `${url} names a voter`);
      }
    }
    await setPhase(event.id, 'closed');
    const closed = JSON.stringify((await anon.get(`/api/v1/talks/events/${event.id}/proposals`)).body);
    assert.ok(!closed.includes(voter.id) && !closed.includes(secretEmail));
  });

  test('every Talks state change is a POST, PATCH or DELETE; GETs change nothing', async () => {
    const doc = (await admin.get('/api/openapi.json')).body;
    for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      if (!path.includes('/talks/')) continue;
      for (const method of Object.keys(methods)) {
        if (method === 'get') assert.ok(!JSON.stringify(methods[method]).includes('requestBody'), path);
      }
    }
    const before = await db().selectFrom('audit_log').select('id').execute();
    const event = (await admin.get('/api/v1/talks/events')).body.events[0];
    await admin.get(`/api/v1/talks/events/${event.id}/results`);
    await admin.get(`/api/v1/talks/events/${event.id}/proposals`);
    const after = await db().selectFrom('audit_log').select('id').execute();
    assert.equal(after.length, before.length);
  });
});
