import { ChannelLimits } from '../features/notifications/channelLimits.js';
import { drainOutbox } from '../features/notifications/outbox.js';
import { buildSenders, type Senders } from '../features/notifications/senders.js';
import type { AppContext } from '../http/context.js';
import { holderId } from './holder.js';
import type { IntervalJob } from './runner.js';

/** Changes whenever a channel's settings are saved: one small read per run instead of a timer. */
async function settingsVersion(ctx: AppContext): Promise<string> {
  const rows = await ctx.database.db
    .selectFrom('channel_settings')
    .select(['channel', 'updated_at'])
    .orderBy('channel')
    .execute();
  return rows.map((row) => `${row.channel}@${row.updated_at}`).join(',');
}

/**
 * The notification outbox worker: each run delivers every due message. Several processes may run
 * it on one database; rows are claimed atomically and held under a lease.
 */
export function outboxJob(
  ctx: AppContext,
  props: { workerId?: string; stopGraceMs?: number } = {},
): IntervalJob & { close(): void } {
  const workerId = props.workerId ?? holderId();
  let cached: { senders: Senders; version: string } | undefined;
  // Kept across runs: a channel's pace and any pause it asked for outlive one run.
  const limits = new ChannelLimits(ctx.config.notifications.outbox.ratePerSecond);
  return {
    name: 'notification-outbox',
    everyMs: ctx.config.notifications.outbox.everyMs,
    async run(signal) {
      // A channel saved on the admin page (by any process) is used from the next run on.
      if (signal?.aborted) return;
      const version = await settingsVersion(ctx);
      if (!cached || cached.version !== version) {
        cached?.senders.close();
        cached = { senders: await buildSenders(ctx.database.db, ctx.config), version };
      }
      await drainOutbox({
        db: ctx.database.db,
        engine: ctx.database.engine,
        senders: cached.senders.senders,
        options: ctx.config.notifications.outbox,
        workerId,
        limits,
        // Bounded, so one run cannot hold the job forever while new work keeps arriving.
        maxBatches: 50,
        // A stop ends the run at once: no more claims, unsent rows handed back, sends in flight
        // finished and recorded (or, past the grace, left to their lease).
        ...(signal ? { signal } : {}),
        ...(props.stopGraceMs !== undefined ? { stopGraceMs: props.stopGraceMs } : {}),
      });
    },
    close() {
      cached?.senders.close();
      cached = undefined;
    },
  };
}
