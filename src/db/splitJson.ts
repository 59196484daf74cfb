/**
 * A JSON object's text in two parts, for a column whose rows share most of their value: the part
 * that is the row's own and the part many rows of one insert share. On PostgreSQL `withRows`
 * (bulkInsert.ts) sends each distinct shared part once and the server joins the two, instead of
 * escaping and parsing the same text once per row; the stored text is the whole object either way.
 * A queued message's payload is the case: an evaluation's three e-mails and three reminders carry
 * the same meeting and people, and differ only in their recipient.
 */
export class SplitJson {
  constructor(
    readonly own: string,
    readonly shared: string,
  ) {}

  toString(): string {
    return this.own + this.shared;
  }
}

/**
 * The object `own` with the keys of `shared` (an object's text from JSON.stringify: compact) after
 * its own. No key may be in both: JSON.parse keeps the last, so the shared one would win.
 */
export function splitJson(own: Record<string, unknown>, shared: string): SplitJson {
  if (!shared.startsWith('{') || !shared.endsWith('}')) throw new Error('splitJson: shared must be a JSON object');
  const ownJson = JSON.stringify(own);
  if (/^\{\s*\}$/.test(shared)) return new SplitJson(ownJson, '');
  if (ownJson === '{}') return new SplitJson('{', shared.slice(1));
  // `{"recipient":…}` and `{"kind":…}` → `{"recipient":…,` and `"kind":…}`.
  return new SplitJson(`${ownJson.slice(0, -1)},`, shared.slice(1));
}
