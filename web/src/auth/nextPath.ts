/**
 * Returns `next` if it is a safe in-app path, otherwise "/".
 * Rejects absolute URLs and protocol-relative paths so sign-in can't be used as an open redirect.
 */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (next.startsWith('/signin') || next.startsWith('/signup')) return '/';
  return next;
}

/** Appends `?next=` to an auth page path, unless the destination is simply "/". */
export function withNext(path: string, next: string): string {
  return next === '/' ? path : `${path}?next=${encodeURIComponent(next)}`;
}
