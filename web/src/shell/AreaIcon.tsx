import type { AreaId } from './areas';

const PATHS: Record<AreaId, string[]> = {
  // Two overlapping people.
  mixers: [
    'M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7z',
    'M2.5 20c0-3.6 2.9-6 6.5-6s6.5 2.4 6.5 6',
    'M15.5 4.3a3.5 3.5 0 0 1 0 6.4',
    'M18 14.4c2.1.8 3.5 2.9 3.5 5.6',
  ],
  // A microphone.
  talks: [
    'M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3z',
    'M5.5 11a6.5 6.5 0 0 0 13 0',
    'M12 17.5V21',
    'M8.5 21h7',
  ],
  // A board of sticky notes.
  unconference: ['M3.5 4h7v7h-7z', 'M13.5 4h7v7h-7z', 'M3.5 14h7v7h-7z', 'M13.5 14h7v7h-7z'],
  // A calendar.
  meetings: ['M4 6h16v14H4z', 'M4 10.5h16', 'M8.5 3.5V8', 'M15.5 3.5V8', 'M8 14h3', 'M8 17h6'],
};

export function AreaIcon({ id }: { id: AreaId }) {
  return (
    <svg
      className="area-icon"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.6"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {PATHS[id].map((d) => (
        <path key={d} d={d} />
      ))}
    </svg>
  );
}
