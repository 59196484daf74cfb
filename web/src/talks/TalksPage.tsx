import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { createTalksEvent, listTalksEvents, type TalksEvent } from '../api/talks';
import { useAuth } from '../auth/authContext';
import { Notice } from '../ui/Alert';
import { Button } from '../ui/Button';
import { atMinute } from '../ui/dates';
import { LoadError } from '../ui/LoadError';
import { plural } from '../ui/plural';
import { Loading } from '../ui/Spinner';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useLoad } from '../ui/useLoad';
import { useTimeZone } from '../ui/useTimeZone';
import { EventForm } from './EventForm';
import { PHASE_BADGES, PHASE_LABELS } from './format';

function EventCard({ event, timeZone }: { event: TalksEvent; timeZone: string }) {
  const when =
    event.phase === 'proposals' && event.votingOpensAt
      ? `Voting opens ${atMinute(event.votingOpensAt, timeZone)}`
      : event.phase !== 'closed' && event.votingClosesAt
        ? `Voting closes ${atMinute(event.votingClosesAt, timeZone)}`
        : null;
  return (
    <article className="card talks-event-card">
      <div className="talks-event-head">
        <h2 className="talks-event-title">
          <Link className="talks-event-link" to={`/talks/${event.id}`}>
            {event.name}
          </Link>
        </h2>
        <span className={PHASE_BADGES[event.phase]}>{PHASE_LABELS[event.phase]}</span>
      </div>
      {event.descriptionHtml ? (
        // biome-ignore lint/security/noDangerouslySetInnerHtml: rendered from Markdown and sanitised by the server (src/features/talks/markdown.ts).
        <div className="talk-description" dangerouslySetInnerHTML={{ __html: event.descriptionHtml }} />
      ) : null}
      <p className="card-meta">
        {plural(event.proposalCount, 'proposal')}
        {when ? ` · ${when}` : ''}
      </p>
    </article>
  );
}

/** The talks events: the current ones, or (`archived`, at /talks/archived) the archived ones with their results. */
export function TalksPage({ archived = false }: { archived?: boolean }) {
  useDocumentTitle(archived ? 'Archived talks events' : 'Talks');
  const { person } = useAuth();
  const zone = useTimeZone();
  const navigate = useNavigate();
  const events = useLoad(archived ? 'talks-events-archived' : 'talks-events', (signal) =>
    listTalksEvents(signal, archived),
  );
  const [creating, setCreating] = useState(false);
  const isAdmin = person?.role === 'admin';

  if (archived) {
    return (
      <>
        <nav className="breadcrumbs" aria-label="Breadcrumb">
          <Link to="/talks">Talks</Link>
          <span aria-hidden="true"> / </span>
          <span aria-current="page">Archived</span>
        </nav>
        <header className="page-header talks-page-header">
          <div>
            <h1>Archived talks events</h1>
            <p className="page-lede">
              Past events, kept with their proposals, votes and results. An organiser can bring one back from its Manage
              page.
            </p>
          </div>
        </header>
        <div className="stack">
          {events.error ? (
            <LoadError what="the archived events" message={events.error} onRetry={events.reload} />
          ) : !events.data ? (
            <Loading label="Loading events…" />
          ) : events.data.length === 0 ? (
            <section className="empty-state">
              <h2>No archived events</h2>
              <p>
                Events an organiser archives are kept here. <Link to="/talks">See the current events</Link>.
              </p>
            </section>
          ) : (
            <ul className="talks-event-list">
              {events.data.map((event) => (
                <li key={event.id}>
                  <EventCard event={event} timeZone={zone} />
                </li>
              ))}
            </ul>
          )}
        </div>
      </>
    );
  }

  return (
    <>
      <header className="page-header talks-page-header">
        <div>
          <h1>Talks</h1>
          <p className="page-lede">
            Propose a lightning talk, vote for the ones you want to hear, and see which make the programme.
          </p>
        </div>
        {isAdmin && !creating ? (
          <Button variant="primary" onClick={() => setCreating(true)}>
            New event
          </Button>
        ) : null}
      </header>
      <div className="stack">
        {!person ? (
          <Notice>
            <span>
              <Link to="/signin?next=%2Ftalks">Sign in</Link> to propose a talk and vote.
            </span>
          </Notice>
        ) : null}
        {isAdmin && creating ? (
          <section className="card" aria-labelledby="new-event-title">
            <h2 id="new-event-title" className="card-title">
              New talks event
            </h2>
            <EventForm
              submitLabel="Create event"
              onCancel={() => setCreating(false)}
              onSubmit={async (input) => {
                const event = await createTalksEvent(input);
                navigate(`/talks/${event.id}/manage`);
              }}
            />
          </section>
        ) : null}
        {events.error ? (
          <LoadError what="the events" message={events.error} onRetry={events.reload} />
        ) : !events.data ? (
          <Loading label="Loading events…" />
        ) : events.data.length === 0 ? (
          <section className="empty-state">
            <h2>No talks events yet</h2>
            <p>
              {isAdmin
                ? 'Create the first one: people propose talks, then everyone votes.'
                : 'When organisers open a call for lightning talks, it appears here.'}
            </p>
          </section>
        ) : (
          <ul className="talks-event-list">
            {events.data.map((event) => (
              <li key={event.id}>
                <EventCard event={event} timeZone={zone} />
              </li>
            ))}
          </ul>
        )}
        <p className="muted talks-archived-link">
          <Link to="/talks/archived">Archived events</Link>: past events with their results.
        </p>
      </div>
    </>
  );
}
