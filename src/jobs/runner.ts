import type { FastifyBaseLogger } from 'fastify';
import { reportError } from '../lib/errorReports.js';
import { recordJobRun } from '../lib/metrics.js';

/** A job run every `everyMs`, one run at a time per process. */
export interface IntervalJob {
  kind?: 'interval';
  name: string;
  everyMs: number;
  /**
   * One run. `signal` is aborted when the process stops: a run that may go on for long (the outbox
   * draining a backlog) ends early then, leaving nothing half done.
   */
  run(signal?: AbortSignal): Promise<void>;
  /** Releases what the job keeps between runs; called once, after its last run. */
  close?(): void | Promise<void>;
}

/**
 * A long-lived service (a queue consumer): started with the process and stopped before the
 * database closes. `start` resolves once the service is up; a service that fails later on its own
 * calls `crashed`, and the runner stops it and starts it again after a backoff.
 */
export interface Service {
  kind: 'service';
  name: string;
  start(crashed: (error: unknown) => void): Promise<void>;
  /** Stops a running service, or cleans up after one that crashed or failed to start. */
  stop(): Promise<void>;
}

export type Job = IntervalJob | Service;

export interface RestartPolicy {
  /** Wait before the first restart; doubled after each crash up to `maxDelayMs`. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** A service up this long is healthy again: its next crash waits `firstDelayMs` once more. */
  healthyAfterMs: number;
}

export const defaultRestartPolicy: RestartPolicy = { firstDelayMs: 1_000, maxDelayMs: 60_000, healthyAfterMs: 60_000 };

export interface RunningJobs {
  /** Stops the timers and the services, and waits for runs in flight. */
  stop(): Promise<void>;
}

const isService = (job: Job): job is Service => job.kind === 'service';

/**
 * Runs the interval jobs on their intervals and keeps the services running. Jobs coordinate across
 * processes through the database (unique keys, claimed rows, `job_leases`), not here.
 */
export function startJobs(jobs: Job[], log: FastifyBaseLogger, options: { restart?: RestartPolicy } = {}): RunningJobs {
  const intervals = jobs.filter((job): job is IntervalJob => !isService(job)).map((job) => everyInterval(job, log));
  const services = jobs
    .filter(isService)
    .map((service) => supervise(service, log, options.restart ?? defaultRestartPolicy));
  return {
    async stop() {
      await Promise.all([...intervals, ...services].map((running) => running.stop()));
    },
  };
}

function everyInterval(job: IntervalJob, log: FastifyBaseLogger): RunningJobs {
  let running: Promise<void> | undefined;
  let stopped = false;
  // Aborted by stop(): tells the run in flight to wind down rather than be waited for to its end.
  const stopping = new AbortController();
  const tick = () => {
    if (stopped || running) return;
    const started = performance.now();
    running = job
      .run(stopping.signal)
      .then(
        () => recordJobRun(job.name, true, (performance.now() - started) / 1000),
        (error: unknown) => {
          recordJobRun(job.name, false, (performance.now() - started) / 1000);
          log.error({ err: error, job: job.name }, 'job failed');
          reportError(error, { job: job.name });
        },
      )
      .finally(() => {
        running = undefined;
      });
  };
  const first = setImmediate(tick);
  const timer = setInterval(tick, job.everyMs);
  return {
    async stop() {
      stopped = true;
      clearImmediate(first);
      clearInterval(timer);
      stopping.abort();
      await running;
      try {
        await job.close?.();
      } catch (error) {
        log.error({ err: error, job: job.name }, 'job failed to close');
      }
    },
  };
}

/**
 * Keeps one service running. Start, crash handling and stop are chained one after another, so a
 * stop that arrives during a start waits for it and then stops what it started.
 */
function supervise(service: Service, log: FastifyBaseLogger, policy: RestartPolicy): RunningJobs {
  let stopped = false;
  let up = false;
  let upSince = 0;
  let delay = policy.firstDelayMs;
  let restartTimer: NodeJS.Timeout | undefined;
  // Each start gets a new generation; a crash reported by an older one is stale and ignored.
  let generation = 0;
  let chain: Promise<void> = Promise.resolve();
  const serially = (step: () => Promise<void>) => {
    chain = chain.then(step, step);
    return chain;
  };

  const crash = (error: unknown, of: number) =>
    serially(async () => {
      if (stopped || of !== generation) return;
      generation++;
      const wasUp = up;
      up = false;
      if (wasUp && Date.now() - upSince >= policy.healthyAfterMs) delay = policy.firstDelayMs;
      log.error({ err: error, job: service.name, restartInMs: delay }, 'service crashed; restarting');
      reportError(error, { job: service.name });
      await service
        .stop()
        .catch((stopError: unknown) =>
          log.error({ err: stopError, job: service.name }, 'service failed to stop after a crash'),
        );
      restartTimer = setTimeout(() => void start(), delay);
      delay = Math.min(delay * 2, policy.maxDelayMs);
    });

  const start = () =>
    serially(async () => {
      if (stopped) return;
      const mine = ++generation;
      try {
        await service.start((error) => void crash(error, mine));
      } catch (error) {
        // Queued behind this step, like a crash reported while running.
        void crash(error, mine);
        return;
      }
      if (mine !== generation) return;
      up = true;
      upSince = Date.now();
      log.info({ job: service.name }, 'service started');
    });

  void start();
  return {
    stop() {
      stopped = true;
      clearTimeout(restartTimer);
      return serially(async () => {
        if (!up) return;
        up = false;
        try {
          await service.stop();
        } catch (error) {
          log.error({ err: error, job: service.name }, 'service failed to stop');
        }
      });
    },
  };
}
