import type * as PromClient from 'prom-client';

/**
 * Process metrics for Prometheus. Off unless `metrics.enabled`: until `enableMetrics()` runs, every
 * record function below is a no-op and prom-client is never loaded, so a one-off CLI command or a
 * server without metrics pays nothing.
 *
 * Counted in this process (Prometheus adds up the processes): HTTP request durations by route, job
 * runs and failures, scheduled (cron) job runs, messages by channel and outcome. Read from the
 * database at each scrape, so the same in every process: outbox depth and lag, rounds made, inbound
 * deliveries, unconference scheduler runs.
 */
interface Instruments {
  registry: PromClient.Registry;
  http: PromClient.Histogram<'method' | 'route' | 'status_code'>;
  jobRuns: PromClient.Counter<'job' | 'outcome'>;
  jobSeconds: PromClient.Histogram<'job'>;
  scheduledRuns: PromClient.Counter<'job'>;
  messages: PromClient.Counter<'channel' | 'outcome'>;
}

let instruments: Instruments | null = null;
let readCurrent: DatabaseGauges | null = null;

/** What the database says at scrape time; given by the server, which has the database. */
export type DatabaseGauges = () => Promise<{
  outbox: Array<{ status: string; count: number }>;
  outboxLagSeconds: number;
  rounds: number;
  deliveries: Array<{ source: string; outcome: string; count: number }>;
  schedulerRuns: Array<{ status: string; count: number }>;
}>;

export async function enableMetrics(readDatabase: DatabaseGauges): Promise<PromClient.Registry> {
  readCurrent = readDatabase;
  if (instruments) return instruments.registry;
  const client = await import('prom-client');
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'convene_' });
  const made: Instruments = {
    registry,
    http: new client.Histogram({
      name: 'convene_http_request_duration_seconds',
      help: 'HTTP requests by method, route pattern and status code.',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    jobRuns: new client.Counter({
      name: 'convene_job_runs_total',
      help: 'Background job runs in this process, by job and outcome (ok or failed).',
      labelNames: ['job', 'outcome'],
      registers: [registry],
    }),
    jobSeconds: new client.Histogram({
      name: 'convene_job_run_duration_seconds',
      help: 'How long background job runs took, by job.',
      labelNames: ['job'],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
      registers: [registry],
    }),
    scheduledRuns: new client.Counter({
      name: 'convene_scheduled_job_runs_total',
      help: 'Cron-timed jobs (directory sync, backup) run by this process, once per scheduled time across processes.',
      labelNames: ['job'],
      registers: [registry],
    }),
    messages: new client.Counter({
      name: 'convene_messages_total',
      help: 'Outgoing messages handled by this process, by channel and outcome (sent, retried, failed, skipped).',
      labelNames: ['channel', 'outcome'],
      registers: [registry],
    }),
  };
  const gauge = (name: string, help: string, labelNames: string[] = []) =>
    new client.Gauge({ name, help, labelNames, registers: [registry] });
  const outbox = gauge('convene_outbox_messages', 'Messages in the outbox waiting or being sent, by status.', [
    'status',
  ]);
  const lag = gauge('convene_outbox_lag_seconds', 'How long the oldest due message has waited (0 when none is due).');
  const rounds = gauge('convene_mixer_rounds', 'Mixer rounds made, all time.');
  const deliveries = gauge('convene_inbound_deliveries', 'Inbound deliveries recorded, by source and outcome.', [
    'source',
    'outcome',
  ]);
  const scheduler = gauge('convene_scheduler_runs', 'Unconference scheduler runs, by status.', ['status']);
  // One database read per scrape for all of them, before the registry renders.
  const originalMetrics = registry.metrics.bind(registry);
  registry.metrics = async () => {
    const now = await (readCurrent ?? readDatabase)();
    outbox.reset();
    for (const status of ['pending', 'sending']) outbox.set({ status }, 0);
    for (const row of now.outbox) outbox.set({ status: row.status }, row.count);
    lag.set(now.outboxLagSeconds);
    rounds.set(now.rounds);
    deliveries.reset();
    for (const row of now.deliveries) deliveries.set({ source: row.source, outcome: row.outcome }, row.count);
    scheduler.reset();
    for (const row of now.schedulerRuns) scheduler.set({ status: row.status }, row.count);
    return originalMetrics();
  };
  instruments = made;
  return registry;
}

export function recordRequest(method: string, route: string, statusCode: number, seconds: number): void {
  instruments?.http.observe({ method, route, status_code: String(statusCode) }, seconds);
}

export function recordJobRun(job: string, ok: boolean, seconds: number): void {
  if (!instruments) return;
  instruments.jobRuns.inc({ job, outcome: ok ? 'ok' : 'failed' });
  instruments.jobSeconds.observe({ job }, seconds);
}

export function recordScheduledRun(job: string): void {
  instruments?.scheduledRuns.inc({ job });
}

export function recordMessage(channel: string, outcome: 'sent' | 'retried' | 'failed' | 'skipped'): void {
  instruments?.messages.inc({ channel, outcome });
}

/** Tests: forget the instruments, as a new process would. */
export function resetMetricsForTests(): void {
  instruments = null;
}
