import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import tls from 'node:tls';
import amqp, { type ChannelModel } from 'amqplib';

/**
 * How deep a message's header values may nest (a table or an array inside a table or an array)
 * before they are kept from amqplib. amqplib decodes field tables recursively: on the main thread
 * it overflows the stack between 3,600 and 4,000 levels (2,000 pass), and RabbitMQ delivers up to
 * 21,837 levels of tables (26,206 of arrays) in a content header that fits its default frame_max of
 * 131,072 bytes; more with a larger frame_max, since it sends a stored message's header whole even
 * to a consumer that negotiated less. Real headers nest a few levels (x-death: 3).
 */
export const MAX_HEADER_DEPTH = 100;

/** The header the guard puts on a message whose headers it kept from amqplib: their names, comma-separated. */
export const UNREAD_HEADERS = 'x-convene-unread-headers';

const FRAME_HEADER = 2;
const FRAME_END = 0xce;
const HEADERS_FLAG = 0x2000;
const CONTENT_TYPE_FLAG = 0x8000;
const CONTENT_ENCODING_FLAG = 0x4000;

/** The bytes a field value of a fixed-size tag takes after its tag; undefined for the others. */
const FIXED: Record<string, number> = { t: 1, b: 1, B: 1, s: 2, u: 2, I: 4, i: 4, f: 4, D: 5, d: 8, l: 8, T: 8, V: 0 };

/**
 * Where the field value starting at `at` (its tag) ends, and how deeply it nests, read without
 * recursion; null when it runs past `limit` or has a tag amqplib does not know. A value nested
 * deeper than MAX_HEADER_DEPTH is not read further: its end is its outermost container's.
 */
function skipValue(buf: Buffer, at: number, limit: number): { end: number; tooDeep: boolean } | null {
  const open: Array<{ end: number; table: boolean }> = [];
  let p = at;
  for (;;) {
    const inside = open[open.length - 1];
    if (inside && p === inside.end) {
      open.pop();
      if (!open.length) return { end: p, tooDeep: false };
      continue;
    }
    const bound = inside?.end ?? limit;
    if (inside?.table) {
      if (p >= bound) return null;
      p += 1 + (buf[p] as number); // the entry's key
    }
    if (p >= bound) return null;
    const tag = String.fromCharCode(buf[p] as number);
    p += 1;
    const fixed = FIXED[tag];
    if (fixed !== undefined) p += fixed;
    else if (tag === 'S' || tag === 'x' || tag === 'F' || tag === 'A') {
      if (p + 4 > bound) return null;
      const length = buf.readUInt32BE(p);
      p += 4;
      if (tag === 'F' || tag === 'A') {
        if (p + length > bound) return null;
        if (open.length >= MAX_HEADER_DEPTH) return { end: (open[0] as { end: number }).end, tooDeep: true };
        open.push({ end: p + length, table: tag === 'F' });
        continue;
      }
      p += length;
    } else return null;
    if (p > bound) return null;
    if (!open.length) return { end: p, tooDeep: false };
  }
}

/**
 * The content header frame's payload as amqplib may read it: unchanged (null) when its headers are
 * readable; else with the headers amqplib could not read (nested too deep, or not a field table)
 * left out and named in `x-convene-unread-headers`. A header of that name sent by the publisher is
 * left out too, so the name only ever says what the guard did.
 */
export function guardContentHeader(payload: Buffer): Buffer | null {
  // class (2), weight (2), body size (8), property flags (2), then the properties in flag order.
  if (payload.length < 14) return null;
  const flags = payload.readUInt16BE(12);
  if (!(flags & HEADERS_FLAG) || flags & 1) return null; // no headers; or more flag words than basic has
  let p = 14;
  if (flags & CONTENT_TYPE_FLAG) p += 1 + (payload[p] ?? 0);
  if (flags & CONTENT_ENCODING_FLAG) p += 1 + (payload[p] ?? 0);
  if (p + 4 > payload.length) return null;
  const tableStart = p + 4;
  const tableEnd = tableStart + payload.readUInt32BE(p);
  if (tableEnd > payload.length) return null;

  const kept: Buffer[] = [];
  const unread: string[] = [];
  let changed = false;
  let q = tableStart;
  while (q < tableEnd) {
    const keyEnd = q + 1 + (payload[q] as number);
    const value = keyEnd < tableEnd ? skipValue(payload, keyEnd, tableEnd) : null;
    if (!value) {
      unread.push('(the rest of the table)');
      changed = true;
      break;
    }
    const name = payload.toString('utf8', q + 1, keyEnd);
    if (value.tooDeep) {
      unread.push(name);
      changed = true;
    } else if (name.toLowerCase() === UNREAD_HEADERS) changed = true;
    else kept.push(payload.subarray(q, value.end));
    q = value.end;
  }
  if (!changed) return null;
  if (unread.length) {
    const key = Buffer.from(UNREAD_HEADERS);
    const text = Buffer.from(unread.join(',').slice(0, 1000));
    const entry = Buffer.alloc(1 + key.length + 1 + 4 + text.length);
    entry.writeUInt8(key.length, 0);
    key.copy(entry, 1);
    entry.write('S', 1 + key.length);
    entry.writeUInt32BE(text.length, 2 + key.length);
    text.copy(entry, 6 + key.length);
    kept.push(entry);
  }
  const table = Buffer.concat(kept);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(table.length);
  return Buffer.concat([payload.subarray(0, p), length, table, payload.subarray(tableEnd)]);
}

/**
 * The broker's bytes on their way to amqplib, frame by frame: content header frames are held whole
 * and rewritten by `guardContentHeader` when amqplib could not read their headers; every other
 * frame (methods, bodies, heartbeats) passes as it arrives, unbuffered. Bytes that are not AMQP
 * frames (a protocol header refusing the version) stop the guarding: they pass as they are, for
 * amqplib to report.
 */
export class HeaderGuard extends Transform {
  private head = Buffer.alloc(0);
  /** Bytes of a frame other than a content header still to pass through. */
  private passing = 0;
  /** A content header frame being gathered, and how long it is in all. */
  private gathering: Buffer[] = [];
  private gathered = 0;
  private frameLength = 0;
  private unguarded = false;
  /** Content header frames rewritten so far (for tests and logs). */
  rewritten = 0;

  override _transform(data: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    // The bytes of `data` from `passFrom` to `p` pass on as one piece: frames other than content
    // headers are not copied.
    let p = 0;
    let passFrom = 0;
    const pass = () => {
      if (p > passFrom) this.push(data.subarray(passFrom, p));
      passFrom = p;
    };
    while (p < data.length) {
      if (this.unguarded) {
        p = data.length;
      } else if (this.passing) {
        const n = Math.min(this.passing, data.length - p);
        p += n;
        this.passing -= n;
      } else if (this.frameLength) {
        pass();
        const n = Math.min(this.frameLength - this.gathered, data.length - p);
        this.gathering.push(data.subarray(p, p + n));
        this.gathered += n;
        p += n;
        passFrom = p;
        if (this.gathered === this.frameLength) this.releaseContentHeader();
      } else if (this.head.length || data.length - p < 7) {
        // A frame whose first 7 bytes (type, channel, size) are split across chunks.
        pass();
        const taken = data.subarray(p, p + 7 - this.head.length);
        this.head = Buffer.concat([this.head, taken]);
        p += taken.length;
        passFrom = p;
        if (this.head.length < 7) break;
        const head = this.head;
        this.head = Buffer.alloc(0);
        this.begin(head[0] as number, head.readUInt32BE(3), head);
      } else this.begin(data[p] as number, data.readUInt32BE(p + 3), null);
      if (this.frameLength && !this.gathered) pass(); // a content header starts at p: what came before it goes
    }
    pass();
    done();
  }

  /**
   * A frame of this type and size starts: its first 7 bytes are `head` when they were gathered
   * across chunks (else they are still in the chunk, at the point the transform has reached).
   */
  private begin(type: number, size: number, head: Buffer | null): void {
    if (type < 1 || type > 8) {
      this.unguarded = true;
      if (head) this.push(head);
    } else if (type === FRAME_HEADER) {
      this.gathering = head ? [head] : [];
      this.gathered = head ? 7 : 0;
      this.frameLength = 7 + size + 1;
    } else {
      if (head) this.push(head);
      this.passing = (head ? 0 : 7) + size + 1;
    }
  }

  private releaseContentHeader(): void {
    const frame = Buffer.concat(this.gathering);
    this.gathering = [];
    this.gathered = 0;
    this.frameLength = 0;
    const guarded = frame[frame.length - 1] === FRAME_END ? guardContentHeader(frame.subarray(7, -1)) : null;
    if (!guarded) {
      this.push(frame);
      return;
    }
    this.rewritten += 1;
    const out = Buffer.alloc(7 + guarded.length + 1);
    frame.copy(out, 0, 0, 3); // type and channel
    out.writeUInt32BE(guarded.length, 3);
    guarded.copy(out, 7);
    out[out.length - 1] = FRAME_END;
    this.push(out);
  }
}

/** Where a URL's broker listens, and whether over TLS. */
function brokerAddress(url: string): { host: string; port: number; secure: boolean } {
  const parsed = new URL(url);
  const secure = parsed.protocol === 'amqps:';
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  return { host, port: Number(parsed.port) || (secure ? 5671 : 5672), secure };
}

function openSocket(url: string): Promise<net.Socket> {
  const { host, port, secure } = brokerAddress(url);
  return new Promise((resolve, reject) => {
    const socket = secure
      ? tls.connect({ host, port, ...(!net.isIP(host) && { servername: host }) }, () => resolve(socket))
      : net.connect({ host, port }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/**
 * `amqplib.connect`, with every byte from the broker passing through a HeaderGuard first, so a
 * message whose headers amqplib cannot decode reaches the consumer with those headers left out
 * (and named) instead of overflowing amqplib's stack and dropping the connection, which would make
 * the broker hand the same message back, first, to every new connection.
 *
 * amqplib opens its socket itself and takes no stream, so it is given a private local socket (a
 * Unix socket in a fresh directory only this user can enter, closed to others once amqplib is
 * connected) and this process relays between it and the broker. The broker is reached first, so
 * a refused or unreachable broker fails as `amqplib.connect` would; TLS (amqps) is spoken by the
 * relay, with Node's defaults as amqplib would.
 */
export async function connectGuarded(
  url: string,
  options: { clientProperties?: Record<string, unknown> } = {},
): Promise<{ connection: ChannelModel; guard: HeaderGuard }> {
  const upstream = await openSocket(url);
  const dir = await mkdtemp(join(tmpdir(), 'convene-amqp-'));
  const path = join(dir, `${randomBytes(6).toString('hex')}.sock`);
  const guard = new HeaderGuard();
  const server = net.createServer();
  let client: net.Socket | undefined;
  const end = () => {
    client?.destroy();
    upstream.destroy();
  };
  upstream.on('error', end).on('close', end);
  guard.on('error', end);
  server.on('connection', (socket) => {
    if (client || upstream.destroyed) {
      socket.destroy(); // one connection per relay, and only while the broker's is open
      return;
    }
    client = socket;
    socket.on('error', end).on('close', end);
    socket.pipe(upstream);
    upstream.pipe(guard).pipe(socket);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => resolve());
    });
    server.on('error', () => undefined); // once listening, nothing of the relay's depends on it
    const local = new URL(url);
    local.protocol = 'amqp:';
    const connection = await amqp.connect(local.toString(), { ...options, path });
    if (!client) {
      // amqplib went to the broker by the URL, not through `path`: it passes its socket options
      // to net.connect, and a version that stopped would leave the consumer unguarded.
      await connection.close().catch(() => undefined);
      throw new Error('amqplib did not connect through the header guard (the `path` socket option)');
    }
    return { connection, guard };
  } catch (error) {
    end();
    throw error;
  } finally {
    server.close();
    await rm(dir, { recursive: true, force: true });
  }
}
