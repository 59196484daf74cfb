import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Row ids: 128 random bits, URL-safe. Random rather than sequential so ids leak no counts. Never
 * starting with '-': the CLI takes ids as arguments, and one starting with '-' read as an option
 * (`convene talks archive -J6u…` failed 1 time in 64). Drawing again keeps the rest uniform.
 */
export function newId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (id[0] !== '-') return id;
  }
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
