import { listUnreachable } from '../api/notifications';
import { LoadError } from '../mixers/LoadError';
import { Loading } from '../ui/Spinner';
import { useLoad } from '../ui/useLoad';

/** People Convene should reach but cannot, with what to fix. */
export function DeliveriesUnreachable() {
  const { data, loading, error, reload } = useLoad('unreachable', listUnreachable);
  return (
    <section className="card" aria-labelledby="unreachable-title">
      <h2 id="unreachable-title" className="card-title">
        Unreachable people
      </h2>
      <p className="card-note">
        Active mixer members and people with upcoming meetings whom no channel reaches, and people a chat could not
        find.
      </p>
      {loading && !data ? <Loading label="Checking who can be reached…" /> : null}
      {error ? <LoadError what="unreachable people" message={error} onRetry={reload} /> : null}
      {data && !data.people.length ? <p className="empty-inline">Everyone can be reached.</p> : null}
      {data?.people.length ? (
        <ul className="unreachable-list">
          {data.people.map((person) => (
            <li key={person.id} className="unreachable">
              <span className="unreachable-name">{person.name}</span>
              <span className="cell-sub">{person.email ?? 'No e-mail address'}</span>
              <ul className="unreachable-reasons">
                {person.reasons.map((reason) => (
                  <li key={reason}>{reason}</li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      ) : null}
      {data && data.total > data.people.length ? (
        <p className="card-note">
          Showing {data.people.length} of {data.total}.
        </p>
      ) : null}
    </section>
  );
}
