import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { parse as csvParser } from 'csv-parse';
import { AppError } from '../../lib/errors.js';
import { fetchFailureReason } from '../../lib/fetchFailure.js';
import { JsonTextError, parseJsonInTurns } from '../../lib/jsonInTurns.js';
import { type FeedFormat, optionalColumns, requiredColumns } from './schemas.js';

/** The feed as a whole cannot be used: nothing is imported. The message says what to do next. */
export class FeedUnreadable extends AppError {
  constructor(message: string) {
    super('bad_request', message);
    this.name = 'FeedUnreadable';
  }
}

/** One record of a feed before validation, with where it is: `[12]` in JSON, `line 13` in CSV. */
export interface FeedEntry {
  position: string;
  data: unknown;
  /** Set when the record could not even be split into fields (a CSV row of the wrong width). */
  problem?: string;
}

export interface LoadedFeed {
  /** The file path, or the URL without its query string (which may hold a token). */
  label: string;
  format: FeedFormat;
  entries: FeedEntry[];
}

export const DEFAULT_FETCH_TIMEOUT_MS = 30_000;

export const isUrl = (source: string): boolean => /^https?:\/\//i.test(source);

/** A feed URL may carry a token in its query or user info: never print or log those. */
export function describeSource(source: string): string {
  if (!isUrl(source)) return source;
  try {
    const url = new URL(source);
    return `${url.origin}${url.pathname}${url.search ? '?…' : ''}`;
  } catch {
    return '(an invalid URL)';
  }
}

interface RawFeed {
  label: string;
  text: string;
  contentType?: string;
  /** The file name or URL path, for the extension. */
  name: string;
}

async function readFromFile(path: string): Promise<RawFeed> {
  try {
    return { label: path, name: path, text: await readFile(path, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const where = resolve(path);
    if (code === 'ENOENT') {
      throw new FeedUnreadable(
        `Cannot read the feed: the file ${where} does not exist. Check the path, or use --url for a web address.`,
      );
    }
    if (code === 'EISDIR') throw new FeedUnreadable(`Cannot read the feed: ${where} is a folder; give the feed file.`);
    if (code === 'EACCES' || code === 'EPERM') {
      throw new FeedUnreadable(`Cannot read the feed: no permission to read ${where}. Check the file's permissions.`);
    }
    throw new FeedUnreadable(`Cannot read the feed ${where}: ${(error as Error).message}`);
  }
}

async function readFromUrl(source: string, timeoutMs: number): Promise<RawFeed> {
  const label = describeSource(source);
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    throw new FeedUnreadable(`Cannot read the feed: ${label} is not a valid URL. Check the address.`);
  }
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: 'application/json, text/csv;q=0.9, */*;q=0.5' },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const reason =
      (error as Error).name === 'TimeoutError'
        ? `did not answer within ${Math.round(timeoutMs / 1000)} s`
        : `could not be reached (${fetchFailureReason(error)})`;
    throw new FeedUnreadable(
      `Cannot read the feed: ${label} ${reason}. Check the address and that this machine can reach it, then try again.`,
    );
  }
  if (!response.ok) {
    await response.body?.cancel();
    const hint =
      response.status === 401 || response.status === 403
        ? 'Check the credentials or token the feed needs.'
        : response.status === 404
          ? 'Check the address (the feed may have moved).'
          : 'Try again later, or ask whoever runs the feed.';
    throw new FeedUnreadable(
      `Cannot read the feed: ${label} answered ${response.status} ${response.statusText}. ${hint}`.trim(),
    );
  }
  return {
    label,
    name: url.pathname,
    text: await response.text(),
    contentType: response.headers.get('content-type') ?? undefined,
  };
}

/** Forced format, then the extension, then the content type, then the first non-blank character. */
export function detectFormat(feed: { name: string; contentType?: string; text: string }, forced?: FeedFormat) {
  if (forced) return forced;
  const extension = extname(feed.name).toLowerCase();
  if (extension === '.json') return 'json';
  if (extension === '.csv') return 'csv';
  const type = feed.contentType?.toLowerCase() ?? '';
  if (type.includes('json')) return 'json';
  if (type.includes('csv')) return 'csv';
  const first = feed.text.replace(/^\uFEFF/, '').trimStart()[0];
  if (first === '[' || first === '{') return 'json';
  if (first === undefined) return 'json'; // empty: reported as such below
  if (first === '<') {
    throw new FeedUnreadable(
      'Cannot read the feed: it is neither JSON nor CSV (it looks like an HTML page, perhaps a sign-in page). ' +
        'Point --file or --url at the staff feed itself, or force the format with --format json|csv.',
    );
  }
  return 'csv';
}

async function parseJsonFeed(text: string): Promise<FeedEntry[]> {
  let data: unknown;
  try {
    data = await parseJsonInTurns(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    if (!(error instanceof JsonTextError)) throw error;
    throw new FeedUnreadable(
      `Cannot read the feed: it is not valid JSON (${error.message}). ` +
        'Fix the file, or use --format csv if it is a CSV file.',
    );
  }
  if (!Array.isArray(data)) {
    const shape =
      data !== null && typeof data === 'object' ? `an object with keys ${Object.keys(data).join(', ')}` : typeof data;
    throw new FeedUnreadable(
      `Cannot read the feed: a JSON feed must be an array of people ([{"id": …, "auth_username": …}, …]), ` +
        `but this one is ${shape}.`,
    );
  }
  return data.map((item, index) => ({ position: `[${index}]`, data: item }));
}

interface CsvRow {
  record: string[];
  raw: string;
  info: { lines: number };
}

/** The line a record starts on: csv-parse reports where it ends, and a quoted value may span lines. */
function startLine(row: CsvRow): number {
  const body = row.raw.replace(/^\n+/, '').replace(/\n$/, '');
  return row.info.lines - (body.match(/\n/g)?.length ?? 0);
}

/** How much CSV text is parsed before the event loop gets a turn: a 10,000-row feed parsed in one go held it for a second. */
const CSV_CHUNK_CHARS = 64 * 1024;

/** The text in chunks, a turn of the event loop between them, with line ends made `\n` (a chunk at a time, too). */
async function* inTurns(text: string): AsyncGenerator<string> {
  let at = 0;
  while (at < text.length) {
    let end = Math.min(at + CSV_CHUNK_CHARS, text.length);
    // Never between the two halves of an emoji (a lone half would be decoded as U+FFFD), nor of a `\r\n`.
    for (let last = text.charCodeAt(end - 1); (last >= 0xd800 && last <= 0xdbff) || last === 0x0d; ) {
      if (end >= text.length) break;
      last = text.charCodeAt(end++);
    }
    yield text.slice(at, end).replace(/\r\n?/g, '\n');
    at = end;
    await nextTurn();
  }
}

async function parseCsvRows(text: string): Promise<CsvRow[]> {
  const parser = Readable.from(inTurns(text)).pipe(
    csvParser({ bom: true, info: true, raw: true, relax_column_count: true, skip_empty_lines: true }),
  );
  const rows: CsvRow[] = [];
  for await (const row of parser) rows.push(row as CsvRow);
  return rows;
}

async function parseCsvFeed(text: string): Promise<FeedEntry[]> {
  let rows: CsvRow[];
  try {
    rows = await parseCsvRows(text);
  } catch (error) {
    const err = error as Error & { lines?: number };
    throw new FeedUnreadable(
      `Cannot read the feed: the CSV is malformed${err.lines ? ` at line ${err.lines}` : ''} (${err.message}). ` +
        'A value holding commas, quotes or line breaks must be wrapped in double quotes, with quotes inside doubled ("").',
    );
  }
  const [headerRow, ...body] = rows;
  const header = (headerRow?.record ?? []).map((name) => name.trim().toLowerCase());
  const absent = requiredColumns.filter((column) => !header.includes(column));
  if (absent.length) {
    const found = header.filter(Boolean).slice(0, 12).join(', ') || 'nothing';
    throw new FeedUnreadable(
      `Cannot read the feed: the CSV header (line 1) has no ${absent.join(', ')} column${absent.length > 1 ? 's' : ''} ` +
        `(found: ${found}). The first line must name the columns: ${[...requiredColumns, ...optionalColumns].join(', ')}.`,
    );
  }
  const repeated = header.find((name, index) => name && header.indexOf(name) !== index);
  if (repeated) throw new FeedUnreadable(`Cannot read the feed: the CSV header names the column ${repeated} twice.`);

  const entries: FeedEntry[] = [];
  for (const row of body) {
    if (row.record.every((cell) => cell.trim() === '')) continue;
    const position = `line ${startLine(row)}`;
    if (row.record.length !== header.length) {
      entries.push({
        position,
        data: undefined,
        problem:
          `has ${row.record.length} values but the header has ${header.length}; ` +
          'a value holding a comma must be wrapped in double quotes',
      });
      continue;
    }
    const data: Record<string, string> = {};
    header.forEach((name, index) => {
      if (name) data[name] = row.record[index] ?? '';
    });
    entries.push({ position, data });
  }
  return entries;
}

export async function parseFeedText(text: string, format: FeedFormat): Promise<FeedEntry[]> {
  if (!text.replace(/^\uFEFF/, '').trim()) {
    throw new FeedUnreadable('Cannot read the feed: it is empty. Check that the export that writes it succeeded.');
  }
  return format === 'json' ? await parseJsonFeed(text) : await parseCsvFeed(text);
}

/** Reads a feed from a file path or an http(s) URL and splits it into records. */
export async function loadFeed(
  source: string,
  options: { format?: FeedFormat; timeoutMs?: number } = {},
): Promise<LoadedFeed> {
  const raw = isUrl(source)
    ? await readFromUrl(source, options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS)
    : await readFromFile(source);
  const format = detectFormat(raw, options.format);
  return { label: raw.label, format, entries: await parseFeedText(raw.text, format) };
}
