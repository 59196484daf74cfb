/**
 * The VEVENT of an iCalendar text as property → value (RFC 5545: folded lines joined, parameters
 * after ';' dropped, TEXT escapes undone), so a test reads what a calendar would.
 */
export function icsEvent(content: string): Map<string, string> {
  const lines = content.replace(/\r\n[ \t]/g, '').split('\r\n');
  const start = lines.indexOf('BEGIN:VEVENT');
  const end = lines.indexOf('END:VEVENT');
  if (start < 0 || end < start) throw new Error(`no VEVENT in:\n${content}`);
  const properties = new Map<string, string>();
  for (const line of lines.slice(start + 1, end)) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).split(';')[0]!;
    const value = line
      .slice(colon + 1)
      .replace(/\\n/gi, '\n')
      .replace(/\\([\\;,])/g, '$1');
    if (!properties.has(name)) properties.set(name, value);
  }
  return properties;
}
