import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/** One encoding of a body, with the strong ETag of exactly these bytes. */
export interface Representation {
  body: Buffer;
  etag: string;
  /** The Content-Encoding header value; null for the body as it is. */
  encoding: 'br' | 'gzip' | null;
}

/** A body kept in every encoding worth sending, compressed once rather than per request. */
export interface Representations {
  identity: Representation;
  br: Representation | null;
  gzip: Representation | null;
}

/**
 * Compresses `body` once, off the event loop (zlib's thread pool), so a list that is read many
 * times between changes is never compressed per request. An encoding that does not make the body
 * smaller is dropped. Each encoding gets its own ETag (RFC 9110 §8.8.3: a strong validator names
 * exact bytes), derived from the identity one so they are recognisably the same version.
 */
export async function precompress(body: Buffer, etag: string): Promise<Representations> {
  const [br, gz] = await Promise.all([
    brotli(body, {
      params: {
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_QUALITY]: 9,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    }),
    gzipped(body, { level: 9 }),
  ]);
  const variant = (bytes: Buffer, encoding: 'br' | 'gzip'): Representation | null =>
    bytes.length < body.length ? { body: bytes, etag: `${etag.slice(0, -1)}-${encoding}"`, encoding } : null;
  return { identity: { body, etag, encoding: null }, br: variant(br, 'br'), gzip: variant(gz, 'gzip') };
}

interface Accepted {
  br: boolean;
  gzip: boolean;
}

const NOTHING: Accepted = { br: false, gzip: false };
// Clients send a handful of distinct Accept-Encoding values (one per browser), so parsing each
// once keeps negotiation off the per-request cost. Bounded so odd values cannot grow it.
const parsed = new Map<string, Accepted>();
const PARSED_MAX = 256;

function parseAcceptEncoding(header: string): Accepted {
  let br: number | undefined;
  let gzip: number | undefined;
  let star: number | undefined;
  for (const part of header.split(',')) {
    const [rawName = '', ...params] = part.split(';');
    const name = rawName.trim().toLowerCase();
    let q = 1;
    for (const param of params) {
      const [key, value] = param.split('=');
      if (key?.trim().toLowerCase() === 'q') q = Number(value?.trim() ?? '1');
    }
    if (Number.isNaN(q)) q = 0;
    if (name === 'br') br = q;
    else if (name === 'gzip' || name === 'x-gzip') gzip = q;
    else if (name === '*') star = q;
  }
  // A coding not named is accepted as `*` says (RFC 9110 §12.5.3); q=0 refuses it.
  return { br: (br ?? star ?? 0) > 0, gzip: (gzip ?? star ?? 0) > 0 };
}

function accepted(header: string | string[] | undefined): Accepted {
  if (header === undefined) return NOTHING;
  const text = Array.isArray(header) ? header.join(',') : header;
  let found = parsed.get(text);
  if (!found) {
    found = parseAcceptEncoding(text);
    if (parsed.size >= PARSED_MAX) parsed.clear();
    parsed.set(text, found);
  }
  return found;
}

/** The smallest representation the client accepts: br, then gzip, else the body as it is. */
export function pickRepresentation(
  representations: Representations,
  acceptEncoding: string | string[] | undefined,
): Representation {
  const accepts = accepted(acceptEncoding);
  if (accepts.br && representations.br) return representations.br;
  if (accepts.gzip && representations.gzip) return representations.gzip;
  return representations.identity;
}

/** True when the client already holds exactly this representation (If-None-Match, weak or strong, or *). */
export function clientHas(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch === etag) return true;
  for (const tag of ifNoneMatch.split(',')) {
    const t = tag.trim();
    if (t === '*' || t === etag || (t.startsWith('W/') && t.slice(2) === etag)) return true;
  }
  return false;
}
