import assert from 'node:assert/strict';
import { test } from 'node:test';
import { castVote } from '../src/features/talks/votes.js';
import { clientFor, insertPerson } from './helpers/people.js';
import { adminClient, type Client } from './helpers/server.js';
import { forEachEngine } from './helpers/suite.js';

forEachEngine('talks settings', (get) => {
  const db = () => get().ctx.database.db;
  let admin: Client;
  let counter = 0;

  const member = async () => {
    const id = await insertPerson(db(), { username: `settings${++counter}` });
    return { id, client: await clientFor(get().app, db(), id) };
  };
  const createEvent = async (body: Record<string, unknown> = {}) => {
    admin ??= await adminClient(get().app);
    const response = await admin.post('/api/v1/talks/events', { name: `Settings event ${++counter}`, ...body });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response.body.event;
  };
  const propose = async (client: Client, eventId: string, title: string) => {
    const response = await client.post(`/api/v1/talks/events/${eventId}/proposals`, { title });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response.body.proposal as { id: string };
  };
  const setPhase = async (eventId: string, phase: string) =>
    assert.equal((await admin.post(`/api/v1/talks/events/${eventId}/phase`, { phase })).status, 200);
  const count = async (table: 'votes' | 'proposals', eventId: string) =>
    Number(
      (
        await db()
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string | number>().as('n'))
          .where('event_id', '=', eventId)
          .executeTakeFirstOrThrow()
      ).n,
    );

  test('self-votes: off by default, the event setting turns them on, a vote cast then can still be taken back', async () => {
    const event = await createEvent({ voteLimit: 3 });
    assert.equal(event.allowSelfVote, false);
    const speaker = await member();
    const other = await member();
    const proposal = await propose(speaker.client, event.id, 'My own talk');
    await setPhase(event.id, 'voting');

    const refused = await speaker.client.post(`/api/v1/talks/proposals/${proposal.id}/vote`, { voted: true });
    assert.equal(refused.status, 403, JSON.stringify(refused.body));
    assert.match(refused.body.error.message, /own proposals/);
    // The CLI and demo data go through the same use case, and meet the same rule.
    await assert.rejects(
      castVote({ db: db(), actor: { id: speaker.id, role: 'member' }, proposalId: proposal.id }),
      /own proposals/,
    );
    assert.equal(await count('votes', event.id), 0, 'nothing written');
    assert.equal((await other.client.post(`/api/v1/talks/proposals/${proposal.id}/vote`)).body.voted, true);

    const on = await admin.patch(`/api/v1/talks/events/${event.id}`, { allowSelfVote: true });
    assert.equal(on.body.event.allowSelfVote, true);
    const own = await speaker.client.post(`/api/v1/talks/proposals/${proposal.id}/vote`);
    assert.equal(own.status, 200, JSON.stringify(own.body));
    assert.deepEqual([own.body.voted, own.body.votesUsed], [true, 1]);

    await admin.patch(`/api/v1/talks/events/${event.id}`, { allowSelfVote: false });
    const back = await speaker.client.post(`/api/v1/talks/proposals/${proposal.id}/vote`);
    assert.equal(back.status, 200, JSON.stringify(back.body));
    assert.equal(back.body.voted, false, 'taking the vote back is allowed');
    assert.equal((await speaker.client.post(`/api/v1/talks/proposals/${proposal.id}/vote`)).status, 403);
    const row = await db()
      .selectFrom('proposals')
      .select('vote_count')
      .where('id', '=', proposal.id)
      .executeTakeFirst();
    assert.equal(row?.vote_count, 1, 'only the other member’s vote counts');
  });

  test('date, time and venue of the talks: stored, shown, checked by field', async () => {
    const event = await createEvent({ talksAt: '2030-05-01T18:30:00+02:00', venue: '  Room 4, 2nd floor ' });
    assert.equal(event.talksAt, '2030-05-01T16:30:00.000Z');
    assert.equal(event.venue, 'Room 4, 2nd floor');
    const { client } = await member();
    const shown = await client.get(`/api/v1/talks/events/${event.id}`);
    assert.equal(shown.body.event.venue, 'Room 4, 2nd floor');
    const cleared = await admin.patch(`/api/v1/talks/events/${event.id}`, { venue: '', talksAt: null });
    assert.deepEqual([cleared.body.event.venue, cleared.body.event.talksAt], [null, null]);
    for (const [body, field] of [
      [{ talksAt: 'next friday' }, 'talksAt'],
      [{ venue: 'x'.repeat(201) }, 'venue'],
      [{ allowSelfVote: 'yes' }, 'allowSelfVote'],
      [{ name: 'x'.repeat(300) }, 'name'],
    ] as const) {
      const response = await admin.patch(`/api/v1/talks/events/${event.id}`, body);
      assert.equal(response.status, 400, JSON.stringify(response.body));
      assert.equal(response.body.error.field, field);
    }
  });

  test('archive and delete: admins only; deleting names and takes the proposals and votes', async () => {
    const event = await createEvent();
    const speaker = await member();
    const voter = await member();
    const proposal = await propose(speaker.client, event.id, 'Soon gone');
    await propose(voter.client, event.id, 'Also gone');
    await setPhase(event.id, 'voting');
    await voter.client.post(`/api/v1/talks/proposals/${proposal.id}/vote`);

    assert.equal((await voter.client.post(`/api/v1/talks/events/${event.id}/archive`, { archived: true })).status, 403);
    const archived = await admin.post(`/api/v1/talks/events/${event.id}/archive`, { archived: true });
    assert.equal(archived.status, 200, JSON.stringify(archived.body));
    assert.ok(archived.body.event.archivedAt);
    const ids = async (url: string) =>
      (await voter.client.get(url)).body.events.map((listed: { id: string }) => listed.id) as string[];
    assert.equal((await ids('/api/v1/talks/events')).includes(event.id), false, 'out of the everyday list');
    assert.equal((await ids('/api/v1/talks/events?archived=true')).includes(event.id), true);
    assert.equal((await voter.client.get('/api/v1/talks/events?archived=maybe')).status, 400);
    const bad = await admin.post(`/api/v1/talks/events/${event.id}/archive`, { archived: 'yes' });
    assert.equal(bad.body.error?.field, 'archived');
    const restored = await admin.post(`/api/v1/talks/events/${event.id}/archive`, { archived: false });
    assert.equal(restored.body.event.archivedAt, null);

    assert.equal((await voter.client.get(`/api/v1/talks/events/${event.id}/deletion`)).status, 403);
    const deletion = await admin.get(`/api/v1/talks/events/${event.id}/deletion`);
    assert.deepEqual(deletion.body, { proposals: 2, votes: 1 });
    assert.equal((await voter.client.request('DELETE', `/api/v1/talks/events/${event.id}`)).status, 403);
    assert.equal(await count('proposals', event.id), 2, 'a refused delete takes nothing');
    assert.equal((await admin.request('DELETE', `/api/v1/talks/events/${event.id}`)).status, 204);
    assert.equal((await admin.get(`/api/v1/talks/events/${event.id}`)).status, 404);
    assert.deepEqual([await count('proposals', event.id), await count('votes', event.id)], [0, 0]);
    assert.equal((await admin.request('DELETE', `/api/v1/talks/events/${event.id}`)).status, 404);
  });
});
