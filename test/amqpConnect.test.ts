import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import { AmqpLink } from '../src/integrations/amqp.js';
import { rabbitUnderTest } from './helpers/rabbit.js';

const rabbit = await rabbitUnderTest();
after(() => rabbit?.close());

/** What starting a link to `url` fails with: the operator's message, without the password. */
async function failureOf(url: string): Promise<string> {
  const link = new AmqpLink({
    url,
    name: 'convene-test-bad-link',
    log: pino({ level: 'silent' }) as unknown as FastifyBaseLogger,
    onConnect: async () => undefined,
  });
  try {
    await link.start();
  } catch (error) {
    return (error as Error).message;
  } finally {
    await link.close();
  }
  throw new Error(`${url} connected`);
}

test('a broker that refuses the password, or nothing listening, is said plainly, without the password', async () => {
  const closed = await failureOf('amqp://guest:guest@127.0.0.1:9');
  assert.match(closed, /^AMQP: nothing answers at 127\.0\.0\.1:9: is RabbitMQ running/);
  if (!rabbit) return;
  const url = new URL(rabbit.url);
  url.password = 'not-the-password-42';
  const refused = await failureOf(url.toString());
  assert.match(refused, /^AMQP: the broker at .+ refused the user name or password/);
  assert.doesNotMatch(refused, /not-the-password-42/);
});
