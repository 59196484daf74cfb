import { parentPort } from 'node:worker_threads';
import { markdownToSafeHtml } from './html.js';

/** A job for the render thread, and its answer. */
export interface RenderJob {
  id: number;
  source: string;
}
export type RenderAnswer =
  | { id: number; html: string }
  | { id: number; failure: 'too_deep' | 'failed'; detail: string }
  | { ready: true };

const port = parentPort;
if (!port) throw new Error('renderWorker runs only as a worker thread');

// The first render of a fresh thread pays for compiling marked and sanitize-html: done here, before
// the pool starts a job's clock, so a deadline only ever measures the job itself.
markdownToSafeHtml('# warm\n\n**up** _a_ [b](https://example.org)\n\n- c\n\n> d');

port.on('message', (job: RenderJob) => {
  let answer: RenderAnswer;
  try {
    answer = { id: job.id, html: markdownToSafeHtml(job.source) };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    // Deep nesting (quotes, lists) recurses once per level; marked wraps the RangeError in its own.
    const tooDeep = error instanceof RangeError || /Maximum call stack size exceeded/.test(detail);
    answer = { id: job.id, failure: tooDeep ? 'too_deep' : 'failed', detail: detail.slice(0, 200) };
  }
  port.postMessage(answer);
});
port.postMessage({ ready: true } satisfies RenderAnswer);
