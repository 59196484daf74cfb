import { useTimeZone } from './useTimeZone';

/**
 * "Times in America/New_York, your timezone.": said once under a table whose cells are too narrow
 * to name the zone in each time (`atMinuteShort`).
 */
export function ZoneNote() {
  const zone = useTimeZone();
  return <p className="card-meta zone-note">Times in {zone}, your timezone.</p>;
}
