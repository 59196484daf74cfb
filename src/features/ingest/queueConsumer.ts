import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import { AmqpLink, type Backoff, nextDelay, txCommit, txSelect } from '../../integrations/amqp.js';
import { MAX_HEADER_DEPTH, UNREAD_HEADERS } from '../../integrations/amqpHeaderGuard.js';
import type { Intra42Api } from '../../integrations/intra42.js';
import type { Service } from '../../jobs/runner.js';
import { readBody, subjectOf } from './batch.js';
import { type Claim, claimDeliveries, finishDelivery, markDeadLettered } from './deliveries.js';
import { INTRA42_SOURCE } from './people.js';
import { intra42Receiver, type Receipt } from './receive.js';
import type { RefusalLog } from './refusals.js';

/** The header a dead-lettered message carries: why Convene refused it. */
export const REASON_HEADER = 'x-convene-reason';

export type Settle =
  | { kind: 'ack' }
  | { kind: 'requeue' }
  | { kind: 'dead-letter'; reason: string; status: number; field?: string | undefined };

interface Pending {
  message: ConsumeMessage;
  settle: Settle;
  done(committed: boolean): void;
}

/** One connection's channel, in transaction mode, with the acks and publishes waiting for its next commit. */
interface Session {
  connection: ChannelModel;
  channel: Channel;
  consumerTag?: string;
  alive: boolean;
  pending: Pending[];
  flushing: boolean;
}

export interface QueueConsumerOptions {
  db: Db;
  config: Config;
  log: FastifyBaseLogger;
  api?: Intra42Api | null;
  /** Connection name shown by the broker. */
  name?: string;
  /** Reconnecting after a lost connection. */
  reconnect?: Backoff;
  /** Waiting before a message that failed for a passing reason (the database is down) is requeued. */
  retry?: Backoff;
  /** Where refusals by the headers are counted (the process's own); the receiver's own when absent. */
  refusals?: RefusalLog;
  /** For tests: runs after a batch is sent and before its commit (e.g. to lose the connection there). */
  beforeCommit?(settles: Array<Settle['kind']>): Promise<void>;
}

/**
 * The 42 intranet's queue: `scale_team` messages with the webhook's headers as AMQP headers, each
 * handled by the same receiver as `POST /webhooks/42` (secret, delivery id once, zod contract).
 * Messages arriving together (up to the prefetch window) are stored in one database transaction.
 *
 * The consuming channel is in AMQP transaction mode. A message is acknowledged only after its
 * database commit. A refused one (bad JSON, a schema error) is recorded "rejected" in that same
 * commit; then it is published to the dead-letter exchange with `x-convene-reason` and
 * acknowledged in one broker transaction. A process killed or a connection lost in between leaves
 * the message unacknowledged: its redelivery finds the delivery refused, not yet dead-lettered, and
 * dead-letters it then. A message refused by its headers (a wrong secret) records nothing and is
 * dead-lettered the same way. A passing failure (the database is down) is requeued after a
 * backoff, never dead-lettered. Acks of messages finishing together share one commit.
 *
 * The connection reads the broker through a header guard (`connectGuarded`): a header nested too
 * deep for amqplib's recursive decoder (which overflowed the stack, dropped the connection and had
 * the broker hand the message back first, forever) arrives left out and named in
 * `x-convene-unread-headers`, and the message is refused for it (`refuseUnreadHeaders`).
 */
export function intra42QueueConsumer(options: QueueConsumerOptions): Service & { readonly connected: boolean } {
  const { db, config, log } = options;
  const settings = config.intra42.amqp;
  const url = settings.url;
  if (!url) throw new Error('intra42.amqp.url is not configured.');
  const receive = intra42Receiver({
    db,
    config,
    ...(options.api !== undefined && { api: options.api }),
    channel: 'queue',
    ...(options.refusals && { refusals: options.refusals }),
  });
  const retry = options.retry ?? { firstMs: 250, maxMs: 30_000 };

  let session: Session | undefined;
  let link: AmqpLink | undefined;
  let stopping = false;
  const inFlight = new Set<Promise<void>>();
  const waits = new Set<() => void>();
  let retryDelay: number | undefined;

  const onConnect = async (connection: ChannelModel) => {
    const channel = await connection.createChannel();
    const mine: Session = { connection, channel, alive: true, pending: [], flushing: false };
    channel.on('error', (error: Error) => log.warn({ err: error }, 'AMQP channel error'));
    channel.on('close', () => {
      mine.alive = false;
      // Nothing of these was committed: the broker gives the messages back.
      for (const waiting of mine.pending.splice(0)) waiting.done(false);
    });
    await txSelect(channel);
    await channel.assertExchange(settings.deadLetterExchange, 'direct', { durable: true });
    await channel.assertQueue(settings.deadLetterQueue, { durable: true });
    await channel.bindQueue(settings.deadLetterQueue, settings.deadLetterExchange, settings.deadLetterQueue);
    await channel.assertQueue(settings.queue, { durable: true });
    await channel.prefetch(settings.prefetch);
    session = mine;
    const consumer = await channel.consume(
      settings.queue,
      (message) => {
        if (!message) return; // The broker cancelled the consumer (queue deleted): the channel closes next.
        const run = handle(mine, message).catch((error: unknown) =>
          log.error({ err: error }, 'queue message handling failed'),
        );
        inFlight.add(run);
        void run.finally(() => inFlight.delete(run));
      },
      { noAck: false },
    );
    mine.consumerTag = consumer.consumerTag;
    log.info({ queue: settings.queue, prefetch: settings.prefetch }, 'consuming the 42 queue');
  };

  async function handle(from: Session, message: ConsumeMessage): Promise<void> {
    const unread = message.properties.headers?.[UNREAD_HEADERS];
    if (typeof unread === 'string') {
      await refuseUnreadHeaders(from, message, unread);
      return;
    }
    const headers = headersOf(message);
    let receipt: Receipt;
    try {
      receipt = await receive(headers, message.content);
    } catch (error) {
      log.warn({ err: error }, 'queue message could not be handled; requeued after a backoff');
      await requeueLater(from, message);
      return;
    }
    if (receipt.outcome === 'ok' || receipt.outcome === 'ignored') {
      retryDelay = undefined;
      await settle(from, message, { kind: 'ack' });
      return;
    }
    if (receipt.outcome === 'duplicate') {
      await settleCopy(from, message, receipt.earlier, receipt.deliveryRowId);
      return;
    }
    if (receipt.outcome === 'failed') {
      log.warn({ err: receipt.cause }, 'queue message could not be stored; requeued after a backoff');
      await requeueLater(from, message);
      return;
    }
    // Refused for good: rejected (400/413/422, already recorded so in the database) or unauthenticated (401).
    await deadLetter(from, message, receipt.deliveryRowId, {
      reason: receipt.message,
      status: receipt.status,
      field: receipt.field,
    });
  }

  /** A copy of a delivery already recorded: how its first copy ended says what to do with this one. */
  async function settleCopy(
    from: Session,
    message: ConsumeMessage,
    earlier: Receipt['earlier'],
    rowId: string | null | undefined,
  ): Promise<void> {
    if (earlier?.outcome === 'rejected' && !earlier.deadLettered && message.fields.redelivered) {
      // This very message may have been refused and recorded, and the connection lost before
      // its dead-lettering committed: dead-letter it now. (Its first handling, had the
      // dead-lettering committed, would have acknowledged it: it would not be here again.)
      await deadLetter(from, message, rowId, {
        reason: earlier.error ?? 'Refused.',
        status: earlier.statusCode ?? 400,
      });
    } else if (earlier?.outcome === 'processing' || earlier?.outcome === 'failed') {
      // Another copy is being handled right now, or failed a moment ago: wait and look again.
      await requeueLater(from, message);
    } else {
      // Stored, or refused and dead-lettered (or about to be) through its first copy.
      await settle(from, message, { kind: 'ack' });
    }
  }

  /**
   * A message whose headers amqplib could not have read (nested too deep: see HeaderGuard), which
   * reaches here without them. Its other headers are checked as any message's (a wrong secret is
   * counted and dead-lettered as such); if they pass, it is a delivery refused like one with a bad
   * body: recorded "rejected" with the reason, then dead-lettered once. Its body is not handled.
   */
  async function refuseUnreadHeaders(from: Session, message: ConsumeMessage, names: string): Promise<void> {
    const headers = headersOf(message);
    delete headers[UNREAD_HEADERS];
    const checked = receive.admit(headers);
    if ('refused' in checked) {
      const { refused } = checked;
      await deadLetter(from, message, null, { reason: refused.message, status: refused.status, field: refused.field });
      return;
    }
    const field = names.split(',')[0] ?? names;
    const reason = `${field}: a header nested more than ${MAX_HEADER_DEPTH} tables or arrays deep is not read.`;
    // The scale team its body names, for the Inbound page's search (the body is read for nothing else).
    const subject = subjectOf({
      event: checked.event,
      deliveryId: checked.deliveryId,
      body: readBody(message.content),
    });
    let claim: Claim;
    try {
      claim = await db.transaction().execute(async (trx) => {
        const claims = await claimDeliveries(trx, INTRA42_SOURCE, [checked.deliveryId], {
          leaseMs: config.intra42.leaseSeconds * 1000,
          channel: 'queue',
          ...(subject !== null && { subjects: new Map([[checked.deliveryId, subject]]) }),
        });
        const mine = claims.get(checked.deliveryId) as Claim;
        if (mine.claimed) {
          const summary = `${checked.event}: ${reason}`;
          await finishDelivery(trx, mine.id, { outcome: 'rejected', statusCode: 400, error: reason, summary });
        }
        return mine;
      });
    } catch (error) {
      log.warn({ err: error }, 'queue message could not be recorded; requeued after a backoff');
      await requeueLater(from, message);
      return;
    }
    if (claim.claimed) await deadLetter(from, message, claim.id, { reason, status: 400, field });
    else await settleCopy(from, message, claim, claim.id);
  }

  /**
   * Publishes a refused message to the dead-letter queue and acknowledges it, in one broker
   * transaction; then notes it on its delivery row (so a later copy is only acknowledged). If the
   * process dies before that note, a copy is still only acknowledged: the message itself was.
   */
  async function deadLetter(
    from: Session,
    message: ConsumeMessage,
    rowId: string | null | undefined,
    why: { reason: string; status: number; field?: string | undefined },
  ): Promise<void> {
    const committed = await settle(from, message, { kind: 'dead-letter', ...why });
    if (committed) {
      const delivery = headersOf(message)['x-delivery'];
      // A warning: the publisher sent something that cannot be used, and someone should look.
      log.warn(
        { delivery: typeof delivery === 'string' ? delivery.slice(0, 200) : undefined, status: why.status },
        `queue message refused and dead-lettered: ${why.reason.slice(0, 200)}`,
      );
    }
    if (committed && rowId) {
      await markDeadLettered(db, [rowId], new Date().toISOString()).catch((error: unknown) =>
        log.warn({ err: error }, 'could not note a dead-lettered queue message'),
      );
    }
  }

  async function requeueLater(from: Session, message: ConsumeMessage): Promise<void> {
    retryDelay = nextDelay(retryDelay, retry);
    await new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        waits.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, retryDelay);
      waits.add(wake);
    });
    // Stopping or disconnected: closing the channel gives the message back anyway.
    if (stopping || !from.alive) return;
    await settle(from, message, { kind: 'requeue' });
  }

  /** Queues an ack, a requeue or a dead-lettering for the channel's next commit; true once committed. */
  function settle(from: Session, message: ConsumeMessage, what: Settle): Promise<boolean> {
    if (!from.alive) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      from.pending.push({ message, settle: what, done: resolve });
      void flush(from);
    });
  }

  async function flush(from: Session): Promise<void> {
    if (from.flushing || !from.alive || !from.pending.length) return;
    from.flushing = true;
    const batch = from.pending.splice(0);
    let committed = false;
    try {
      for (const { message, settle: what } of batch) {
        if (what.kind === 'ack') from.channel.ack(message);
        else if (what.kind === 'requeue') from.channel.nack(message, false, true);
        else {
          from.channel.publish(settings.deadLetterExchange, settings.deadLetterQueue, message.content, {
            persistent: true,
            ...(message.properties.contentType && { contentType: message.properties.contentType }),
            ...(message.properties.messageId && { messageId: message.properties.messageId }),
            headers: deadLetterHeaders(message, what),
          });
          from.channel.ack(message);
        }
      }
      await options.beforeCommit?.(batch.map((p) => p.settle.kind));
      await txCommit(from.channel);
      committed = true;
    } catch (error) {
      if (from.alive) {
        // Not committed on a channel still open: drop the connection so the broker gives these
        // messages back (to the next connection) instead of leaving them unacknowledged here.
        log.warn({ err: error }, 'AMQP commit failed; reconnecting so the messages come back');
        from.alive = false;
        void from.connection.close().catch(() => undefined);
      }
    } finally {
      for (const waiting of batch) waiting.done(committed);
      from.flushing = false;
      if (from.pending.length) void flush(from);
    }
  }

  return {
    kind: 'service',
    name: 'intra42-queue',
    get connected() {
      return link?.connected ?? false;
    },
    async start() {
      stopping = false;
      link = new AmqpLink({
        url,
        name: options.name ?? `convene-consumer-${process.pid}`,
        log,
        ...(options.reconnect && { backoff: options.reconnect }),
        onConnect,
        onDisconnect: () => {
          if (session) session.alive = false;
        },
      });
      await link.start();
    },
    async stop() {
      stopping = true;
      const current = session;
      if (current?.alive && current.consumerTag)
        await current.channel.cancel(current.consumerTag).catch(() => undefined);
      for (const wake of [...waits]) wake();
      // Messages being handled finish their database work and are acknowledged before the connection closes.
      await Promise.race([Promise.allSettled([...inFlight]), new Promise((resolve) => setTimeout(resolve, 10_000))]);
      await link?.close();
      link = undefined;
      session = undefined;
      await receive.flushRefusals();
    },
  };
}

/** AMQP headers, lower-cased like HTTP's; the message id stands in for a missing X-Delivery. */
function headersOf(message: ConsumeMessage): Record<string, unknown> {
  const headers: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(message.properties.headers ?? {})) headers[key.toLowerCase()] = value;
  if (headers['x-delivery'] === undefined && message.properties.messageId) {
    headers['x-delivery'] = message.properties.messageId;
  }
  return headers;
}

/**
 * The message's own headers (less its secret) and why it was refused. Only text, numbers and
 * booleans are copied: a table or a typed value the sender made up may not encode again, and a
 * publish that throws would fail the commit of every ack with it, each time the message came back.
 * The names of the others are listed instead.
 */
function deadLetterHeaders(
  message: ConsumeMessage,
  why: { reason: string; status: number; field?: string | undefined },
): Record<string, unknown> {
  const headers: Record<string, unknown> = {};
  const dropped: string[] = [];
  for (const [key, value] of Object.entries(message.properties.headers ?? {})) {
    if (key.toLowerCase() === 'x-secret') continue;
    const plain =
      typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
    if (plain) headers[key] = value;
    else dropped.push(key);
  }
  if (dropped.length) headers['x-convene-dropped-headers'] = dropped.join(',').slice(0, 1000);
  headers[REASON_HEADER] = why.reason.slice(0, 1000);
  headers['x-convene-status'] = why.status;
  if (why.field) headers['x-convene-field'] = why.field;
  headers['x-convene-refused-at'] = new Date().toISOString();
  return headers;
}
