import type { Command } from 'commander';
import { startWorker } from '../app.js';
import { loadConfig } from '../config.js';
import { intra42QueueConsumer } from '../features/ingest/queueConsumer.js';
import { badRequest } from '../lib/errors.js';
import { print } from './context.js';

export function registerIngestCommands(program: Command): void {
  program
    .command('consume')
    .description(
      "Consume the 42 intranet's RabbitMQ queue (intra42.amqp.url) until stopped; reconnects by itself, stops cleanly on SIGTERM.",
    )
    .action(async () => {
      const config = loadConfig();
      if (!config.intra42.amqp.url) {
        throw badRequest('intra42.amqp.url is not set (CONVENE_INTRA42_AMQP_URL): there is no queue to consume.');
      }
      let consumer: ReturnType<typeof intra42QueueConsumer> | undefined;
      // The consumer alone, under the job runner: a start that fails (broker down) is retried with backoff.
      const worker = await startWorker(config, {
        jobs: (ctx, log) => {
          consumer = intra42QueueConsumer({
            db: ctx.database.db,
            config: ctx.config,
            log,
            refusals: ctx.inboundRefusals,
          });
          return [consumer];
        },
      });
      let stopping = false;
      const shutdown = () => {
        stopping = true;
        const force = setTimeout(() => process.exit(1), 15_000);
        force.unref();
        worker.stop().then(
          () => {
            print(`Stopped consuming ${config.intra42.amqp.queue}.`);
            process.exit(0);
          },
          () => process.exit(1),
        );
      };
      process.once('SIGTERM', shutdown);
      process.once('SIGINT', shutdown);
      while (!stopping && !consumer?.connected) await new Promise((resolve) => setTimeout(resolve, 50));
      if (!stopping) {
        print(
          `Convene is consuming ${config.intra42.amqp.queue} (prefetch ${config.intra42.amqp.prefetch}, database: ${worker.ctx.database.engine})`,
        );
      }
    });
}
