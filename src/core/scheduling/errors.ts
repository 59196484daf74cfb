/** A problem with the instance or the options, naming the field and its position (`sessions[3].owners[0]`). */
export class SchedulingInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'SchedulingInputError';
  }
}

/** `['sessions', 3, 'owners', 0]` -> `sessions[3].owners[0]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(root)';
}
