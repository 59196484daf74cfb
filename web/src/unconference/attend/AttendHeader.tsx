import { Link, useSearchParams } from 'react-router-dom';
import { exportUrls } from './api';
import { zoneChoices } from './time';

/** The event's name, the Timetable / My agenda switch, the timezone picker and the exports. */
export function AttendHeader({
  event,
  current,
  timezone,
  myTimezone,
}: {
  event: { id: string; name: string; timezone: string; version: { number: number; publishedAt: string } };
  current: 'timetable' | 'agenda';
  timezone: string;
  myTimezone: string;
}) {
  const [params, setParams] = useSearchParams();
  const zones = zoneChoices(myTimezone, event.timezone, timezone);
  const tz = params.get('tz');
  const suffix = tz ? `?tz=${encodeURIComponent(tz)}` : '';
  const urls = exportUrls(event.id);
  return (
    <header className="page-header attend-header">
      <div>
        <h1>{event.name}</h1>
        <p className="page-lede">
          Schedule version {event.version.number}. <a href={urls.xml}>schedule.xml</a> ·{' '}
          <a href={urls.json}>schedule.json</a>
        </p>
      </div>
      <div className="attend-controls">
        <nav className="segmented" aria-label="View">
          <Link
            className="segmented-option attend-tab"
            aria-current={current === 'timetable' ? 'page' : undefined}
            to={`/unconference/events/${event.id}/schedule${suffix}`}
          >
            Timetable
          </Link>
          <Link
            className="segmented-option attend-tab"
            aria-current={current === 'agenda' ? 'page' : undefined}
            to={`/unconference/events/${event.id}/agenda${suffix}`}
          >
            My agenda
          </Link>
        </nav>
        <label className="attend-zone">
          <span>Times in</span>
          <select
            className="input select"
            value={timezone}
            onChange={(e) => {
              const next = new URLSearchParams(params);
              next.set('tz', e.target.value);
              setParams(next, { replace: true });
            }}
          >
            {zones.map((z) => (
              <option key={z} value={z}>
                {z === myTimezone ? `${z} (mine)` : z === event.timezone ? `${z} (event)` : z}
              </option>
            ))}
          </select>
        </label>
      </div>
    </header>
  );
}
