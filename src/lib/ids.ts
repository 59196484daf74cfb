import { hash, randomBytes, randomFillSync, timingSafeEqual } from 'node:crypto';

/**
 * Row ids: 128 random bits, URL-safe. Random rather than sequential so ids leak no counts. Never
 * starting with '-': the CLI takes ids as arguments, and one starting with '-' read as an option
 * (`convene talks archive -J6u…` failed 1 time in 64). Drawing again keeps the rest uniform.
 */
export function newId(): string {
  for (;;) {
    const id = nextRandom16().toString('base64url');
    if (id[0] !== '-') return id;
  }
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
