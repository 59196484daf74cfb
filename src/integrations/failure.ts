export type FailureKind = 'permanent' | 'retry' | 'ratelimited';

/** Why a call to a messaging service failed, in terms the outbox acts on. */
export class ChannelFailure extends Error {
  constructor(
    message: string,
    readonly kind: FailureKind,
    readonly retryAfterSeconds?: number,
    readonly status?: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A rate limit waits for its reset; a timeout or a server error may pass by itself; any other 4xx will not. */
export function failureKindOf(status: number): FailureKind {
  if (status === 429) return 'ratelimited';
  return status === 408 || status >= 500 ? 'retry' : 'permanent';
}
