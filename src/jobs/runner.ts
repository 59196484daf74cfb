import type { FastifyBaseLogger } from 'fastify';

export interface Job {
  name: string;
  everyMs: number;
  run(): Promise<void>;
}

/**
 * Runs each job on its interval, one run of a job at a time, and waits for runs in flight on stop.
 * Jobs coordinate across processes through the database (unique keys, claimed rows), not here.
 */
export function startJobs(jobs: Job[], log: FastifyBaseLogger): { stop(): Promise<void> } {
  const running = new Map<string, Promise<void>>();
  let stopped = false;
  const timers = jobs.map((job) => {
    const tick = () => {
      if (stopped || running.has(job.name)) return;
      const run = job
        .run()
        .catch((error: unknown) => log.error({ err: error, job: job.name }, 'job failed'))
        .finally(() => running.delete(job.name));
      running.set(job.name, run);
    };
    setImmediate(tick);
    return setInterval(tick, job.everyMs);
  });
  return {
    async stop() {
      stopped = true;
      for (const timer of timers) clearInterval(timer);
      await Promise.all(running.values());
    },
  };
}
