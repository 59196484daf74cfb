import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { keyedBatches } from '../src/features/ingest/keyedBatches.js';

type Item = { name: string; keys: string[] };
const item = (name: string, ...keys: string[]): Item => ({ name, keys });
const tick = () => new Promise((resolve) => setImmediate(resolve));

/** A scheduler whose batches finish only when the test says so. */
function harness(slots: number, maxBatch = 100) {
  const running: Array<{ names: string[]; finish(): void }> = [];
  const started: string[][] = [];
  const enqueue = keyedBatches<Item>({
    slots,
    maxBatch,
    run: (batch) =>
      new Promise<void>((finish) => {
        const names = batch.map((i) => i.name);
        started.push(names);
        running.push({ names, finish });
      }),
  });
  const finish = async (names: string) => {
    const at = running.findIndex((r) => r.names.join(',') === names);
    assert.ok(at >= 0, `batch ${names} is running`);
    running.splice(at, 1)[0]?.finish();
    await tick();
    await tick();
  };
  return { enqueue, started, running, finish };
}

test('two slots: a second batch starts while the first is in flight, without the keys the first holds, in order per key', async () => {
  const h = harness(2);
  h.enqueue(item('a1', 'team:1'));
  h.enqueue(item('b1', 'team:2'));
  await tick();
  assert.deepEqual(h.started, [['a1', 'b1']], "one tick's arrivals go together");
  h.enqueue(item('a2', 'team:1'));
  h.enqueue(item('c1', 'team:3'));
  // Shares no key with the batch in flight, but one with a2, which waits: it waits behind a2.
  h.enqueue(item('d1', 'team:4', 'login:x'));
  h.enqueue(item('e1', 'login:x', 'team:1'));
  h.enqueue(item('f1', 'team:5', 'login:x'));
  await tick();
  assert.deepEqual(h.started[1], ['c1', 'd1'], 'the second batch: only work no batch in flight or waiting work holds');
  h.enqueue(item('g1', 'team:6'));
  await tick();
  assert.equal(h.started.length, 2, 'no third batch while two are in flight');
  await h.finish('a1,b1');
  assert.deepEqual(h.started[2], ['a2', 'g1'], 'a2 once a1 is stored; e1 and f1 wait for d1 (login x)');
  await h.finish('c1,d1');
  await h.finish('a2,g1');
  assert.deepEqual(h.started[3], ['e1', 'f1'], 'e1 after a2 and d1, f1 after e1 (same batch keeps their order)');
  await h.finish('e1,f1');
  assert.equal(h.running.length, 0);
});

test('one slot: one batch at a time, everything that waited meanwhile together; a batch is at most maxBatch', async () => {
  const h = harness(1, 2);
  h.enqueue(item('a', 'k:1'));
  await tick();
  for (const name of ['b', 'c', 'd']) h.enqueue(item(name, `k:${name}`));
  await tick();
  assert.deepEqual(h.started, [['a']]);
  await h.finish('a');
  assert.deepEqual(h.started[1], ['b', 'c']);
  await h.finish('b,c');
  assert.deepEqual(h.started[2], ['d']);
  await h.finish('d');
});

test('a batch that throws frees its slot and its keys', async () => {
  let calls = 0;
  const seen: string[][] = [];
  const enqueue = keyedBatches<Item>({
    slots: 1,
    maxBatch: 10,
    run: async (batch) => {
      seen.push(batch.map((i) => i.name));
      if (calls++ === 0) throw new Error('down');
    },
  });
  enqueue(item('a', 'k'));
  await tick();
  enqueue(item('b', 'k'));
  await tick();
  await tick();
  assert.deepEqual(seen, [['a'], ['b']]);
});

test('with nothing in flight, arrivals trickling in share a batch within the linger; a burst or a full batch does not wait', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const seen: string[][] = [];
    const enqueue = keyedBatches<Item>({
      slots: 1,
      maxBatch: 3,
      lingerMs: 5,
      run: async (batch) => {
        seen.push(batch.map((i) => i.name));
      },
    });
    enqueue(item('a', 'k:a'));
    await tick();
    enqueue(item('b', 'k:b'));
    await tick();
    // b came a tick after a: still coming, so they wait for company; nothing has started.
    assert.deepEqual(seen, []);
    mock.timers.tick(5);
    await tick();
    assert.deepEqual(seen, [['a', 'b']]);
    // Three arrive: a full batch starts at once, with no time passing.
    for (const name of ['c', 'd', 'e']) enqueue(item(name, `k:${name}`));
    await tick();
    await tick();
    assert.deepEqual(seen, [
      ['a', 'b'],
      ['c', 'd', 'e'],
    ]);
    // Two in one tick and nothing after: a burst, started without waiting out the linger.
    enqueue(item('f', 'k:f'));
    enqueue(item('g', 'k:g'));
    await tick();
    await tick();
    await tick();
    assert.deepEqual(seen.at(-1), ['f', 'g']);
  } finally {
    mock.timers.reset();
  }
});
