import { Link, useSearchParams } from 'react-router-dom';
import { listMyMeetings, type MeetingWhen } from '../api/meetings';
import { useCurrentPerson } from '../auth/authContext';
import { LoadError } from '../ui/LoadError';
import { Pagination, pageFrom } from '../ui/Pagination';
import { Loading } from '../ui/Spinner';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useLoad } from '../ui/useLoad';
import { MeetingCard } from './MeetingCard';

const TABS: ReadonlyArray<{ when: MeetingWhen; label: string }> = [
  { when: 'upcoming', label: 'Upcoming' },
  { when: 'past', label: 'Past' },
];

/** My meetings: what is ahead (including matches still to arrange) and what is behind. */
export function MeetingsPage() {
  useDocumentTitle('Meetings');
  const me = useCurrentPerson();
  const [params, setParams] = useSearchParams();
  const when: MeetingWhen = params.get('when') === 'past' ? 'past' : 'upcoming';
  const page = pageFrom(params);
  const meetings = useLoad(`meetings:${when}:${page}`, (signal) => listMyMeetings(when, page, signal));
  /** The other tab, from its first page (the page is Pagination's). */
  const show = (next: MeetingWhen) => setParams(next === 'past' ? { when: 'past' } : {});
  const data = meetings.data;

  return (
    <>
      <header className="page-header">
        <h1>Meetings</h1>
        <p className="page-lede">
          Your mixer matches and other meetings, each with its own video room. Times are shown in your timezone (
          {me.timezone}).
        </p>
      </header>

      <fieldset className="meeting-tabs">
        <legend className="visually-hidden">Which meetings</legend>
        <div className="segmented">
          {TABS.map((tab) => (
            <button
              key={tab.when}
              type="button"
              className="segmented-option"
              aria-pressed={tab.when === when}
              onClick={() => show(tab.when)}
            >
              {tab.label}
            </button>
          ))}
        </div>
      </fieldset>

      <section className="stack" aria-labelledby="meetings-list-title" aria-busy={meetings.loading || undefined}>
        <h2 id="meetings-list-title" className="visually-hidden">
          {when === 'upcoming' ? 'Upcoming meetings' : 'Past meetings'}
        </h2>
        {meetings.error ? <LoadError what="your meetings" message={meetings.error} onRetry={meetings.reload} /> : null}
        {!data && meetings.loading ? <Loading label="Loading meetings…" /> : null}
        {data && data.meetings.length > 0 ? (
          <ul className="meeting-list">
            {data.meetings.map((meeting) => (
              <li key={meeting.id}>
                <MeetingCard meeting={meeting} timeZone={me.timezone} />
              </li>
            ))}
          </ul>
        ) : null}
        {data ? (
          <Pagination
            page={page}
            shown={data.meetings.length}
            pageSize={data.pageSize}
            total={data.total}
            empty={
              <div className="empty-inline card">
                {when === 'upcoming' ? (
                  <p>
                    Nothing coming up. <Link to="/mixers">Join a mixer group</Link> to be matched with a colleague —
                    your match will appear here, ready for you to pick a time.
                  </p>
                ) : (
                  <p>
                    No past meetings yet. Meetings you’ve had, and ones that were cancelled, are kept here.{' '}
                    <button type="button" className="link-button" onClick={() => show('upcoming')}>
                      See what’s coming up
                    </button>
                    .
                  </p>
                )}
              </div>
            }
          />
        ) : null}
      </section>
    </>
  );
}
