import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { UnconferencePhase } from '../src/db/schema.js';
import { type Actor, decide, type UnconferenceAction } from '../src/features/unconference/policy.js';

const admin: Actor = { id: 'a', role: 'admin' };
const member: Actor = { id: 'm', role: 'member' };
type Who = 'anonymous' | 'member' | 'owner' | 'co-owner' | 'admin';
const actorOf = (who: Who): Actor | null => (who === 'anonymous' ? null : who === 'admin' ? admin : member);

/** [who, action, phase, expected status (200 = allowed)] — the whole table of who may do what, when. */
const table: Array<[Who, UnconferenceAction, UnconferencePhase, number]> = [
  ['anonymous', 'view_event', 'proposals', 200],
  ['anonymous', 'see_counts', 'proposals', 403],
  ['anonymous', 'see_counts', 'published', 200],
  ['anonymous', 'propose', 'proposals', 401],
  ['anonymous', 'rate', 'proposals', 401],
  ['member', 'propose', 'proposals', 200],
  ['member', 'propose', 'scheduling', 409],
  ['member', 'propose', 'finished', 409],
  ['member', 'propose_beyond_limit', 'proposals', 403],
  ['member', 'see_counts', 'scheduling', 403],
  ['member', 'see_counts', 'finished', 200],
  ['member', 'rate', 'proposals', 200],
  ['member', 'rate', 'scheduling', 200],
  ['member', 'rate', 'published', 409],
  ['member', 'edit_proposal', 'proposals', 403],
  ['member', 'withdraw_proposal', 'proposals', 403],
  ['member', 'moderate', 'proposals', 403],
  ['member', 'manage_event', 'proposals', 403],
  ['owner', 'edit_proposal', 'proposals', 200],
  ['owner', 'edit_proposal', 'scheduling', 409],
  ['owner', 'withdraw_proposal', 'proposals', 200],
  ['owner', 'rate', 'proposals', 409],
  ['co-owner', 'edit_proposal', 'proposals', 200],
  ['co-owner', 'withdraw_proposal', 'proposals', 403],
  ['co-owner', 'rate', 'proposals', 409],
  ['admin', 'propose', 'scheduling', 200],
  ['admin', 'propose', 'published', 200],
  ['admin', 'propose', 'finished', 409],
  ['admin', 'propose_beyond_limit', 'proposals', 200],
  ['admin', 'edit_proposal', 'published', 200],
  ['admin', 'withdraw_proposal', 'finished', 200],
  ['admin', 'moderate', 'proposals', 200],
  ['admin', 'manage_event', 'finished', 200],
  ['admin', 'rate', 'proposals', 403],
  ['admin', 'see_counts', 'proposals', 200],
];

test('unconference policy: who may do what, in which phase', () => {
  for (const [who, action, phase, expected] of table) {
    const ownership = who === 'owner' || who === 'co-owner' ? who : null;
    const decision = decide(actorOf(who), action, { phase, websiteActive: true, ownership, status: 'approved' });
    const status = decision.allowed ? 200 : decision.error.status;
    assert.equal(status, expected, `${who} ${action} in ${phase}`);
  }
});

test('unconference policy: a switched-off event and waiting proposals are not found for members, visible to admins', () => {
  const off = { phase: 'proposals' as const, websiteActive: false };
  for (const action of ['view_event', 'propose', 'rate'] as const) {
    const decision = decide(member, action, off);
    assert.equal(decision.allowed ? 200 : decision.error.status, 404, action);
  }
  assert.ok(decide(admin, 'view_event', off).allowed);
  const pending = { phase: 'proposals' as const, websiteActive: true, status: 'pending' as const };
  assert.equal((decide(member, 'view_proposal', pending) as { error: { status: number } }).error.status, 404);
  assert.ok(decide(member, 'view_proposal', { ...pending, ownership: 'co-owner' }).allowed);
  assert.ok(decide(admin, 'view_proposal', pending).allowed);
  assert.equal((decide(member, 'rate', pending) as { error: { status: number } }).error.status, 404);
});
