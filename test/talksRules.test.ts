import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ProposalListCache } from '../src/features/talks/cache.js';
import { hash32, shuffledFor, viewerSeed } from '../src/features/talks/order.js';
import { nextSwitchAt, phaseAt } from '../src/features/talks/phase.js';
import { type Actor, can, type TalksAction } from '../src/features/talks/policy.js';
import { rankProposals } from '../src/features/talks/ranking.js';
import { timeline } from '../src/features/talks/results.js';
import { suspiciousGroups } from '../src/features/talks/suspicious.js';
import { markdownToSafeHtml as renderMarkdown } from '../src/lib/markdown/html.js';

describe('talks policy: role × action × phase', () => {
  const member: Actor = { id: 'm', role: 'member' };
  const speaker: Actor = { id: 's', role: 'member' };
  const admin: Actor = { id: 'a', role: 'admin' };
  const P = 'proposals';
  const V = 'voting';
  const C = 'closed';
  // [actor, action, phase, proposals during voting, allowed]
  const table: Array<[Actor | null, TalksAction, 'proposals' | 'voting' | 'closed', boolean, boolean]> = [
    [null, 'propose', P, false, false],
    [member, 'propose', P, false, true],
    [member, 'propose', V, false, false],
    [member, 'propose', V, true, true],
    [member, 'propose', C, true, false],
    [admin, 'propose', V, false, true],
    [admin, 'propose', C, false, false],
    [member, 'propose_for_someone', P, false, false],
    [admin, 'propose_for_someone', P, false, true],
    [speaker, 'edit_proposal', P, false, true],
    [speaker, 'edit_proposal', V, false, false],
    [speaker, 'edit_proposal', V, true, true],
    [speaker, 'edit_proposal', C, false, false],
    [member, 'edit_proposal', P, false, false],
    [admin, 'edit_proposal', C, false, true],
    [speaker, 'withdraw_proposal', P, false, true],
    [member, 'withdraw_proposal', P, false, false],
    [speaker, 'hide_proposal', P, false, false],
    [admin, 'hide_proposal', V, false, true],
    [null, 'vote', V, false, false],
    [member, 'vote', P, false, false],
    [member, 'vote', V, false, true],
    [member, 'vote', C, false, false],
    [admin, 'vote', C, false, false],
    [member, 'manage_event', P, false, false],
    [admin, 'manage_event', C, false, true],
    [member, 'see_results', C, false, false],
    [admin, 'see_results', V, false, true],
  ];
  for (const [actor, action, phase, duringVoting, allowed] of table) {
    test(`${actor?.id === 's' ? 'speaker' : (actor?.role ?? 'visitor')} ${allowed ? 'may' : 'may not'} ${action} while ${phase}${duringVoting ? ' (proposals open)' : ''}`, () => {
      assert.equal(can(actor, action, { phase, proposalsDuringVoting: duringVoting, speakerId: 's' }), allowed);
    });
  }
});

describe('talks phases by time', () => {
  const event = {
    phase: 'proposals' as const,
    voting_opens_at: '2030-01-01T10:00:00.000Z',
    voting_closes_at: '2030-01-02T10:00:00.000Z',
  };
  test('the phase moves on at each switch time, to the millisecond', () => {
    assert.equal(phaseAt(event, '2030-01-01T09:59:59.999Z'), 'proposals');
    assert.equal(phaseAt(event, '2030-01-01T10:00:00.000Z'), 'voting');
    assert.equal(phaseAt(event, '2030-01-02T10:00:00.000Z'), 'closed');
    assert.equal(phaseAt({ ...event, phase: 'closed' }, '2030-01-01T11:00:00.000Z'), 'closed');
  });
  test('the next switch is known, so a cached list expires exactly then', () => {
    assert.equal(nextSwitchAt(event, '2029-12-31T00:00:00.000Z'), event.voting_opens_at);
    assert.equal(nextSwitchAt(event, '2030-01-01T12:00:00.000Z'), event.voting_closes_at);
    assert.equal(nextSwitchAt(event, '2030-01-03T00:00:00.000Z'), null);
  });
});

describe('talks ranking, order and results helpers', () => {
  test('most votes first, ties share a rank, the earlier proposal first; a tie at the cut-off is flagged', () => {
    const items = [
      { id: 'a', vote_count: 3, created_at: '2030-01-01T03:00:00Z' },
      { id: 'b', vote_count: 5, created_at: '2030-01-01T02:00:00Z' },
      { id: 'c', vote_count: 3, created_at: '2030-01-01T01:00:00Z' },
      { id: 'd', vote_count: 1, created_at: '2030-01-01T00:00:00Z' },
    ];
    const { ranked, tieAtCutoff } = rankProposals(items, 2);
    assert.deepEqual(
      ranked.map((r) => [r.item.id, r.rank, r.selected]),
      [
        ['b', 1, true],
        ['c', 2, true],
        ['a', 2, false],
        ['d', 4, false],
      ],
    );
    assert.equal(tieAtCutoff, true);
    assert.equal(rankProposals(items, 1).tieAtCutoff, false);
  });

  test('each viewer has a stable order of their own; a new proposal does not reshuffle the rest', () => {
    const ids = Array.from({ length: 12 }, (_, i) => `proposal-${i}`);
    const order = (viewer: string, list = ids) => shuffledFor(viewerSeed(viewer, 'event'), list, (id) => id);
    assert.deepEqual(order('ada'), order('ada'));
    assert.notDeepEqual(order('ada'), order('grace'));
    const firsts = new Set(Array.from({ length: 40 }, (_, i) => order(`viewer-${i}`)[0]));
    assert.ok(firsts.size >= 6, `the first place goes around: ${firsts.size} different talks first`);
    const withNew = order('ada', [...ids, 'proposal-new']).filter((id) => id !== 'proposal-new');
    assert.deepEqual(withNew, order('ada'));
    assert.equal(hash32('x', 1), hash32('x', 1));
  });

  test('the timeline starts from nothing and counts every vote once', () => {
    const times = ['2030-01-01T10:05:00Z', '2030-01-01T10:06:00Z', '2030-01-01T12:30:00Z'];
    const result = timeline(times, '2030-01-01T13:00:00Z');
    assert.equal(result.points[0]!.total, 0);
    assert.equal(result.points.at(-1)!.total, 3);
    assert.equal(
      result.points.reduce((sum, p) => sum + p.votes, 0),
      3,
    );
    assert.ok(result.points.length <= 62);
    assert.deepEqual(timeline([], '2030-01-01T00:00:00Z').points, []);
  });
});

describe('suspicious voting hints', () => {
  const at = (minutes: number) => new Date(Date.UTC(2030, 0, 1, 9, minutes)).toISOString();
  const voter = (id: string, ip: string | null, minutes: number) => ({
    id,
    name: id,
    username: id,
    signupIp: ip,
    createdAt: at(minutes),
  });
  test('several accounts from one address, made together, voting alike, are pointed out', () => {
    const voters = [
      voter('s1', '203.0.113.5', 0),
      voter('s2', '203.0.113.5', 3),
      voter('s3', '203.0.113.5', 7),
      voter('late', '203.0.113.5', 300),
      voter('x', '198.51.100.1', 0),
      voter('y', null, 0),
    ];
    const votes = ['s1', 's2', 's3', 'late', 'x', 'y'].flatMap((personId) => [{ personId, proposalId: 'p1' }]);
    votes.push({ personId: 's1', proposalId: 'p2' });
    const groups = suspiciousGroups(voters, votes);
    assert.equal(groups.length, 1);
    assert.deepEqual(
      groups[0]!.accounts.map((a) => a.id),
      ['s1', 's2', 's3'],
    );
    assert.deepEqual(groups[0]!.proposals, [{ id: 'p1', votesFromGroup: 3 }]);
  });
  test('accounts from one address voting differently, or made far apart, are not', () => {
    const voters = [voter('a', '203.0.113.5', 0), voter('b', '203.0.113.5', 2), voter('c', '203.0.113.5', 4)];
    const differently = [
      { personId: 'a', proposalId: 'p1' },
      { personId: 'b', proposalId: 'p2' },
      { personId: 'c', proposalId: 'p3' },
    ];
    assert.deepEqual(suspiciousGroups(voters, differently), []);
    const apart = [voter('a', '203.0.113.5', 0), voter('b', '203.0.113.5', 120), voter('c', '203.0.113.5', 240)];
    const alike = ['a', 'b', 'c'].map((personId) => ({ personId, proposalId: 'p1' }));
    assert.deepEqual(suspiciousGroups(apart, alike), []);
  });
});

describe('talks Markdown', () => {
  test('formatting stays, anything that could run or track goes', () => {
    const html = renderMarkdown(
      [
        '# Title',
        '**bold** _it_ `code` [ok](https://example.org) [bad](javascript:alert(1)) [data](data:text/html,x)',
        '<script>alert(1)</script><iframe src="https://evil.example"></iframe>',
        '<a href="https://x.example" onclick="steal()">raw link</a>',
        '![pixel](https://tracker.example/p.gif)',
      ].join('\n\n'),
    );
    assert.match(html, /<h3>Title<\/h3>/);
    assert.match(html, /<strong>bold<\/strong>/);
    assert.match(
      html,
      /<a href="https:\/\/example\.org" rel="nofollow noopener noreferrer ugc" target="_blank">ok<\/a>/,
    );
    assert.doesNotMatch(html, /<script|<iframe|<img|javascript:|data:text|<[^>]*\sonclick=/);
    assert.match(html, /&lt;script&gt;/, 'raw HTML is shown as text');
    assert.equal(renderMarkdown('   '), '');
  });
});

describe('proposal list cache', () => {
  const entry = (eventId: string, body: string) => ({
    eventId,
    body: Buffer.from(body),
    etag: `"${body}"`,
    list: body,
    speakerIds: [],
    phase: 'voting' as const,
  });
  test('one build for many concurrent requests; invalidation wins over a build already under way', async () => {
    const cache = new ProposalListCache<string>(60_000);
    let builds = 0;
    let release: () => void = () => {};
    const slow = () =>
      new Promise<ReturnType<typeof entry>>((resolve) => {
        builds++;
        release = () => resolve(entry('e', 'old'));
      });
    const waiting = [cache.get('e', slow), cache.get('e', slow), cache.get('e', slow)];
    assert.equal(builds, 1, 'concurrent misses share one build');
    cache.invalidate('e');
    release();
    const answers = await Promise.all(waiting);
    assert.ok(answers.every((a) => a && a.etag === '"old"'));
    const fresh = await cache.get('e', async () => entry('e', 'new'));
    assert.equal(fresh?.etag, '"new"', 'the build that started before the change was not kept');
    assert.equal((await cache.get('e', async () => entry('e', 'newer')))?.etag, '"new"', 'then it is a hit');
  });
  test('an entry expires at its phase switch even within the TTL', async () => {
    const cache = new ProposalListCache<string>(60_000);
    await cache.get('e', async () => ({ ...entry('e', 'a'), expiresAt: Date.now() - 1 }));
    assert.equal((await cache.get('e', async () => entry('e', 'b')))?.etag, '"b"');
  });
});
