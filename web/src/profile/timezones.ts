export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** One name per zone: a system set to "Etc/UTC" and an account in "UTC" are in the same zone. */
export function canonicalTimeZone(zone: string): string {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return zone;
  }
}

function supportedTimeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
}

export interface TimeZoneGroup {
  region: string;
  zones: string[];
}

/**
 * All IANA time zones the browser knows, grouped by region ("Europe", "America", …).
 * Always includes UTC and any `extra` zones (e.g. the person's saved zone), even if the
 * browser's list leaves them out.
 */
export function groupedTimeZones(extra: readonly string[] = []): TimeZoneGroup[] {
  const zones = new Set<string>([...supportedTimeZones(), 'UTC', ...extra.filter(Boolean)]);
  const groups = new Map<string, string[]>();
  for (const zone of zones) {
    const slash = zone.indexOf('/');
    const region = slash === -1 ? 'Other' : zone.slice(0, slash);
    const list = groups.get(region) ?? [];
    list.push(zone);
    groups.set(region, list);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === 'Other' ? 1 : b === 'Other' ? -1 : a.localeCompare(b)))
    .map(([region, list]) => ({ region, zones: list.sort((a, b) => a.localeCompare(b)) }));
}

/** "America/Argentina/Buenos_Aires" → "America/Argentina/Buenos Aires". */
export function timeZoneLabel(zone: string): string {
  return zone.replaceAll('_', ' ');
}

/** Current local time in `zone`, e.g. "14:05", or null if the zone is unknown to the browser. */
export function currentTimeIn(zone: string, now: Date = new Date()): string | null {
  try {
    return new Intl.DateTimeFormat(undefined, { timeZone: zone, hour: '2-digit', minute: '2-digit' }).format(now);
  } catch {
    return null;
  }
}
