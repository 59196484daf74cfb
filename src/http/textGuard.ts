import type { FastifyInstance } from 'fastify';
import { badRequest } from '../lib/errors.js';
import { issuePath } from '../lib/zodMessage.js';

// An unpaired half of a UTF-16 surrogate pair: not a character, and not storable as UTF-8.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What is wrong with a piece of text no route should accept, or null when nothing is. */
export function textProblem(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain a NUL character (\\u0000)';
  if (LONE_SURROGATE.test(text)) return 'must not contain an unpaired surrogate (a broken character)';
  return null;
}

/**
 * The first string in `value` (keys included) that no route should accept, with its path: NUL,
 * which PostgreSQL refuses in text (a 500 there, silently stored by SQLite), and lone surrogates,
 * which cannot be stored as UTF-8 at all. Iterative, so a deeply nested body cannot overflow the
 * stack.
 */
export function findBadText(value: unknown): { path: string; problem: string } | null {
  // Each node points to its parent: the path is built only for the string that fails, so a deeply
  // nested body costs one pass, not one copy of the path per level.
  interface Node {
    value: unknown;
    key: string | number | null;
    parent: Node | null;
  }
  const pathOf = (node: Node | null, last?: string): string => {
    const parts: Array<string | number> = last === undefined ? [] : [last];
    for (let at = node; at && at.key !== null; at = at.parent) parts.push(at.key);
    return issuePath(parts.reverse());
  };
  const stack: Node[] = [{ value, key: null, parent: null }];
  while (stack.length) {
    const node = stack.pop() as Node;
    const current = node.value;
    if (typeof current === 'string') {
      const problem = textProblem(current);
      if (problem) return { path: pathOf(node), problem };
    } else if (ArrayBuffer.isView(current)) {
      // Raw bytes (a body a route reads itself, e.g. the 42 webhook's) are that route's to check:
      // walked here byte by byte, 256 kB held the event loop a third of a second.
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push({ value: current[i], key: i, parent: node });
    } else if (current !== null && typeof current === 'object') {
      for (const [key, child] of Object.entries(current)) {
        const problem = textProblem(key);
        if (problem) return { path: pathOf(node, key), problem: `has a key that ${problem}` };
        stack.push({ value: child, key, parent: node });
      }
    }
  }
  return null;
}

const partName = { params: 'path', query: 'query', body: 'body' } as const;

/**
 * One check for every route, before its own validation: the path parameters, the query and the
 * parsed body may hold no NUL and no lone surrogate. Answers 400 naming the field.
 */
export function registerTextGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    for (const part of ['params', 'query', 'body'] as const) {
      const found = findBadText(request[part]);
      if (!found) continue;
      const field = found.path || undefined;
      throw badRequest(field ? `${field}: ${found.problem}` : `The request ${partName[part]} ${found.problem}.`, field);
    }
  });
}
