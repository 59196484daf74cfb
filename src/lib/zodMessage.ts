import type { z } from 'zod';
// Zod's messages in plain words, for every schema this process checks (see zodWords.ts).
import './zodWords.js';

/** Turns a zod issue path into the dotted name a person would recognise: `people[3].email`. */
export function issuePath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

export function describeZodError(error: z.ZodError): { field?: string; message: string } {
  const issue = error.issues[0];
  if (!issue) return { message: 'Invalid input.' };
  const field = issuePath(issue.path);
  return field ? { field, message: `${field}: ${issue.message}` } : { message: issue.message };
}
