import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { describeZodError } from '../src/lib/zodMessage.js';

const schema = z.object({
  title: z.string().max(3),
  id: z.number().int().positive(),
  duration: z.number().min(0),
  people: z.array(z.string()).min(1).max(2),
  name: z.string().min(1),
  code: z.string().min(4),
  flag: z.boolean(),
  own: z.string().min(5, 'must say more'),
});

const said = (value: unknown) => {
  const parsed = schema.safeParse(value);
  assert.ok(!parsed.success);
  return parsed.error.issues.map((issue) => describeZodError(new z.ZodError([issue])).message);
};

test("zod's messages in plain words: what to send, not zod's type names; a schema's own message wins", () => {
  assert.deepEqual(said({}), [
    'title: is required',
    'id: is required',
    'duration: is required',
    'people: is required',
    'name: is required',
    'code: is required',
    'flag: is required',
    'own: is required',
  ]);
  assert.deepEqual(
    said({
      title: 'long',
      id: '7',
      duration: -1,
      people: [],
      name: '',
      code: 'ab',
      flag: 'yes',
      own: 'ab',
    }),
    [
      'title: must be at most 3 characters',
      'id: must be a number',
      'duration: must be at least 0',
      'people: must not be empty',
      'name: must not be empty',
      'code: must be at least 4 characters',
      'flag: must be true or false',
      'own: must say more',
    ],
  );
  assert.deepEqual(
    said({
      title: 'a',
      id: 0,
      duration: 0,
      people: ['a', 'b', 'c'],
      name: 'n',
      code: 'abcd',
      flag: true,
      own: 'abcdef',
    }),
    ['id: must be more than 0', 'people: must have at most 2 items'],
  );
});
