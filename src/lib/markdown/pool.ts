import { Worker } from 'node:worker_threads';
import type { RenderAnswer, RenderJob } from './renderWorker.js';

export type RenderOutcome =
  | { ok: true; html: string }
  | { ok: false; reason: 'too_slow' | 'too_deep' | 'failed' | 'busy'; detail?: string };

export interface MarkdownPoolOptions {
  /** Render threads kept alive (each renders one text at a time). */
  size?: number;
  /** How long one render may take on its thread before the thread is ended and the text refused. */
  deadlineMs?: number;
  /** Texts allowed to wait for a free thread; beyond that a render is refused as busy. */
  maxWaiting?: number;
}

interface Waiting {
  source: string;
  resolve: (outcome: RenderOutcome) => void;
}

interface Slot {
  worker: Worker | null;
  ready: boolean;
  job: (Waiting & { id: number; timer: NodeJS.Timeout }) | null;
}

/**
 * The render worker's module: from src/ (tsx, in development and tests) it is TypeScript, which a
 * plain worker cannot load, so the thread first registers tsx's loader; from dist/ it is plain JS.
 */
function startWorker(): Worker {
  const isTypeScript = import.meta.url.endsWith('.ts');
  const file = new URL(`./renderWorker.${isTypeScript ? 'ts' : 'js'}`, import.meta.url);
  if (!isTypeScript) return new Worker(file);
  const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(file.href)}); });`;
  return new Worker(boot, { eval: true });
}

/**
 * A few long-lived threads that turn Markdown into safe HTML, each render bounded by a deadline.
 * A render that overruns it has its thread ended (the only way to stop a synchronous loop) and a
 * fresh thread takes its place; the event loop of the main thread never runs the renderer, so a
 * hostile text costs one thread for at most the deadline while every request goes on.
 *
 * Idle threads do not keep the process alive; a thread with a job does, until it answers.
 */
export class MarkdownPool {
  private readonly slots: Slot[];
  private readonly waiting: Waiting[] = [];
  private readonly deadlineMs: number;
  private readonly maxWaiting: number;
  private nextId = 1;
  private closed = false;

  constructor(options: MarkdownPoolOptions = {}) {
    this.deadlineMs = options.deadlineMs ?? 500;
    this.maxWaiting = options.maxWaiting ?? 64;
    this.slots = Array.from({ length: Math.max(1, options.size ?? 2) }, () => ({
      worker: null,
      ready: false,
      job: null,
    }));
  }

  /** Renders now if a thread is free, else after the texts already waiting. */
  render(source: string): Promise<RenderOutcome> {
    if (this.closed) return Promise.resolve({ ok: false, reason: 'failed', detail: 'the renderer is closed' });
    if (this.waiting.length >= this.maxWaiting) return Promise.resolve({ ok: false, reason: 'busy' });
    return new Promise((resolve) => {
      this.waiting.push({ source, resolve });
      this.dispatch();
    });
  }

  /**
   * Starts every thread now rather than at the first render: loading the renderer in a fresh
   * thread takes from a tenth of a second to a few on a busy machine, which the first person to
   * save a description should not wait for.
   */
  warm(): void {
    if (this.closed) return;
    for (const slot of this.slots) if (!slot.worker) this.spawn(slot);
  }

  /** Renders in progress or waiting (for tests and metrics). */
  get pending(): number {
    return this.waiting.length + this.slots.filter((slot) => slot.job).length;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiting of this.waiting.splice(0))
      waiting.resolve({ ok: false, reason: 'failed', detail: 'the renderer is closed' });
    await Promise.all(
      this.slots.map(async (slot) => {
        if (slot.job) this.finish(slot, { ok: false, reason: 'failed', detail: 'the renderer is closed' });
        const worker = slot.worker;
        slot.worker = null;
        if (worker) await worker.terminate();
      }),
    );
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (!this.waiting.length) return;
      if (slot.job) continue;
      if (!slot.worker) this.spawn(slot);
      if (!slot.ready) continue;
      const next = this.waiting.shift() as Waiting;
      const id = this.nextId++;
      const timer = setTimeout(() => this.overran(slot, id), this.deadlineMs);
      slot.job = { ...next, id, timer };
      slot.worker?.ref();
      slot.worker?.postMessage({ id, source: next.source } satisfies RenderJob);
    }
  }

  private spawn(slot: Slot): void {
    const worker = startWorker();
    slot.worker = worker;
    slot.ready = false;
    // Held while it starts, since a render is waiting for it.
    worker.on('message', (answer: RenderAnswer) => {
      if (slot.worker !== worker) return;
      if ('ready' in answer) {
        slot.ready = true;
        worker.unref();
        this.dispatch();
        return;
      }
      if (slot.job?.id !== answer.id) return;
      this.finish(
        slot,
        'html' in answer
          ? { ok: true, html: answer.html }
          : { ok: false, reason: answer.failure, detail: answer.detail },
      );
    });
    const lost = (detail: string) => {
      if (slot.worker !== worker) return;
      const started = slot.ready;
      slot.worker = null;
      slot.ready = false;
      if (slot.job) this.finish(slot, { ok: false, reason: 'failed', detail });
      else if (!started) {
        // A thread that dies before it is ready would die again: the texts waiting are refused
        // rather than respawning it in a loop; the next render tries again.
        for (const waiting of this.waiting.splice(0)) waiting.resolve({ ok: false, reason: 'failed', detail });
      } else if (this.waiting.length && !this.closed) this.dispatch();
    };
    worker.on('error', (error) => lost(error.message));
    worker.on('exit', (code) => lost(`the render thread ended (${code})`));
  }

  private overran(slot: Slot, id: number): void {
    if (slot.job?.id !== id) return;
    const worker = slot.worker;
    slot.worker = null;
    slot.ready = false;
    void worker?.terminate();
    this.finish(slot, { ok: false, reason: 'too_slow' });
  }

  private finish(slot: Slot, outcome: RenderOutcome): void {
    const job = slot.job;
    if (!job) return;
    clearTimeout(job.timer);
    slot.job = null;
    slot.worker?.unref();
    job.resolve(outcome);
    if (!this.closed) this.dispatch();
  }
}
