/**
 * The one CSV writer: RFC 4180 text (CRLF lines, quoted where needed) that spreadsheets open as
 * meant. Exports are opened in Excel, which reads a file without a byte-order mark in the system's
 * legacy code page (names with accents turn to mojibake) and runs a cell that starts like a formula
 * (CSV injection), so both are dealt with here rather than by each export.
 */

export type CsvValue = string | number | boolean | null | undefined;

/** Tells Excel the file is UTF-8. */
export const UTF8_BOM = '\uFEFF';

/** Characters that make a spreadsheet treat a cell as a formula (or start one after a tab/CR). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell as a spreadsheet will not run: formulas get a leading apostrophe, quotes are doubled. */
export function csvCell(value: CsvValue): string {
  let text = value === null || value === undefined ? '' : String(value);
  // Numbers are the caller's own data, never text a person typed: -3 stays a number.
  if (typeof value !== 'number' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly CsvValue[]): string {
  return values.map(csvCell).join(',');
}

/** A whole file: the header, then one line per row, each ending in CRLF; with a BOM unless asked not to. */
export function toCsv(
  header: readonly string[],
  rows: Iterable<readonly CsvValue[]>,
  options: { bom?: boolean } = {},
): string {
  const lines = [csvLine(header)];
  for (const row of rows) lines.push(csvLine(row));
  return `${options.bom === false ? '' : UTF8_BOM}${lines.join('\r\n')}\r\n`;
}
