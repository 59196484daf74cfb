import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { HeaderGuard, MAX_HEADER_DEPTH, UNREAD_HEADERS } from '../src/integrations/amqpHeaderGuard.js';
import { nestedEntry, textEntry } from './helpers/rawAmqp.js';

// amqplib's own decoders (not exported: loaded by their path), to read what the guard lets through
// as the consumer's connection does.
const require = createRequire(import.meta.url);
const { decodeFrame, parseFrame } = require(join(dirname(require.resolve('amqplib')), 'lib', 'frame.js')) as {
  parseFrame(bytes: Buffer, max: number): { rest: Buffer } | false;
  decodeFrame(frame: unknown): { fields?: { headers?: Record<string, unknown> } };
};

const u16 = (n: number) => Buffer.from([n >> 8, n & 255]);
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const frame = (type: number, payload: Buffer) =>
  Buffer.concat([Buffer.from([type]), u16(1), u32(payload.length), payload, Buffer.from([0xce])]);

/** A content header frame with a content type (before the headers in flag order), the headers, and delivery mode. */
function contentHeader(table: Buffer): Buffer {
  const contentType = Buffer.from('application/json');
  const flags = 0x8000 | 0x2000 | 0x1000;
  const payload = Buffer.concat([
    u16(60),
    u16(0),
    Buffer.alloc(8, 0),
    u16(flags),
    Buffer.from([contentType.length]),
    contentType,
    u32(table.length),
    table,
    Buffer.from([2]),
  ]);
  return frame(2, payload);
}
const shortstr = (text: string) => Buffer.concat([Buffer.from([text.length]), Buffer.from(text)]);
// basic.deliver: consumer tag, delivery tag, redelivered, exchange, routing key.
const method = frame(
  1,
  Buffer.concat([
    u16(60),
    u16(60),
    shortstr('ctag'),
    Buffer.alloc(7),
    Buffer.from([9, 0]),
    shortstr(''),
    shortstr('q'),
  ]),
);
const body = frame(3, Buffer.from('{"id": 1}'));
const heartbeat = Buffer.from([8, 0, 0, 0, 0, 0, 0, 0xce]);

/** What the guard passes on when `bytes` reach it in pieces of `piece` bytes. */
async function through(bytes: Buffer, piece: number): Promise<{ out: Buffer; rewritten: number }> {
  const guard = new HeaderGuard();
  const chunks: Buffer[] = [];
  guard.on('data', (c: Buffer) => chunks.push(c));
  for (let i = 0; i < bytes.length; i += piece) guard.write(bytes.subarray(i, i + piece));
  await new Promise<void>((resolve) => guard.end(resolve));
  return { out: Buffer.concat(chunks), rewritten: guard.rewritten };
}

/** Every frame in `bytes`, decoded by amqplib. */
function decodeAll(bytes: Buffer) {
  const frames = [];
  let rest = bytes;
  while (rest.length) {
    const f = parseFrame(rest, 64 * 1024 * 1024);
    assert.ok(f, 'whole frames');
    frames.push(decodeFrame(f));
    rest = f.rest;
  }
  return frames;
}

test('headers amqplib can read pass unchanged, byte for byte, however the bytes are split', async () => {
  const table = Buffer.concat([textEntry('X-Delivery', 'd-1'), nestedEntry('x-death-like', MAX_HEADER_DEPTH, 'table')]);
  const stream = Buffer.concat([
    method,
    contentHeader(table),
    body,
    heartbeat,
    method,
    contentHeader(Buffer.alloc(0)),
    body,
  ]);
  for (const piece of [1, 3, 7, 64, stream.length]) {
    const { out, rewritten } = await through(stream, piece);
    assert.deepEqual(out, stream, `pieces of ${piece}`);
    assert.equal(rewritten, 0);
  }
});

test('a header nested deeper than amqplib can read is left out and named; the other headers and frames pass', async () => {
  for (const kind of ['table', 'array'] as const) {
    // As deep as a content header frame of RabbitMQ's default frame_max holds: far past where amqplib overflows.
    const tableOf = (depth: number) =>
      Buffer.concat([
        textEntry('X-Delivery', 'd-2'),
        nestedEntry('x-deep', depth, kind),
        textEntry(UNREAD_HEADERS, 'forged by the sender'),
        nestedEntry('x-shallow', 3, kind),
      ]);
    const depth = Math.floor((131_072 - contentHeader(tableOf(0)).length) / (kind === 'array' ? 5 : 6));
    const table = tableOf(depth);
    assert.ok(contentHeader(table).length <= 131_072 && contentHeader(table).length > 131_066);
    const stream = Buffer.concat([method, contentHeader(table), body, heartbeat]);
    assert.throws(() => decodeAll(stream), RangeError, 'amqplib alone overflows its stack');
    for (const piece of [5, 1000, stream.length]) {
      const { out, rewritten } = await through(stream, piece);
      assert.equal(rewritten, 1);
      const [m, header, b, beat] = decodeAll(out);
      assert.deepEqual(m, decodeAll(method)[0]);
      assert.deepEqual(b, decodeAll(body)[0]);
      assert.deepEqual(beat, decodeAll(heartbeat)[0]);
      const headers = header?.fields?.headers ?? {};
      assert.deepEqual(Object.keys(headers), ['X-Delivery', 'x-shallow', UNREAD_HEADERS]);
      assert.equal(headers['X-Delivery'], 'd-2');
      assert.equal(headers[UNREAD_HEADERS], 'x-deep', "the sender's own header of that name is left out");
      assert.equal((header?.fields as { contentType?: string } | undefined)?.contentType, 'application/json');
    }
  }
});

test('one level past the limit is left out; at the limit it is kept', async () => {
  const at = contentHeader(nestedEntry('x', MAX_HEADER_DEPTH, 'array'));
  assert.equal((await through(at, 1000)).rewritten, 0);
  const past = contentHeader(nestedEntry('x', MAX_HEADER_DEPTH + 1, 'array'));
  const { out, rewritten } = await through(past, 1000);
  assert.equal(rewritten, 1);
  assert.deepEqual(decodeAll(out)[0]?.fields?.headers, { [UNREAD_HEADERS]: 'x' });
});

test('bytes that are not AMQP frames (the broker refusing the protocol version) pass as they are', async () => {
  const refusal = Buffer.concat([
    Buffer.from('AMQP\x00\x00\x09\x01', 'latin1'),
    contentHeader(nestedEntry('x', 500, 'table')),
  ]);
  for (const piece of [1, 4, refusal.length]) {
    const { out, rewritten } = await through(refusal, piece);
    assert.deepEqual(out, refusal);
    assert.equal(rewritten, 0);
  }
});
