import net from 'node:net';

/**
 * A bare AMQP 0-9-1 publisher on its own socket, for headers no client library would send: the
 * header table is given as bytes. amqplib cannot publish headers nested deeper than its 64 kB
 * encoding buffer holds (about 10,900 levels), nor encode them without a deep stack; the broker
 * takes up to its frame_max.
 */

const u8 = (n: number) => Buffer.from([n]);
const u16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
};
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const shortstr = (s: string) => Buffer.concat([u8(Buffer.byteLength(s)), Buffer.from(s)]);
const longstr = (b: Buffer) => Buffer.concat([u32(b.length), b]);
const frame = (type: number, channel: number, payload: Buffer) =>
  Buffer.concat([u8(type), u16(channel), u32(payload.length), payload, u8(0xce)]);
const method = (channel: number, classId: number, methodId: number, args: Buffer[]) =>
  frame(1, channel, Buffer.concat([u16(classId), u16(methodId), ...args]));

/** One header table entry: a text value. */
export function textEntry(key: string, value: string): Buffer {
  return Buffer.concat([shortstr(key), Buffer.from('S'), longstr(Buffer.from(value))]);
}

/**
 * One header table entry whose value is nested `depth` levels deep: tables (`{"": {"": …}}`, 6
 * bytes a level) or arrays (`[[…]]`, 5 bytes a level), with the text "bottom" at the bottom.
 */
export function nestedEntry(key: string, depth: number, kind: 'table' | 'array'): Buffer {
  const per = kind === 'array' ? 5 : 6;
  const bottom = Buffer.concat([
    kind === 'table' ? u8(0) : Buffer.alloc(0),
    Buffer.from('S'),
    longstr(Buffer.from('bottom')),
  ]);
  const size = depth * per + bottom.length;
  const out = Buffer.alloc(size);
  let start = size - bottom.length;
  bottom.copy(out, start);
  for (let i = 0; i < depth; i++) {
    const inside = size - start;
    start -= per;
    if (kind === 'array') {
      out.write('A', start);
      out.writeUInt32BE(inside, start + 1);
    } else {
      out[start] = 0; // the empty key of the entry holding the next table
      out.write('F', start + 1);
      out.writeUInt32BE(inside, start + 2);
    }
  }
  // A table level's first byte is its entry's empty key: the outermost value starts after it.
  return Buffer.concat([shortstr(key), kind === 'table' ? out.subarray(1) : out]);
}

/** The content header frame's size for this header table: 8 frame bytes, 14 of class, size and flags, the table, delivery mode. */
export const contentHeaderFrameBytes = (table: Buffer) => 8 + 14 + 4 + table.length + 1;

/**
 * `others` and, last, an entry `key` nested as deep as a content header frame of at most
 * `frameMax` bytes holds: the worst a broker with that frame_max delivers.
 */
export function deepestHeaders(frameMax: number, others: Buffer, key: string, kind: 'table' | 'array'): Buffer {
  const shallow = contentHeaderFrameBytes(Buffer.concat([others, nestedEntry(key, 0, kind)]));
  const depth = Math.floor((frameMax - shallow) / (kind === 'array' ? 5 : 6));
  return Buffer.concat([others, nestedEntry(key, depth, kind)]);
}

interface Frame {
  type: number;
  payload: Buffer;
  classId?: number;
  methodId?: number;
}

/**
 * Publishes `body` to `queue` with the given header table bytes (or those made for the frame_max the
 * broker offers); resolves with the frame_max and the content header frame's size once the broker
 * confirms the message.
 */
export async function publishRaw(
  url: string,
  queue: string,
  headers: Buffer | ((frameMax: number) => Buffer),
  body = Buffer.from('{}'),
): Promise<{ frameMax: number; headerFrameBytes: number }> {
  const parsed = new URL(url);
  const socket = net.connect({ host: parsed.hostname, port: Number(parsed.port) || 5672 });
  let rest = Buffer.alloc(0);
  const waiting: Array<{ resolve(f: Frame): void; reject(e: Error): void }> = [];
  const failAll = (error: Error) => {
    for (const w of waiting.splice(0)) w.reject(error);
  };
  socket.on('data', (chunk: Buffer) => {
    rest = Buffer.concat([rest, chunk]);
    while (rest.length >= 7) {
      const size = rest.readUInt32BE(3);
      if (rest.length < size + 8) break;
      const f: Frame = { type: rest[0] as number, payload: rest.subarray(7, 7 + size) };
      if (f.type === 1) {
        f.classId = f.payload.readUInt16BE(0);
        f.methodId = f.payload.readUInt16BE(2);
      }
      rest = rest.subarray(size + 8);
      waiting.shift()?.resolve(f);
    }
  });
  socket.on('error', failAll);
  socket.on('close', () => failAll(new Error('the broker closed the connection')));
  const next = () => new Promise<Frame>((resolve, reject) => waiting.push({ resolve, reject }));
  const expect = async (classId: number, methodId: number) => {
    const f = await next();
    if (f.classId !== classId || f.methodId !== methodId) {
      throw new Error(
        `expected method ${classId}.${methodId}, the broker sent ${f.classId}.${f.methodId}: ${f.payload.subarray(4).toString('latin1').slice(0, 200)}`,
      );
    }
    return f;
  };
  try {
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(Buffer.from('AMQP\x00\x00\x09\x01', 'latin1'));
    await expect(10, 10); // connection.start
    const credentials = `\0${decodeURIComponent(parsed.username || 'guest')}\0${decodeURIComponent(parsed.password || 'guest')}`;
    socket.write(method(0, 10, 11, [u32(0), shortstr('PLAIN'), longstr(Buffer.from(credentials)), shortstr('en_US')]));
    const tune = await expect(10, 30);
    const frameMax = tune.payload.readUInt32BE(6);
    socket.write(method(0, 10, 31, [u16(tune.payload.readUInt16BE(4)), u32(frameMax), u16(0)]));
    const vhost = decodeURIComponent(parsed.pathname.slice(1)) || '/';
    socket.write(method(0, 10, 40, [shortstr(vhost), shortstr(''), u8(0)]));
    await expect(10, 41);
    socket.write(method(1, 20, 10, [shortstr('')]));
    await expect(20, 11);
    socket.write(method(1, 85, 10, [u8(0)])); // confirm.select
    await expect(85, 11);
    socket.write(method(1, 60, 40, [u16(0), shortstr(''), shortstr(queue), u8(0)]));
    const size = Buffer.alloc(8);
    size.writeBigUInt64BE(BigInt(body.length));
    // Property flags: headers (bit 13) and delivery mode (bit 12), persistent.
    const headerTable = typeof headers === 'function' ? headers(frameMax) : headers;
    const properties = Buffer.concat([u16(0x2000 | 0x1000), longstr(headerTable), u8(2)]);
    const contentHeader = frame(2, 1, Buffer.concat([u16(60), u16(0), size, properties]));
    socket.write(contentHeader);
    socket.write(frame(3, 1, body));
    await expect(60, 80); // basic.ack: the broker has it
    return { frameMax, headerFrameBytes: contentHeader.length };
  } finally {
    socket.destroy();
  }
}
