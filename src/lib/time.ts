/** Times are stored as ISO-8601 UTC text on both engines: they sort and compare as strings. */
export const toIso = (date: Date): string => date.toISOString();
export const nowIso = (): string => new Date().toISOString();
export const addSeconds = (date: Date, seconds: number): Date => new Date(date.getTime() + seconds * 1000);

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
