import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { SchedulingInputError } from './errors.js';
import { solve } from './solve.js';
import { bruteForceOptimum, generateInstance, naiveScore, scheduleProblems } from './testSupport.js';
import type { SchedulingInstance } from './types.js';

const sizes = fc.record({
  sessions: fc.integer({ min: 1, max: 10 }),
  slots: fc.integer({ min: 1, max: 4 }),
  rooms: fc.integer({ min: 1, max: 3 }),
  people: fc.integer({ min: 1, max: 12 }),
  seed: fc.string({ maxLength: 6 }),
  coOwners: fc.double({ min: 0, max: 0.6, noNaN: true }),
});

describe('solve: hard rules on random instances', () => {
  it('never breaks a rule, reports every session, counts its score right, keeps pins and locked slots', async () => {
    await fc.assert(
      fc.asyncProperty(sizes, fc.integer({ min: 0, max: 15 }), fc.boolean(), async (size, lockMask, exact) => {
        const instance = generateInstance(size);
        const first = await solve(instance, { iterations: 300, seed: 'first', exact: false });
        assert.deepEqual(scheduleProblems(instance, first), []);
        // Lock some slots (keeping what the first schedule put there) and pin a few other sessions.
        const locked: SchedulingInstance = {
          ...instance,
          slots: instance.slots.map((slot, t) => ({ ...slot, locked: ((lockMask >> t) & 1) === 1 })),
        };
        const lockedIds = new Set(locked.slots.filter((s) => s.locked).map((s) => s.id));
        const pins = first.assignments
          .filter((a, i) => !lockedIds.has(a.slot) && i % 3 === 0)
          .map((a, i) =>
            i % 2 ? { session: a.session, slot: a.slot } : { session: a.session, slot: a.slot, room: a.room },
          );
        const current = { assignments: first.assignments.map(({ session, slot, room }) => ({ session, slot, room })) };
        const second = await solve(locked, { iterations: 500, seed: 'second', current, pins, exact, seconds: 5 });
        assert.deepEqual(scheduleProblems(locked, second, { current, pins }), []);
        for (const u of second.unplaced) assert.ok(u.detail.length > 0);
      }),
      { numRuns: 60, seed: 12 },
    );
  });
});

describe('solve: exact method', () => {
  it('finds and proves the brute-force optimum on tiny instances', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          sessions: fc.integer({ min: 1, max: 6 }),
          slots: fc.integer({ min: 1, max: 3 }),
          rooms: fc.integer({ min: 1, max: 2 }),
          people: fc.integer({ min: 1, max: 8 }),
          seed: fc.string({ maxLength: 6 }),
          coOwners: fc.double({ min: 0, max: 0.6, noNaN: true }),
        }),
        async (size) => {
          const instance = generateInstance(size);
          // Few annealing steps on purpose: the exact method has to do the work.
          const result = await solve(instance, { iterations: 20, seconds: 20 });
          assert.equal(result.score, bruteForceOptimum(instance));
          assert.equal(result.stats.optimal, true);
          assert.equal(result.upperBound, result.score);
        },
      ),
      { numRuns: 40, seed: 7 },
    );
  });

  it('its bound holds on an instance the annealing alone does not solve', async () => {
    const instance = generateInstance({ sessions: 12, slots: 4, rooms: 3, people: 30, seed: 'bound' });
    const annealed = await solve(instance, { iterations: 50, exact: false });
    const exact = await solve(instance, { iterations: 50, seconds: 30 });
    assert.ok(exact.stats.optimal);
    assert.ok(exact.score >= annealed.score);
    assert.equal(exact.upperBound, exact.score);
    assert.ok(annealed.upperBound >= exact.score, 'the trivial bound is above the optimum');
  });
});

describe('solve: determinism and budgets', () => {
  const instance = generateInstance({ sessions: 40, slots: 8, rooms: 5, people: 120, seed: 'det' });

  it('gives the same schedule for the same seed and iterations, another for another seed', async () => {
    const a = await solve(instance, { iterations: 20_000, seed: 's1', exact: false });
    const b = await solve(instance, { iterations: 20_000, seed: 's1', exact: false });
    const c = await solve(instance, { iterations: 20_000, seed: 's2', exact: false });
    assert.deepEqual(a.assignments, b.assignments);
    assert.equal(a.stats.iterations, 20_000);
    assert.notDeepEqual(a.assignments, c.assignments);
  });

  it('runs chains in worker threads, still deterministic under an iteration budget', async () => {
    const a = await solve(instance, { iterations: 10_000, seed: 'w', threads: 2, exact: false });
    const b = await solve(instance, { iterations: 10_000, seed: 'w', threads: 2, exact: false });
    assert.deepEqual(a.assignments, b.assignments);
    assert.equal(a.stats.iterations, 20_000);
    assert.deepEqual(scheduleProblems(instance, a), []);
    const single = await solve(instance, { iterations: 10_000, seed: 'w', exact: false });
    assert.ok(a.score >= single.score, 'the first chain is the single-thread run; the best of two is no worse');
  });

  it('improves on the greedy start and reports progress', async () => {
    const seen: number[] = [];
    const result = await solve(instance, {
      iterations: 200_000,
      exact: false,
      onProgress: (p) => seen.push(p.fraction),
    });
    assert.ok(seen.length > 2);
    assert.equal(seen.at(-1), 1);
    const greedyOnly = await solve(instance, { iterations: 1, exact: false });
    assert.ok(result.score > greedyOnly.score);
  });

  it('stops when aborted and still returns a valid schedule', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await solve(instance, { seconds: 60, signal: controller.signal });
    assert.equal(result.stats.stopped, 'aborted');
    assert.deepEqual(scheduleProblems(instance, result), []);
  });
});

describe('solve: staying close to a published schedule', () => {
  it('moves nothing when moves cost more than they bring, and moves freely when they cost nothing', async () => {
    const instance = generateInstance({ sessions: 20, slots: 5, rooms: 4, people: 80, seed: 'close' });
    const before = await solve(instance, { iterations: 5_000, seed: 'a', exact: false });
    // People change their minds: the old schedule is no longer the best one.
    const changed = generateInstance({ sessions: 20, slots: 5, rooms: 4, people: 80, seed: 'close2' });
    changed.sessions = instance.sessions;
    const current = { assignments: before.assignments.map(({ session, slot, room }) => ({ session, slot, room })) };
    const sticky = await solve(changed, { iterations: 5_000, current, moveWeight: 1e6, exact: false });
    assert.equal(sticky.stats.moved, 0);
    assert.equal(sticky.score, naiveScore(changed, current.assignments));
    const free = await solve(changed, { iterations: 5_000, current, moveWeight: 0 });
    assert.ok(free.stats.moved > 0);
    assert.ok(free.score > sticky.score);
  });
});

describe('solve: rooms and reasons', () => {
  it('gives the largest room to the largest audience and reports overflow', async () => {
    const instance: SchedulingInstance = {
      name: 'rooms',
      slots: [{ id: 't1', start: '2027-03-01T09:00:00', locked: false }],
      rooms: [
        { id: 'small', name: 'Small', capacity: 1 },
        { id: 'big', name: 'Big', capacity: 10 },
      ],
      sessions: [
        { id: 'popular', title: 'P', owners: ['a'], allowedSlots: null },
        { id: 'niche', title: 'N', owners: ['b'], allowedSlots: null },
      ],
      users: ['a', 'b', 'c', 'd', 'e'],
      interests: { c: { popular: 100 }, d: { popular: 75 }, e: { niche: 25, popular: 25 } },
    };
    const result = await solve(instance, { iterations: 100 });
    const popular = result.assignments.find((a) => a.session === 'popular')!;
    const niche = result.assignments.find((a) => a.session === 'niche')!;
    assert.equal(popular.room, 'big');
    assert.equal(popular.audience, 3.5);
    assert.equal(niche.room, 'small');
    assert.equal(niche.audience, 1.5);
    assert.equal(niche.overflowing, true);
    assert.equal(result.stats.overflowing, 1);
  });

  it('says why sessions are left out', async () => {
    const instance: SchedulingInstance = {
      name: 'reasons',
      slots: [
        { id: 't1', start: '2027-03-01T09:00:00', locked: false },
        { id: 't2', start: '2027-03-01T10:00:00', locked: true },
      ],
      rooms: [
        { id: 'r1', name: 'A', capacity: 10 },
        { id: 'r2', name: 'B', capacity: 10 },
      ],
      sessions: [
        { id: 'mine', title: '1', owners: ['a'], allowedSlots: null },
        { id: 'mine-too', title: '2', owners: ['a', 'b'], allowedSlots: ['t1'] },
        { id: 'later', title: '3', owners: ['c'], allowedSlots: ['t2'] },
      ],
      users: ['a', 'b', 'c'],
      interests: {},
    };
    const result = await solve(instance, { iterations: 100 });
    assert.equal(result.assignments.length, 1);
    const reasons = Object.fromEntries(result.unplaced.map((u) => [u.session, u.reason]));
    assert.equal(reasons.later, 'no_open_slot');
    assert.equal(Object.values(reasons).filter((r) => r === 'owner_clash').length, 1);
  });
});

describe('solve: bad input', () => {
  const base = generateInstance({ sessions: 3, slots: 2, rooms: 2, people: 4, seed: 'bad' });
  const cases: [string, (i: any) => void, string][] = [
    ['an interest value', (i) => (i.interests.u0001 = { s001: 50 }), 'interests.u0001.s001'],
    ['an unknown session in interests', (i) => (i.interests.u0001 = { s999: 25 }), 'interests.u0001.s999'],
    ['an unknown user in interests', (i) => (i.interests.nobody = {}), 'interests.nobody'],
    ['an unknown allowed slot', (i) => (i.sessions[1].allowedSlots = ['t01', 'x']), 'sessions[1].allowedSlots[1]'],
    ['an unknown owner', (i) => (i.sessions[2].owners = ['ghost']), 'sessions[2].owners[0]'],
    ['a missing room capacity', (i) => delete i.rooms[1].capacity, 'rooms[1].capacity'],
    ['a duplicate slot id', (i) => (i.slots[1].id = 't01'), 'slots[1].id'],
  ];
  for (const [what, breakIt, field] of cases) {
    it(`names the field for ${what}`, async () => {
      const instance = structuredClone(base) as any;
      breakIt(instance);
      await assert.rejects(solve(instance, { iterations: 10 }), (error: unknown) => {
        assert.ok(error instanceof SchedulingInputError);
        assert.equal(error.field, field);
        return true;
      });
    });
  }

  it('rejects pins and a current schedule that point nowhere or break a rule', async () => {
    const reject = (options: object, field: string) =>
      assert.rejects(
        solve(base, { iterations: 10, ...options }),
        (e: unknown) => e instanceof SchedulingInputError && e.field === field,
      );
    await reject({ pins: [{ session: 's999', slot: 't01' }] }, 'pins[0].session');
    await reject({ pins: [{ session: 's001', slot: 't01', room: 'r9' }] }, 'pins[0].room');
    await reject(
      { current: { assignments: [{ session: 's001', slot: 'tx', room: 'r1' }] } },
      'current.assignments[0].slot',
    );
    await reject({ iterations: 1.5 }, 'iterations');
    await reject({ moveWeight: -1 }, 'moveWeight');
  });
});
