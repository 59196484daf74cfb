import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The client address of the HTTP request being handled, for the audit log: every change a request
 * makes is recorded with where it came from, without each use case being handed the address.
 * Unset for the CLI and the jobs.
 */
const storage = new AsyncLocalStorage<string>();

/** Runs `next` (the rest of a request's handling) with its client address known. */
export function withRequestAddress(address: string, next: () => void): void {
  storage.run(address, next);
}

export const requestAddress = (): string | null => storage.getStore() ?? null;
