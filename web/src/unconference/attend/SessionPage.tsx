import { Link, useParams } from 'react-router-dom';
import { useCurrentPerson } from '../../auth/authContext';
import { LoadError } from '../../ui/LoadError';
import { Loading } from '../../ui/Spinner';
import { useDocumentTitle } from '../../ui/useDocumentTitle';
import { useLoad } from '../../ui/useLoad';
import { getSession } from './api';
import './attend.css';
import { dayName, interestLabel, people, range } from './time';

/** One published session: when, where (with the room's link), its video room, who proposed it. */
export function SessionPage() {
  const { id = '' } = useParams();
  const me = useCurrentPerson();
  const page = useLoad(`session:${id}`, (signal) => getSession(id, signal));
  const view = page.data;
  useDocumentTitle(view ? view.session.title : 'Session');
  const s = view?.session;
  const tz = me.timezone;
  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        {view ? (
          <Link to={`/unconference/events/${view.event.id}/schedule`}>{view.event.name}</Link>
        ) : (
          <Link to="/unconference">Unconference</Link>
        )}
        <span aria-hidden="true"> / </span>
        <span aria-current="page">{s?.title ?? 'Session'}</span>
      </nav>
      {page.error ? <LoadError what="this session" message={page.error} onRetry={page.reload} /> : null}
      {!view && page.loading ? <Loading label="Loading the session…" /> : null}
      {view && s ? (
        <>
          <header className="page-header">
            <h1>{s.title}</h1>
            {s.owners.length ? <p className="page-lede">Proposed by {s.owners.map((o) => o.name).join(', ')}</p> : null}
          </header>
          <div className="attend-session-layout">
            <section className="card" aria-labelledby="when-title">
              <h2 id="when-title" className="card-title">
                When and where
              </h2>
              <dl className="attend-facts">
                <dt>When</dt>
                <dd>
                  {dayName(s.startsAt, tz)}, {range(s.startsAt, s.endsAt, tz)} <span className="muted">({tz})</span>
                </dd>
                <dt>Room</dt>
                <dd>
                  {s.room.url ? (
                    <a href={s.room.url} target="_blank" rel="noreferrer">
                      {s.room.name}
                    </a>
                  ) : (
                    s.room.name
                  )}
                  {s.room.isPlace ? <span className="muted"> · {s.room.capacity} seats</span> : null}
                </dd>
                <dt>Expected</dt>
                <dd className={s.overflowing ? 'attend-over' : undefined}>
                  ~{people(s.attendance)} {s.overflowing ? '(more than the room holds)' : ''}
                </dd>
                {s.myInterest !== null ? (
                  <>
                    <dt>Your interest</dt>
                    <dd>{interestLabel(s.myInterest)}</dd>
                  </>
                ) : null}
              </dl>
              {s.videoUrl ? (
                <a className="btn btn-primary attend-join" href={s.videoUrl} target="_blank" rel="noreferrer">
                  <span className="btn-label">Join the video room</span>
                </a>
              ) : null}
            </section>
            <section className="card" aria-labelledby="about-title">
              <h2 id="about-title" className="card-title">
                About
              </h2>
              {s.descriptionHtml ? (
                // biome-ignore lint/security/noDangerouslySetInnerHtml: rendered from Markdown and sanitised by the server (src/lib/markdown).
                <div className="talk-description" dangerouslySetInnerHTML={{ __html: s.descriptionHtml }} />
              ) : (
                <p className="muted">No description.</p>
              )}
              {s.alongside.length ? (
                <>
                  <h3 className="section-label attend-alongside-label">At the same time</h3>
                  <ul className="attend-alongside">
                    {s.alongside.map((o) => (
                      <li key={o.id}>
                        <Link to={`/unconference/sessions/${o.id}`}>{o.title}</Link>{' '}
                        <span className="muted">{o.roomName}</span>
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
            </section>
          </div>
        </>
      ) : null}
    </>
  );
}
