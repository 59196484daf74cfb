import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * How much JSON text one `JSON.parse` takes before the event loop gets a turn. A 20 MB staff feed
 * parsed in one call held the loop for about 135 ms; a streaming tokenizer written in JavaScript
 * (@streamparser/json, measured) was 30 times slower and still held it for half a second at a time.
 */
const GROUP_CHARS = 256 * 1024;

export class JsonTextError extends Error {}

const [QUOTE, BACKSLASH, COMMA, OPEN_SQUARE, CLOSE_SQUARE, OPEN_CURLY, CLOSE_CURLY] = [
  '"',
  '\\',
  ',',
  '[',
  ']',
  '{',
  '}',
].map((c) => c.charCodeAt(0));

/** `JSON.parse`'s "at position N" (when it gives one) counts from the slice it was given; the reader wants the file's. */
function shiftPosition(message: string, by: number): string {
  return message.replace(/position (\d+)/, (_, at: string) => `position ${Number(at) + by}`);
}

/**
 * Where the top-level element that starts at `from` ends: the index of the `,` or `]` after it,
 * or -1 when the text ends first. Brackets inside strings do not count.
 */
function elementEnd(text: string, from: number): number {
  let depth = 0;
  let inString = false;
  for (let at = from; at < text.length; at++) {
    const c = text.charCodeAt(at);
    if (inString) {
      if (c === BACKSLASH) at++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_SQUARE || c === OPEN_CURLY) depth++;
    else if (depth > 0 && (c === CLOSE_SQUARE || c === CLOSE_CURLY)) depth--;
    else if (depth === 0 && (c === COMMA || c === CLOSE_SQUARE)) return at;
  }
  return -1;
}

/** The items between `from` and `to`; when they are not JSON, says which item and where it starts. */
function parseGroup(text: string, from: number, to: number, firstIndex: number): unknown[] {
  try {
    return JSON.parse(`[${text.slice(from, to)}]`) as unknown[];
  } catch (error) {
    for (let at = from, index = firstIndex; at < to; index++) {
      let end = elementEnd(text, at);
      if (end < 0 || end > to) end = to;
      try {
        JSON.parse(text.slice(at, end));
      } catch (itemError) {
        const message = shiftPosition((itemError as Error).message, at);
        throw new JsonTextError(`${message}, in item [${index}], which starts at character ${at}`);
      }
      at = end + 1;
    }
    throw new JsonTextError(shiftPosition((error as Error).message, from - 1));
  }
}

/**
 * Parses a JSON document that is usually one large array, giving the event loop a turn every
 * 256 KiB: a fast scan finds where the top-level items end, and `JSON.parse` reads them a group at
 * a time. Anything else (an object, a short text) is parsed in one call, as `JSON.parse` would.
 * Throws JsonTextError, with JSON.parse's message, the item and its position in the whole text,
 * when the text is not JSON.
 */
export async function parseJsonInTurns(text: string): Promise<unknown> {
  let start = 0;
  while (start < text.length && /\s/.test(text[start] ?? '')) start++;
  if (text.length - start <= GROUP_CHARS || text.charCodeAt(start) !== OPEN_SQUARE) {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new JsonTextError((error as Error).message);
    }
  }
  const items: unknown[] = [];
  let groupStart = start + 1;
  let at = groupStart;
  for (;;) {
    const end = elementEnd(text, at);
    if (end < 0) throw new JsonTextError('Unexpected end of JSON input: the array is not closed');
    if (text.charCodeAt(end) === CLOSE_SQUARE) {
      // `[…, ]` cut at its last comma would leave a blank group, which JSON.parse reads as no items.
      if (groupStart > start + 1 && !/\S/.test(text.slice(groupStart, end))) {
        throw new JsonTextError(`Unexpected token ']' at position ${end}: an item is missing after the last comma`);
      }
      for (const item of parseGroup(text, groupStart, end, items.length)) items.push(item);
      at = end + 1;
      break;
    }
    at = end + 1;
    if (end - groupStart >= GROUP_CHARS) {
      for (const item of parseGroup(text, groupStart, end, items.length)) items.push(item);
      groupStart = at;
      await nextTurn();
    }
  }
  const extra = text.slice(at).search(/\S/);
  if (extra >= 0) throw new JsonTextError(`Unexpected non-whitespace character after JSON at position ${at + extra}`);
  return items;
}
