import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import amqp, { type ChannelModel, type ConfirmChannel, type GetMessage } from 'amqplib';

const run = promisify(execFile);
const amqpUrl = process.env.CONVENE_TEST_AMQP_URL;

/**
 * The RabbitMQ the queue tests run against: CONVENE_TEST_AMQP_URL. Without it the tests are skipped
 * on a developer's machine; under CI (CI=true) a missing URL or an unreachable broker is an error.
 */
export async function rabbitUnderTest(): Promise<Rabbit | null> {
  if (!amqpUrl) {
    if (process.env.CI === 'true') {
      throw new Error('CI=true but CONVENE_TEST_AMQP_URL is not set: the RabbitMQ tests must run in CI.');
    }
    return null;
  }
  let connection: ChannelModel;
  try {
    connection = await amqp.connect(amqpUrl, { clientProperties: { connection_name: 'convene-test-publisher' } });
  } catch (error) {
    throw new Error(`RabbitMQ at CONVENE_TEST_AMQP_URL is unreachable: ${(error as Error).message}`);
  }
  connection.on('error', () => undefined);
  const channel = await connection.createConfirmChannel();
  return new Rabbit(amqpUrl, connection, channel);
}

export interface QueueNames {
  queue: string;
  deadLetterExchange: string;
  deadLetterQueue: string;
}

export class Rabbit {
  private readonly made: QueueNames[] = [];

  constructor(
    readonly url: string,
    private readonly connection: ChannelModel,
    private readonly channel: ConfirmChannel,
  ) {}

  /** Queue names no other test (or engineer) on this broker uses. */
  async freshQueues(): Promise<QueueNames> {
    const tag = randomBytes(5).toString('hex');
    const names = {
      queue: `convene-test-${tag}`,
      deadLetterExchange: `convene-test-${tag}.dlx`,
      deadLetterQueue: `convene-test-${tag}.dead`,
    };
    await this.channel.assertQueue(names.queue, { durable: true });
    await this.channel.assertExchange(names.deadLetterExchange, 'direct', { durable: true });
    await this.channel.assertQueue(names.deadLetterQueue, { durable: true });
    await this.channel.bindQueue(names.deadLetterQueue, names.deadLetterExchange, names.deadLetterQueue);
    this.made.push(names);
    return names;
  }

  /** Publishes and waits for the broker's confirms. */
  async publish(
    queue: string,
    messages: Array<{ body: string; headers: Record<string, unknown>; messageId?: string }>,
  ): Promise<void> {
    for (const m of messages) {
      this.channel.sendToQueue(queue, Buffer.from(m.body), {
        persistent: true,
        contentType: 'application/json',
        headers: m.headers,
        ...(m.messageId && { messageId: m.messageId }),
      });
    }
    await this.channel.waitForConfirms();
  }

  /** Messages ready in a queue (not counting those a consumer holds unacknowledged). */
  async ready(queue: string): Promise<number> {
    return (await this.channel.checkQueue(queue)).messageCount;
  }

  /** Takes every message out of a queue. */
  async drain(queue: string): Promise<GetMessage[]> {
    const all: GetMessage[] = [];
    for (;;) {
      const message = await this.channel.get(queue, { noAck: true });
      if (!message) return all;
      all.push(message);
    }
  }

  /**
   * Closes, from the broker's side, every connection whose client called itself `name`, as
   * `rabbitmqctl close_connection` does (the client sees CONNECTION_FORCED). One `rabbitmqctl eval`
   * finds and closes them: each rabbitmqctl start costs over a second of CPU, listing then closing
   * took two.
   */
  async closeConnectionsNamed(name: string): Promise<number> {
    if (!/^[\w.-]+$/.test(name)) throw new Error(`a connection name of letters, digits, '.', '-' and '_': ${name}`);
    const named = `{<<"connection_name">>, longstr, <<"${name}">>}`;
    // A connection still in its handshake has no client properties yet (`none`, not a list): it is
    // not the one named (with the header guard's relay, the broker sees it open a moment earlier).
    const clientProperties =
      'proplists:get_value(client_properties, rabbit_networking:connection_info(P, [client_properties]), [])';
    const isNamed = `case ${clientProperties} of Props when is_list(Props) -> lists:keyfind(<<"connection_name">>, 1, Props) =:= ${named}; _ -> false end`;
    const program =
      `Mine = [P || P <- rabbit_networking:connections(), ${isNamed}], ` +
      '[rabbit_networking:close_connection(P, "test: broker closes the connection") || P <- Mine], length(Mine).';
    const { stdout } = await run('rabbitmqctl', ['-q', 'eval', program]);
    const closed = Number(stdout.trim());
    if (!Number.isInteger(closed)) throw new Error(`rabbitmqctl eval answered ${stdout}`);
    return closed;
  }

  async close(): Promise<void> {
    for (const names of this.made) {
      await this.channel.deleteQueue(names.queue).catch(() => undefined);
      await this.channel.deleteQueue(names.deadLetterQueue).catch(() => undefined);
      await this.channel.deleteExchange(names.deadLetterExchange).catch(() => undefined);
    }
    await this.connection.close().catch(() => undefined);
  }
}
