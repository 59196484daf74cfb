/**
 * The one place the web app talks to the server.
 *
 * - Always sends cookies (`credentials: 'same-origin'`).
 * - Adds the CSRF header (value of the `convene_csrf` cookie, read at request time)
 *   to every state-changing request.
 * - Turns any non-2xx response into an {@link ApiError} carrying the server's
 *   `{ error: { code, message, field? } }` payload.
 */

export const CSRF_COOKIE = 'convene_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

const UNSAFE_METHODS: ReadonlySet<HttpMethod> = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;

  constructor(status: number, code: string, message: string, field?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

export interface RequestOptions {
  /** JSON-serialisable request body, or a file sent as it is. Omit for requests without a body. */
  body?: unknown;
  signal?: AbortSignal;
  /**
   * A 401 from this request is an expected answer (e.g. "not signed in" or
   * "wrong password"), not a sign that the session has ended.
   */
  expectUnauthorized?: boolean;
}

type UnauthorizedListener = () => void;
let unauthorizedListener: UnauthorizedListener | null = null;

/** Registers the function called when a request finds the session has ended. */
export function setUnauthorizedListener(listener: UnauthorizedListener | null): void {
  unauthorizedListener = listener;
}

export function readCookie(name: string): string | null {
  if (typeof document === 'undefined' || document.cookie === '') return null;
  for (const part of document.cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(raw);
    } catch {
      return raw;
    }
  }
  return null;
}

export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204 || response.status === 205) return undefined;
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function fallbackMessage(status: number): string {
  if (status === 401) return 'You need to sign in to do that.';
  if (status === 403) return 'You don’t have permission to do that.';
  if (status === 404) return 'We couldn’t find what you were looking for.';
  if (status === 429) return 'Too many attempts. Please wait a moment and try again.';
  if (status >= 500) return 'The server ran into a problem. Please try again in a moment.';
  return `The request failed (HTTP ${status}). Please try again.`;
}

export function toApiError(status: number, payload: unknown): ApiError {
  if (isRecord(payload)) {
    const error = payload.error;
    if (isRecord(error) && typeof error.message === 'string') {
      const code = typeof error.code === 'string' ? error.code : 'error';
      const field = typeof error.field === 'string' ? error.field : undefined;
      return new ApiError(status, code, error.message, field);
    }
    // Tolerate framework-default error bodies ({ statusCode, error, message }).
    if (typeof payload.message === 'string' && payload.message !== '') {
      return new ApiError(status, 'error', payload.message);
    }
  }
  return new ApiError(status, status >= 500 ? 'server_error' : 'http_error', fallbackMessage(status));
}

export async function request<T>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const hasBody = options.body !== undefined;
  // A file (a photo) goes as itself, typed by what the browser says it is; everything else as JSON.
  const file = options.body instanceof Blob ? options.body : null;
  if (hasBody) headers['content-type'] = file ? file.type || 'application/octet-stream' : 'application/json';
  if (UNSAFE_METHODS.has(method)) {
    const token = readCookie(CSRF_COOKIE);
    if (token !== null) headers[CSRF_HEADER] = token;
  }

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: file ?? (hasBody ? JSON.stringify(options.body) : undefined),
      signal: options.signal,
    });
  } catch (error) {
    if (isAbortError(error)) throw error;
    throw new ApiError(0, 'network_error', 'We couldn’t reach the server. Check your connection and try again.');
  }

  const payload = await readBody(response);
  if (!response.ok) {
    const error = toApiError(response.status, payload);
    // A 401 naming a field (e.g. a wrong current password) is a form error, not an ended session.
    if (response.status === 401 && !options.expectUnauthorized && error.field === undefined) {
      unauthorizedListener?.();
    }
    throw error;
  }
  return payload as T;
}

export const api = {
  get: <T>(path: string, options?: Omit<RequestOptions, 'body'>) => request<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'body'>) =>
    request<T>('POST', path, { ...options, body }),
  patch: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'body'>) =>
    request<T>('PATCH', path, { ...options, body }),
  put: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'body'>) =>
    request<T>('PUT', path, { ...options, body }),
  delete: <T>(path: string, options?: Omit<RequestOptions, 'body'>) => request<T>('DELETE', path, options),
};
