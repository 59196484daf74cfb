/**
 * Why fetch() could not reach a server, in words an operator can act on: fetch itself says only
 * "fetch failed", its cause says ECONNREFUSED, ENOTFOUND, a certificate error…
 */
export function fetchFailureReason(error: unknown): string {
  const err = error as Error & { cause?: { code?: string; message?: string } };
  return err.cause?.code ?? err.cause?.message ?? err.message;
}
