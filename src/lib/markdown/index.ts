import { AppError, badRequest } from '../errors.js';
import { deepestNesting, MAX_NESTING } from './nesting.js';
import { MarkdownPool, type RenderOutcome } from './pool.js';

export { MarkdownPool, type MarkdownPoolOptions, type RenderOutcome } from './pool.js';

let shared: MarkdownPool | undefined;

/** The process's render threads, started at the first render. */
export function markdownPool(): MarkdownPool {
  shared ??= new MarkdownPool();
  return shared;
}

/** Ends the render threads (tests, shutdown); the next render starts new ones. */
export async function closeMarkdownPool(): Promise<void> {
  const pool = shared;
  shared = undefined;
  await pool?.close();
}

function refusal(outcome: Exclude<RenderOutcome, { ok: true }>, field: string): AppError {
  switch (outcome.reason) {
    case 'too_slow':
      return badRequest(
        `${field}: takes too long to format. Simplify the Markdown, for example fewer brackets or emphasis marks in a row.`,
        field,
      );
    case 'too_deep':
      return badRequest(
        `${field}: is nested too deeply (quotes or lists inside each other). Use at most ${MAX_NESTING} levels.`,
        field,
      );
    case 'busy':
      return new AppError(
        'too_many_requests',
        'Too many texts are being formatted right now. Try again in a moment.',
        field,
        { 'retry-after': '1' },
      );
    default:
      return badRequest(`${field}: could not be formatted as Markdown.`, field);
  }
}

/**
 * Markdown written by a person → HTML safe to put in a page, rendered off the event loop within a
 * deadline. A text that cannot be rendered in time, or nests too deeply, is refused with a 400
 * naming `field`: every text rendered from user input goes through here, whatever the feature.
 */
export async function renderMarkdown(source: string, field: string, pool = markdownPool()): Promise<string> {
  if (!source.trim()) return '';
  if (deepestNesting(source) > MAX_NESTING) throw refusal({ ok: false, reason: 'too_deep' }, field);
  const outcome = await pool.render(source);
  if (outcome.ok) return outcome.html;
  throw refusal(outcome, field);
}
