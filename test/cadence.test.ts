import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cadenceProblem, latestDueOccurrence, nextOccurrence } from '../src/features/mixers/cadence.js';

const monday10Paris = { cron: '0 10 * * MON', timezone: 'Europe/Paris', everyWeeks: 1, anchorDate: null };

test('weekly cron runs at 10:00 Paris time across the DST change', () => {
  const before = nextOccurrence(monday10Paris, new Date('2026-10-20T00:00:00Z'));
  assert.equal(before?.toISOString(), '2026-10-26T09:00:00.000Z', 'winter time: UTC+1');
  const summer = nextOccurrence(monday10Paris, new Date('2026-10-12T00:00:00Z'));
  assert.equal(summer?.toISOString(), '2026-10-12T08:00:00.000Z', 'summer time: UTC+2');
});

test('every 2 weeks from an anchor keeps only alternate Mondays', () => {
  const alternate = { ...monday10Paris, everyWeeks: 2, anchorDate: '2026-11-02' };
  const runs: string[] = [];
  let after = new Date('2026-11-01T00:00:00Z');
  for (let i = 0; i < 4; i++) {
    const next = nextOccurrence(alternate, after)!;
    runs.push(next.toISOString().slice(0, 10));
    after = next;
  }
  assert.deepEqual(runs, ['2026-11-02', '2026-11-16', '2026-11-30', '2026-12-14']);
});

test('after downtime only the latest missed occurrence is due', () => {
  const due = latestDueOccurrence(monday10Paris, new Date('2026-11-02T09:00:00Z'), new Date('2026-11-20T12:00:00Z'));
  assert.equal(due?.toISOString(), '2026-11-16T09:00:00.000Z');
  assert.equal(
    latestDueOccurrence(monday10Paris, new Date('2026-11-30T09:00:00Z'), new Date('2026-11-20T12:00:00Z')),
    null,
  );
});

test('bad cron or timezone is named', () => {
  assert.equal(cadenceProblem({ ...monday10Paris, cron: 'every monday' })?.field, 'cron');
  assert.equal(cadenceProblem({ ...monday10Paris, timezone: 'Nowhere/Land' })?.field, 'timezone');
  assert.equal(cadenceProblem(monday10Paris), null);
});
