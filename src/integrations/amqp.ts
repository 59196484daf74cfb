import type { Channel, ChannelModel } from 'amqplib';
import type { FastifyBaseLogger } from 'fastify';
import { connectGuarded } from './amqpHeaderGuard.js';

/** AMQP 0-9-1 `tx` methods (class 90), which amqplib can send but has no named call for. */
const TX_SELECT = 5898250;
const TX_SELECT_OK = 5898251;
const TX_COMMIT = 5898260;
const TX_COMMIT_OK = 5898261;

type RpcChannel = Channel & { rpc(method: number, fields: object, expect: number): Promise<unknown> };

/** Puts a channel in transaction mode: its publishes and acks take effect together, at `txCommit`. */
export async function txSelect(channel: Channel): Promise<void> {
  await (channel as RpcChannel).rpc(TX_SELECT, {}, TX_SELECT_OK);
}

/**
 * Commits what the channel published and acknowledged since the last commit, all or nothing: a
 * connection lost before the broker got the commit takes none of it (the messages come back).
 */
export async function txCommit(channel: Channel): Promise<void> {
  await (channel as RpcChannel).rpc(TX_COMMIT, {}, TX_COMMIT_OK);
}

export interface Backoff {
  firstMs: number;
  maxMs: number;
}

export const defaultBackoff: Backoff = { firstMs: 500, maxMs: 30_000 };

/** The next wait: doubled each time up to the cap, with ±20 % jitter so consumers do not reconnect in step. */
export function nextDelay(previous: number | undefined, backoff: Backoff): number {
  const base = previous === undefined ? backoff.firstMs : Math.min(previous * 2, backoff.maxMs);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

export interface AmqpLinkOptions {
  url: string;
  /** Shown by the broker (`rabbitmqctl list_connections user_provided_name`). */
  name: string;
  log: FastifyBaseLogger;
  backoff?: Backoff;
  /** Sets up each new connection (channels, queues, consumers); a throw closes it and retries. */
  onConnect(connection: ChannelModel): Promise<void>;
  /** The connection in use is gone (closed by the broker, lost, or closed here). */
  onDisconnect?(): void;
}

/**
 * One AMQP connection kept open: after the broker closes it or it is lost, a new one is opened
 * after a backoff (0.5 s doubling to 30 s, jittered) and set up again by `onConnect`. The first
 * connection must succeed for `start` to resolve; the caller decides how to retry that.
 */
export class AmqpLink {
  private connection: ChannelModel | undefined;
  private closed = false;
  private delay: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly backoff: Backoff;

  constructor(private readonly options: AmqpLinkOptions) {
    this.backoff = options.backoff ?? defaultBackoff;
  }

  async start(): Promise<void> {
    await this.connect();
  }

  get connected(): boolean {
    return this.connection !== undefined;
  }

  private async connect(): Promise<void> {
    const { connection } = await connectGuarded(this.options.url, {
      clientProperties: { connection_name: this.options.name },
    }).catch((error: unknown) => {
      throw explainConnectFailure(error, this.options.url);
    });
    let gone = false;
    const lost = (error?: unknown) => {
      if (gone) return;
      gone = true;
      if (this.connection === connection) this.connection = undefined;
      this.options.onDisconnect?.();
      if (this.closed) return;
      this.options.log.warn({ err: error, connection: this.options.name }, 'AMQP connection lost; reconnecting');
      this.reconnectLater();
    };
    // Without an 'error' listener a broker-side close would throw out of the event emitter.
    connection.on('error', (error: Error) => lost(error));
    connection.on('close', (error?: Error) => lost(error));
    try {
      await this.options.onConnect(connection);
    } catch (error) {
      gone = true;
      await connection.close().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await connection.close().catch(() => undefined);
      return;
    }
    this.connection = connection;
    this.delay = undefined;
  }

  private reconnectLater(): void {
    if (this.closed || this.timer) return;
    this.delay = nextDelay(this.delay, this.backoff);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.closed) return;
      this.connect().then(
        () => this.options.log.info({ connection: this.options.name }, 'AMQP connection restored'),
        (error: unknown) => {
          this.options.log.warn(
            { err: error, connection: this.options.name, retryInMs: this.delay },
            'AMQP reconnect failed',
          );
          this.reconnectLater();
        },
      );
    }, this.delay);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    const connection = this.connection;
    this.connection = undefined;
    await connection?.close().catch(() => undefined);
  }
}

/**
 * What an operator can act on, instead of amqplib's own words ("Handshake terminated by server:
 * 403 (ACCESS-REFUSED)…"): which broker, and what to check. The URL is shown without its password.
 */
export function explainConnectFailure(error: unknown, url: string): Error {
  const text = String((error as Error)?.message ?? error);
  let where = 'the broker';
  try {
    const parsed = new URL(url);
    where = `${parsed.hostname}:${parsed.port || (parsed.protocol === 'amqps:' ? 5671 : 5672)}`;
  } catch {
    // an unreadable URL keeps the generic name
  }
  const hint = /ACCESS.REFUSED|\b403\b/i.test(text)
    ? `the broker at ${where} refused the user name or password in the AMQP URL`
    : /ECONNREFUSED/.test(text)
      ? `nothing answers at ${where}: is RabbitMQ running, and is the AMQP URL's host and port right?`
      : /NOT.ALLOWED|\b530\b/i.test(text)
        ? `the broker at ${where} does not let this user into the URL's virtual host`
        : `could not connect to ${where}`;
  return new Error(`AMQP: ${hint} (${text.slice(0, 200)})`, { cause: error });
}
