import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { MarkdownPool, renderMarkdown } from '../src/lib/markdown/index.js';
import { deepestNesting, MAX_NESTING } from '../src/lib/markdown/nesting.js';
import { clientFor, insertPerson } from './helpers/people.js';
import { adminClient, type Client } from './helpers/server.js';
import { forEachEngine } from './helpers/suite.js';

/** Texts within the length limit that took marked seconds of the event loop, or overflowed its stack. */
const SLOW = '[]('.repeat(1666);
const DEEP = { quotes: '> '.repeat(2500), ordered: '1. '.repeat(1666), bullets: '+ '.repeat(2500) };

describe('the Markdown render threads', () => {
  const pool = new MarkdownPool({ size: 1, deadlineMs: 300, maxWaiting: 2 });
  after(() => pool.close());

  test('a text that overruns the deadline is refused, and the next one renders on a fresh thread', async () => {
    assert.deepEqual(await pool.render(SLOW), { ok: false, reason: 'too_slow' });
    const next = await pool.render('**still** here');
    assert.deepEqual(next, { ok: true, html: '<p><strong>still</strong> here</p>' });
  });

  test('beyond the texts allowed to wait, a render is refused as busy rather than queued forever', async () => {
    const outcomes = await Promise.all([SLOW, SLOW, SLOW, 'x'].map((text) => pool.render(text)));
    assert.deepEqual(
      outcomes.map((o) => (o.ok ? 'ok' : o.reason)),
      ['too_slow', 'too_slow', 'too_slow', 'busy'],
    );
  });

  test('refusals name the field', async () => {
    await assert.rejects(renderMarkdown(SLOW, 'summary', pool), { status: 400, field: 'summary' });
    await assert.rejects(renderMarkdown(DEEP.quotes, 'summary', pool), {
      status: 400,
      field: 'summary',
      message: /nested too deeply/,
    });
  });

  test('nesting is counted per line, whatever the container', () => {
    assert.equal(deepestNesting('plain text\n\n- a list\n  - in a list\n> a quote'), 1);
    assert.equal(deepestNesting('> > 1. + text'), 4);
    assert.equal(deepestNesting('-not a list\n2024.5 is a number\n**bold**'), 0);
    for (const text of Object.values(DEEP)) assert.ok(deepestNesting(text) > MAX_NESTING);
  });
});

forEachEngine('Markdown from users is rendered within a bound', (get) => {
  const db = () => get().ctx.database.db;
  let admin: Client;
  let member: Client;
  let eventId: string;
  let counter = 0;

  const proposalCount = async () =>
    Number(
      (
        await db()
          .selectFrom('proposals')
          .select((eb) => eb.fn.countAll<string | number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  test('setup: an event and a member', async () => {
    admin = await adminClient(get().app);
    const created = await admin.post('/api/v1/talks/events', { name: 'Lightning' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    eventId = created.body.event.id;
    member = await clientFor(get().app, db(), await insertPerson(db(), { username: 'writer' }));
  });

  test('/healthz keeps answering while a hostile description is being submitted; the text is refused', async () => {
    const before = await proposalCount();
    let settled = false;
    const hostile = member
      .post(`/api/v1/talks/events/${eventId}/proposals`, { title: 'Brackets', description: SLOW })
      .finally(() => {
        settled = true;
      });
    // Before the fix, the render held the event loop for seconds: no timer fired and no other
    // request was answered until the hostile one had been rendered.
    let answered = 0;
    while (!settled && answered < 5) {
      await sleep(20);
      const health = await get().app.inject({ method: 'GET', url: '/healthz' });
      assert.equal(health.statusCode, 200);
      if (!settled) answered++;
    }
    assert.equal(answered, 5, '/healthz answered five times while the description was being rendered');
    const response = await hostile;
    assert.equal(response.status, 400, JSON.stringify(response.body));
    assert.equal(response.body.error.field, 'description');
    assert.match(response.body.error.message, /^description: takes too long to format/);
    assert.equal(await proposalCount(), before, 'nothing written');
  });

  for (const [shape, text] of Object.entries(DEEP)) {
    test(`deeply nested ${shape} are a 400 naming the field, on proposals and events, never a 500`, async () => {
      const before = await proposalCount();
      const created = await member.post(`/api/v1/talks/events/${eventId}/proposals`, {
        title: `Deep ${shape}`,
        description: text,
      });
      assert.equal(created.status, 400, JSON.stringify(created.body));
      assert.equal(created.body.error.field, 'description');
      assert.equal(await proposalCount(), before);

      const event = await admin.post('/api/v1/talks/events', { name: `Deep ${shape}`, description: text });
      assert.equal(event.status, 400, JSON.stringify(event.body));
      assert.equal(event.body.error.field, 'description');
      const edited = await admin.patch(`/api/v1/talks/events/${eventId}`, { description: text });
      assert.equal(edited.status, 400, JSON.stringify(edited.body));
    });
  }

  test('an ordinary description still renders, and an edit cannot bring the hostile shape back', async () => {
    const created = await member.post(`/api/v1/talks/events/${eventId}/proposals`, {
      title: `Ordinary ${++counter}`,
      description: 'Why **tests** matter:\n\n- they fail\n- [then pass](https://example.org)',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const proposal = created.body.proposal;
    assert.match(proposal.descriptionHtml, /<strong>tests<\/strong>/);
    assert.match(proposal.descriptionHtml, /<li><a href="https:\/\/example.org"/);

    const edited = await member.patch(`/api/v1/talks/proposals/${proposal.id}`, { description: SLOW });
    assert.equal(edited.status, 400, JSON.stringify(edited.body));
    assert.equal(edited.body.error.field, 'description');
    const stored = await db()
      .selectFrom('proposals')
      .select(['description', 'description_html'])
      .where('id', '=', proposal.id)
      .executeTakeFirstOrThrow();
    assert.equal(stored.description_html, proposal.descriptionHtml, 'the stored text is unchanged');

    const event = await admin.patch(`/api/v1/talks/events/${eventId}`, { description: SLOW });
    assert.equal(event.status, 400, JSON.stringify(event.body));
    assert.equal(event.body.error.field, 'description');
  });
});
