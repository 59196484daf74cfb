import { createHash } from 'node:crypto';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { tooManyRequests } from '../../lib/errors.js';

export interface SigninLimits {
  perIp: number;
  perAccount: number;
  windowSeconds: number;
}

/**
 * The key failed sign-ins are counted under: the person, whichever of their identifiers (username
 * or e-mail) was typed, so both together allow one account's limit, not two. A login that matches
 * nobody is counted under what was typed.
 */
export function signinAccountKey(person: { id: string } | undefined, login: string): string {
  return person ? `person:${person.id}` : `login:${login.trim().toLowerCase()}`;
}

/**
 * Counts sign-in attempts per client address and failed attempts per account. In memory: each
 * process limits on its own, which bounds a guesser to limit × instances — see docs/OPERATIONS.md.
 */
export class SigninLimiter {
  private readonly byIp: RateLimiterMemory;
  private readonly byAccount: RateLimiterMemory;

  constructor(limits: SigninLimits) {
    this.byIp = new RateLimiterMemory({ keyPrefix: 'ip', points: limits.perIp, duration: limits.windowSeconds });
    this.byAccount = new RateLimiterMemory({
      keyPrefix: 'account',
      points: limits.perAccount,
      duration: limits.windowSeconds,
    });
  }

  /** Called first for every attempt: throws 429 when this address has spent its budget. */
  async admitAddress(ip: string): Promise<void> {
    try {
      await this.byIp.consume(ip);
    } catch (error) {
      throw this.refusal(error);
    }
  }

  /** Called before the password is checked, with `signinAccountKey`: 429 when the account's budget is spent. */
  async admitAccount(account: string): Promise<void> {
    const accountState = await this.byAccount.get(account);
    if (accountState && accountState.remainingPoints <= 0) throw this.refusal(accountState);
  }

  async failed(account: string): Promise<void> {
    try {
      await this.byAccount.consume(account);
    } catch {
      // Already over the limit: the next attempt will be refused by admitAccount().
    }
  }

  async succeeded(account: string): Promise<void> {
    await this.byAccount.delete(account);
  }

  private refusal(error: unknown) {
    if (!(error instanceof RateLimiterRes)) throw error;
    const seconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
    const wait = seconds >= 120 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} seconds`;
    return tooManyRequests(`Too many sign-in attempts. Try again in ${wait}.`, seconds);
  }
}

export interface VerificationCodeLimits {
  /** Wrong codes one client address may try per window. */
  perIp: number;
  /** Wrong guesses at one code, from every address together, per window. */
  perCode: number;
  windowSeconds: number;
}

export const defaultVerificationCodeLimits: VerificationCodeLimits = { perIp: 10, perCode: 100, windowSeconds: 3600 };

/**
 * Wrong registration codes, counted per client address and per code (all addresses together), so
 * neither one address nor many can guess their way in: with the defaults, about 2,400 guesses a
 * day at most against a code of 40 bits. When the code's budget is spent, registration with a code
 * waits for the window (or a new code) for everyone: a nuisance an attacker can cause, chosen over
 * letting them guess on. In memory, per process, like the sign-in limits.
 */
export class VerificationCodeLimiter {
  private readonly byIp: RateLimiterMemory;
  private readonly byCode: RateLimiterMemory;

  constructor(limits: VerificationCodeLimits = defaultVerificationCodeLimits) {
    this.byIp = new RateLimiterMemory({ keyPrefix: 'code-ip', points: limits.perIp, duration: limits.windowSeconds });
    this.byCode = new RateLimiterMemory({
      keyPrefix: 'code',
      points: limits.perCode,
      duration: limits.windowSeconds,
    });
  }

  /** Called before the code is compared: throws 429 when either budget is spent. */
  async admit(ip: string, code: string): Promise<void> {
    for (const [limiter, key] of [
      [this.byIp, ip],
      [this.byCode, codeKey(code)],
    ] as const) {
      const state = await limiter.get(key);
      if (state && state.remainingPoints <= 0) throw codeRefusal(state);
    }
  }

  async failed(ip: string, code: string): Promise<void> {
    await Promise.all([this.byIp.consume(ip).catch(() => {}), this.byCode.consume(codeKey(code)).catch(() => {})]);
  }
}

// The current code is kept out of memory dumps of the limiter: only a digest of it is a key.
const codeKey = (code: string) => createHash('sha256').update(code.toUpperCase()).digest('base64url');

function codeRefusal(state: RateLimiterRes) {
  const seconds = Math.max(1, Math.ceil(state.msBeforeNext / 1000));
  const wait = seconds >= 120 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} seconds`;
  return tooManyRequests(`Too many wrong verification codes have been tried. Try again in ${wait}.`, seconds);
}

export interface AccountLinkLimits {
  /** Links one e-mail address may be sent per window (counted by what was typed, known or not). */
  perAddress: number;
  /** Requests one client address may make per window. */
  perIp: number;
  windowSeconds: number;
}

export const defaultAccountLinkLimits: AccountLinkLimits = { perAddress: 3, perIp: 20, windowSeconds: 3600 };

/**
 * Requests that send a link by e-mail (forgot password, a new verification link): counted per
 * typed address and per client, so nobody can flood a mailbox or probe many addresses. The address
 * is counted whether or not it has an account, so a refusal says nothing about who exists.
 */
export class AccountLinkLimiter {
  private readonly byAddress: RateLimiterMemory;
  private readonly byIp: RateLimiterMemory;

  constructor(limits: AccountLinkLimits = defaultAccountLinkLimits) {
    this.byAddress = new RateLimiterMemory({
      keyPrefix: 'link-address',
      points: limits.perAddress,
      duration: limits.windowSeconds,
    });
    this.byIp = new RateLimiterMemory({ keyPrefix: 'link-ip', points: limits.perIp, duration: limits.windowSeconds });
  }

  /** Counts one request; throws 429 when the client or the address has spent its budget. */
  async consume(ip: string, address: string): Promise<void> {
    for (const [limiter, key] of [
      [this.byIp, ip],
      [this.byAddress, codeKey(address.trim().toLowerCase())],
    ] as const) {
      try {
        await limiter.consume(key);
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) throw error;
        const seconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
        const wait = seconds >= 120 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} seconds`;
        throw tooManyRequests(`Too many requests for e-mailed links. Try again in ${wait}.`, seconds);
      }
    }
  }
}
