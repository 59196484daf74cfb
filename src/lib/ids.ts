import { hash, randomBytes, randomFillSync, timingSafeEqual } from 'node:crypto';

/**
 * The characters of base64url in ASCII order, for the time part of an id: ids made later sort after
 * (byte order, as SQLite and a C collation compare).
 */
const ORDERED = '-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';

/**
 * Row ids: 22 URL-safe characters, the time made (milliseconds, 7 characters) then 90 random bits.
 * Time first so that rows made together sit together in every index keyed by id: a random id sent
 * each insert to a random page of each such index, and once a table outgrew the page cache every
 * batch wrote back thousands of scattered pages (on SQLite, ingestion fell from 1,986 to 1,101
 * creates/s over 15,000 creates; time-ordered, it ran 2,004 then 2,324: bench/ingestGrowth.ts).
 * The random part keeps ids unguessable and leaking no counts; the time part says when the row
 * was made, as its created_at does. The first character is never '-' (the CLI would read the id as an option): it
 * is '-' only for times before 1972.
 */
export function newId(): string {
  let time = Date.now();
  let head = '';
  for (let i = 0; i < 7; i++) {
    head = ORDERED[time % 64] + head;
    time = Math.floor(time / 64);
  }
  // 16 random bytes give 21 base64url characters; the first 15 are 90 bits.
  return head + nextRandom16().toString('base64url').slice(0, 15);
}

/**
 * Ids are drawn from a pool refilled 4 KiB at a time: a batch of ingested meetings takes about a
 * dozen ids per event, and one `randomBytes(16)` call each cost ten times the pooled draw (the
 * same cryptographic source either way; node's own randomUUID pools the same way).
 */
const ID_POOL = Buffer.alloc(16 * 256);
let poolAt = ID_POOL.length;

function nextRandom16(): Buffer {
  if (poolAt >= ID_POOL.length) {
    randomFillSync(ID_POOL);
    poolAt = 0;
  }
  poolAt += 16;
  return ID_POOL.subarray(poolAt - 16, poolAt);
}

/** Secrets handed to a client (session tokens, CSRF tokens): 256 random bits. */
export const newToken = (): string => randomBytes(32).toString('base64url');

/**
 * Session tokens are stored hashed so a leaked database row cannot be replayed as a cookie.
 * One-shot `hash` (Node ≥ 20.12): a third of createHash's cost, on every signed-in request.
 */
export const hashToken = (token: string): string => hash('sha256', token, 'base64url');

export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
