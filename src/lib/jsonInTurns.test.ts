import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { JsonTextError, parseJsonInTurns } from './jsonInTurns.js';

/** An array of about `chars` characters whose strings hold every character the scan must not be fooled by. */
function trickyArray(chars: number): unknown[] {
  const items: unknown[] = [];
  for (let n = 0, length = 2; length < chars; n++) {
    const item = {
      id: n,
      name: `Person ${n}, "the ${n}th" [of] {many} \\ \u{1F600}`,
      tags: [[n], { nested: [n, `]},{[`] }],
      on: n % 2 === 0,
      none: null,
    };
    items.push(item);
    length += JSON.stringify(item).length + 1;
  }
  return items;
}

/** How many event-loop turns ran while `work` did. */
async function turnsDuring<T>(work: () => Promise<T>): Promise<{ value: T; turns: number }> {
  let turns = 0;
  let running = true;
  const tick = () => {
    turns++;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  const value = await work();
  running = false;
  return { value, turns };
}

describe('parseJsonInTurns', () => {
  test('a large array reads as JSON.parse reads it, with turns of the event loop in between', async () => {
    const items = trickyArray(1_500_000);
    const text = `  \n${JSON.stringify(items, null, 1)}\n`;
    const { value, turns } = await turnsDuring(() => parseJsonInTurns(text));
    assert.deepEqual(value, items);
    // 256 KiB a turn: a 1.5+ MB text gives the loop several turns.
    assert.ok(turns >= 4, `the event loop ran ${turns} times`);
  });

  test('small texts and other shapes read as JSON.parse reads them', async () => {
    for (const text of [
      '[]',
      '[1, 2]',
      '{"people": []}',
      '"x"',
      '3',
      'null',
      ` {"a": ${JSON.stringify(trickyArray(300_000))}}`,
    ]) {
      assert.deepEqual(await parseJsonInTurns(text), JSON.parse(text), text.slice(0, 20));
    }
  });

  test('a fault deep in a large array is reported at its position in the whole text', async () => {
    const good = JSON.stringify(trickyArray(600_000));
    const broken = `${good.slice(0, -1)},{"id": 1 "name": "x"}]`;
    const where = broken.indexOf('"name": "x"');
    await assert.rejects(parseJsonInTurns(broken), (error: Error) => {
      assert.ok(error instanceof JsonTextError);
      assert.match(error.message, new RegExp(`position ${where}\\b`));
      const index = JSON.parse(good).length;
      assert.match(
        error.message,
        new RegExp(`in item \\[${index}\\], which starts at character ${broken.lastIndexOf('{"id": 1')}$`),
      );
      return true;
    });
  });

  test('truncated, trailing-comma and trailing-garbage arrays are refused', async () => {
    const good = JSON.stringify(trickyArray(600_000));
    for (const text of [
      good.slice(0, -1),
      `${good.slice(0, -1)},]`,
      `${good.slice(0, -1)}, ]`,
      `${good} x`,
      `${good}]`,
    ]) {
      await assert.rejects(parseJsonInTurns(text), JsonTextError, text.slice(-20));
      assert.throws(() => JSON.parse(text), SyntaxError, 'JSON.parse refuses it too');
    }
  });
});
