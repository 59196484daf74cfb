import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Pagination } from '../admin/Pagination';
import { listAllMeetings, type MeetingStatus } from '../api/meetings';
import { listGroups } from '../api/mixers';
import { useCurrentPerson } from '../auth/authContext';
import { formatDay } from '../mixers/format';
import { FilterSelect } from '../ui/FilterSelect';
import { LoadError } from '../ui/LoadError';
import { Loading } from '../ui/Spinner';
import { StatusMessage } from '../ui/StatusMessage';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useLoad } from '../ui/useLoad';
import { CreateMeetingForm } from './CreateMeetingForm';
import { MeetingStatusBadge } from './StatusBadge';
import { formatMeetingTime } from './time';

const STATUSES: MeetingStatus[] = ['scheduled', 'rescheduled', 'cancelled', 'done'];

/** Every meeting, by status and group, and a form to create one. */
export function AdminMeetingsPage() {
  useDocumentTitle('Meetings · Admin');
  const me = useCurrentPerson();
  const [status, setStatus] = useState<MeetingStatus | ''>('');
  const [group, setGroup] = useState('');
  const [page, setPage] = useState(1);
  const [created, setCreated] = useState<string | null>(null);
  const groups = useLoad('admin-meeting-groups', (signal) => listGroups({ archived: true }, signal));
  const meetings = useLoad(`admin-meetings:${status}:${group}:${page}`, (signal) =>
    listAllMeetings({ status: status || undefined, group: group || undefined, page }, signal),
  );

  return (
    <div className="admin-meetings">
      <section className="card" aria-labelledby="admin-meetings-title">
        <h1 id="admin-meetings-title" className="card-title">
          Meetings
        </h1>
        <div className="filters">
          <FilterSelect
            label="Status"
            name="status"
            value={status}
            allLabel="Any status"
            options={STATUSES.map((s) => [s, `${s[0]?.toUpperCase()}${s.slice(1)}`] as const)}
            onChange={(value) => {
              setStatus(value as MeetingStatus | '');
              setPage(1);
            }}
          />
          <FilterSelect
            label="Mixer group"
            name="group"
            value={group}
            allLabel="Any group"
            options={(groups.data ?? []).map((g) => [g.id, g.name] as const)}
            onChange={(value) => {
              setGroup(value);
              setPage(1);
            }}
          />
        </div>
        {meetings.error ? <LoadError what="meetings" message={meetings.error} onRetry={meetings.reload} /> : null}
        {!meetings.data && meetings.loading ? <Loading label="Loading meetings…" /> : null}
        {meetings.data && meetings.data.meetings.length === 0 ? (
          <div className="empty-inline">
            <p>No meetings match. Mixer rounds create them, or create one below.</p>
          </div>
        ) : null}
        {meetings.data && meetings.data.meetings.length > 0 ? (
          <ul className="meeting-admin-list" aria-busy={meetings.loading || undefined}>
            {meetings.data.meetings.map((m) => (
              <li key={m.id} className="meeting-admin-row">
                <div className="meeting-admin-main">
                  <Link to={`/meetings/${m.id}`} className="meeting-card-title">
                    {m.title}
                  </Link>
                  <span className="muted">
                    {m.participants.map((p) => p.name || p.username).join(', ') || 'Nobody'}
                    {m.groupName ? ` · ${m.groupName}` : ''}
                  </span>
                </div>
                <span className="meeting-admin-when">
                  {m.startsAt ? (
                    formatMeetingTime(m.startsAt, m.durationMinutes, me.timezone)
                  ) : m.source === 'round' ? (
                    <>
                      Matched on <time dateTime={m.createdAt}>{formatDay(m.createdAt, me.timezone)}</time> · no time
                    </>
                  ) : (
                    'No time yet'
                  )}
                </span>
                <MeetingStatusBadge status={m.status} timed={Boolean(m.startsAt)} />
              </li>
            ))}
          </ul>
        ) : null}
        {meetings.data ? (
          <Pagination page={page} pageSize={meetings.data.pageSize} total={meetings.data.total} onPage={setPage} />
        ) : null}
      </section>

      <section className="card" aria-labelledby="create-meeting-title">
        <h2 id="create-meeting-title" className="card-title">
          Create a meeting
        </h2>
        <p className="card-lede">
          Everyone in it gets an introduction with the video room (and an invitation when it has a time).
        </p>
        <StatusMessage>{created}</StatusMessage>
        <CreateMeetingForm
          timeZone={me.timezone}
          onCreated={(m) => {
            setCreated(`Created “${m.title}”.`);
            setPage(1);
            meetings.reload();
          }}
        />
      </section>
    </div>
  );
}
