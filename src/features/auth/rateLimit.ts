import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { tooManyRequests } from '../../lib/errors.js';

export interface SigninLimits {
  perIp: number;
  perAccount: number;
  windowSeconds: number;
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

  /** Called before the password is checked: throws 429 when either budget is spent. */
  async admit(ip: string, account: string): Promise<void> {
    try {
      await this.byIp.consume(ip);
    } catch (error) {
      throw this.refusal(error);
    }
    const accountState = await this.byAccount.get(account.toLowerCase());
    if (accountState && accountState.remainingPoints <= 0) throw this.refusal(accountState);
  }

  async failed(account: string): Promise<void> {
    try {
      await this.byAccount.consume(account.toLowerCase());
    } catch {
      // Already over the limit: the next attempt will be refused by admit().
    }
  }

  async succeeded(account: string): Promise<void> {
    await this.byAccount.delete(account.toLowerCase());
  }

  private refusal(error: unknown) {
    if (!(error instanceof RateLimiterRes)) throw error;
    const seconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
    const wait = seconds >= 120 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} seconds`;
    return tooManyRequests(`Too many sign-in attempts. Try again in ${wait}.`, seconds);
  }
}
