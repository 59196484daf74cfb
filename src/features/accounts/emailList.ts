import { emailSchema, MAX_INVITATIONS } from '../../contract/accounts.js';
import { badRequest } from '../../lib/errors.js';

/**
 * The addresses of a pasted list or CSV: one or more per line, separated by commas, semicolons,
 * tabs or spaces; words without an `@` (a name column) are ignored, and a first line without any
 * address is a header. Every line after it must hold an address, and every word with an `@` must be
 * one, else a 400 names the line. Repeats (in any case) count once, in first-seen order.
 */
export function parseEmailList(text: string): string[] {
  const found = new Map<string, number>();
  const lines = text.split(/\r?\n/);
  lines.forEach((line, index) => {
    const words = line
      .split(/[\s,;]+/)
      .map((word) => word.replace(/^["'<(]+|[">)']+$/g, ''))
      .filter(Boolean);
    if (!words.length) return;
    const addresses = words.filter((word) => word.includes('@'));
    if (!addresses.length) {
      if (index === 0) return; // a header such as "name,email"
      throw badRequest(`emails: line ${index + 1}: "${line.trim().slice(0, 80)}" holds no e-mail address`, 'emails');
    }
    for (const word of addresses) {
      const parsed = emailSchema.safeParse(word);
      if (!parsed.success) {
        throw badRequest(`emails: line ${index + 1}: "${word.slice(0, 80)}" is not an e-mail address`, 'emails');
      }
      if (!found.has(parsed.data)) found.set(parsed.data, index + 1);
    }
  });
  if (!found.size) throw badRequest('emails: give at least one e-mail address', 'emails');
  if (found.size > MAX_INVITATIONS) {
    throw badRequest(`emails: at most ${MAX_INVITATIONS} addresses at once (this list has ${found.size})`, 'emails');
  }
  return [...found.keys()];
}
