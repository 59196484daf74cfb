import type { NotificationChannel } from '../../db/schema.js';

/**
 * Paces sends per channel inside one worker: an optional steady rate (messages per second, with a
 * one-second burst) and a pause when the channel itself asked us to wait (Slack's 429 Retry-After
 * holds back every message for that channel, not just the one that was refused). Limits are per
 * process: N workers send up to N times the rate.
 */
export class ChannelLimits {
  private readonly next = new Map<NotificationChannel, number>();
  private readonly pausedUntil = new Map<NotificationChannel, number>();

  constructor(private readonly perSecond: Partial<Record<NotificationChannel, number>> = {}) {}

  /** Milliseconds to wait before this channel may send one more message; reserves that slot. */
  reserve(channel: NotificationChannel, now = Date.now()): number {
    const paused = this.pausedUntil.get(channel) ?? 0;
    const rate = this.perSecond[channel] ?? 0;
    if (rate <= 0) return Math.max(0, paused - now);
    const interval = 1000 / rate;
    // A channel idle for a while may send a second's worth at once, then one per interval.
    const earliest = Math.max(this.next.get(channel) ?? 0, now - 1000 + interval, paused);
    this.next.set(channel, earliest + interval);
    return Math.max(0, earliest - now);
  }

  /** The channel said "not before then": nothing more goes to it from this worker until that time. */
  pause(channel: NotificationChannel, seconds: number, now = Date.now()): void {
    const until = now + seconds * 1000;
    if (until > (this.pausedUntil.get(channel) ?? 0)) this.pausedUntil.set(channel, until);
  }
}
