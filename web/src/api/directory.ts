/** The staff directory page (src/features/directory/routes.ts; types from src/contract/directory.ts). */
import type { DirectoryStatus, ImportStreamLine, ImportSummaryView } from '@contract/directory';
import { ApiError, api, CSRF_COOKIE, CSRF_HEADER, readBody, readCookie, toApiError } from './client';

export type { DirectoryStatus, ImportRun, ImportSummaryView } from '@contract/directory';

export function getDirectoryStatus(signal?: AbortSignal): Promise<DirectoryStatus> {
  return api.get<DirectoryStatus>('/api/v1/admin/directory', { signal });
}

export interface ImportRequest {
  /** The chosen file: sent as it is, as the request's body. */
  file: File;
  prune: boolean;
  dryRun: boolean;
}

/**
 * Sends the feed and reads the answer line by line as the server writes it: progress while the
 * import runs, then its summary. An error line (the import failed and changed nothing) is thrown.
 */
export async function runImport(
  request: ImportRequest,
  onProgress: (progress: { done: number; total: number }) => void,
): Promise<ImportSummaryView> {
  const headers: Record<string, string> = {
    'content-type': request.file.type || 'application/octet-stream',
    accept: 'application/x-ndjson',
  };
  const token = readCookie(CSRF_COOKIE);
  if (token !== null) headers[CSRF_HEADER] = token;
  let response: Response;
  try {
    const query = new URLSearchParams({
      fileName: request.file.name,
      prune: String(request.prune),
      dryRun: String(request.dryRun),
    });
    response = await fetch(`/api/v1/admin/directory/imports?${query}`, {
      method: 'POST',
      headers,
      credentials: 'same-origin',
      body: request.file,
    });
  } catch {
    throw new ApiError(0, 'network_error', 'We couldn’t reach the server. Check your connection and try again.');
  }
  if (!response.ok || !response.body) throw toApiError(response.status, await readBody(response));

  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  for (;;) {
    const { done, value } = await reader.read();
    buffered += value ?? '';
    const lines = buffered.split('\n');
    buffered = done ? '' : (lines.pop() ?? '');
    for (const text of lines) {
      if (!text.trim()) continue;
      const line = JSON.parse(text) as ImportStreamLine;
      if ('progress' in line) onProgress(line.progress);
      else if ('result' in line) return line.result.summary;
      else throw new ApiError(response.status, line.error.code, line.error.message, line.error.field);
    }
    if (done) break;
  }
  throw new ApiError(0, 'network_error', 'The connection ended before the import finished. Check the directory page.');
}
