import { listUnreachable, type ReachPerson } from '../api/notifications';
import { LoadError } from '../ui/LoadError';
import { Loading } from '../ui/Spinner';
import { useLoad } from '../ui/useLoad';

/** People Convene should reach but cannot, with what to fix; then those a channel failed. */
export function MessagesUnreachable() {
  const { data, loading, error, reload } = useLoad('unreachable', listUnreachable);
  return (
    <section className="card" aria-labelledby="unreachable-title">
      <h2 id="unreachable-title" className="card-title">
        Unreachable people
      </h2>
      <p className="card-note">
        Active mixer members, people with upcoming meetings and people recent messages failed, whom no channel they use
        reaches.
      </p>
      {loading && !data ? <Loading label="Checking who can be reached…" /> : null}
      {error ? <LoadError what="unreachable people" message={error} onRetry={reload} /> : null}
      {data && !data.people.length ? <p className="empty-inline">Everyone can be reached.</p> : null}
      {data ? <People people={data.people} total={data.total} list="reasons" /> : null}
      {data?.warned.length ? (
        <>
          <h3 className="unreachable-subtitle">Reachable, but a channel failed them</h3>
          <p className="card-note">Another channel reaches them; fix these so they get messages where they chose.</p>
          <People people={data.warned} total={data.warnedTotal} list="warnings" />
        </>
      ) : null}
    </section>
  );
}

function People({ people, total, list }: { people: ReachPerson[]; total: number; list: 'reasons' | 'warnings' }) {
  if (!people.length) return null;
  return (
    <>
      <ul className="unreachable-list">
        {people.map((person) => (
          <li key={person.id} className={list === 'warnings' ? 'unreachable is-warning' : 'unreachable'}>
            <span className="unreachable-name">{person.name}</span>
            <span className="cell-sub">{person.email ?? 'No e-mail address'}</span>
            <ul className="unreachable-reasons">
              {(list === 'reasons' ? [...person.reasons, ...person.warnings] : person.warnings).map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      {total > people.length ? (
        <p className="card-note">
          Showing {people.length} of {total}.
        </p>
      ) : null}
    </>
  );
}
