import { Link } from 'react-router-dom';
import { type EventView, listUnconferenceEvents } from '../api/unconference';
import { useAuth } from '../auth/authContext';
import { Notice } from '../ui/Alert';
import { LoadError } from '../ui/LoadError';
import { plural } from '../ui/plural';
import { Loading } from '../ui/Spinner';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useLoad } from '../ui/useLoad';
import { PHASE_BADGES, PHASE_LABELS } from './format';

function EventCard({ event }: { event: EventView }) {
  return (
    <article className="card unconf-event-card">
      <div className="unconf-event-head">
        <h2 className="unconf-event-title">
          <Link to={`/unconference/${event.id}`}>{event.name}</Link>
        </h2>
        <span className={PHASE_BADGES[event.phase]}>{PHASE_LABELS[event.phase]}</span>
      </div>
      {event.descriptionHtml ? (
        // biome-ignore lint/security/noDangerouslySetInnerHtml: rendered from Markdown and sanitised by the server (src/lib/markdown).
        <div className="talk-description" dangerouslySetInnerHTML={{ __html: event.descriptionHtml }} />
      ) : null}
      <p className="card-meta">
        {plural(event.proposalCount, 'session')} proposed · times in {event.timezone}
        {event.websiteActive ? '' : ' · website off'}
      </p>
    </article>
  );
}

/** Every unconference the viewer may see. */
export function UnconferencePage() {
  useDocumentTitle('Unconference');
  const { person } = useAuth();
  const events = useLoad('unconference-events', listUnconferenceEvents);
  return (
    <>
      <header className="page-header page-header-actions">
        <div>
          <h1>Unconference</h1>
          <p className="page-lede">Pitch sessions, say how interested you are in each, and get a schedule that fits.</p>
        </div>
        {person?.role === 'admin' ? (
          <div>
            <Link className="btn btn-primary" to="/admin/unconference">
              <span className="btn-label">Organise</span>
            </Link>
          </div>
        ) : null}
      </header>
      <div className="stack">
        {events.error ? <LoadError what="the events" message={events.error} onRetry={events.reload} /> : null}
        {!events.data && !events.error ? <Loading label="Loading events…" /> : null}
        {events.data && events.data.length === 0 ? <Notice>No unconference is open yet.</Notice> : null}
        {events.data?.map((event) => (
          <EventCard key={event.id} event={event} />
        ))}
      </div>
    </>
  );
}
