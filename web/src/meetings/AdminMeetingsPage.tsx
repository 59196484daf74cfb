import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { listAllMeetings, listMeetingSources, type MeetingStatus } from '../api/meetings';
import { listGroups } from '../api/mixers';
import { useCurrentPerson } from '../auth/authContext';
import { onDay } from '../ui/dates';
import { FilterSelect } from '../ui/FilterSelect';
import { LoadError } from '../ui/LoadError';
import { Pagination, pageFrom } from '../ui/Pagination';
import { Loading } from '../ui/Spinner';
import { StatusMessage } from '../ui/StatusMessage';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useLoad } from '../ui/useLoad';
import { CreateMeetingForm } from './CreateMeetingForm';
import { MeetingStatusBadge } from './StatusBadge';
import { fromOutside, sourceLabel, validSource } from './source';
import { formatMeetingTime } from './time';

const STATUSES: MeetingStatus[] = ['scheduled', 'rescheduled', 'cancelled', 'done'];

type Filter = 'status' | 'group' | 'source';

/**
 * The list's filters, kept in the address (as on the Messages and People pages): a filtered list
 * survives a reload, can be shared, and Back returns to it. A value the API would refuse is no filter.
 */
function useMeetingFilters() {
  const [params, setParams] = useSearchParams();
  const statusParam = params.get('status');
  const status: MeetingStatus | '' = STATUSES.find((s) => s === statusParam) ?? '';
  const group = params.get('group') ?? '';
  const source = validSource(params.get('source'));
  const page = pageFrom(params);
  // The page is Pagination's: a changed filter, or a meeting just created, starts again from the first.
  const write = (change: (next: URLSearchParams) => void) => {
    const next = new URLSearchParams(params);
    change(next);
    next.delete('page');
    setParams(next, { replace: true });
  };
  /** A filter, or none (''). */
  const set = (name: Filter, value: string) => write((next) => (value ? next.set(name, value) : next.delete(name)));
  const toFirstPage = () => write(() => undefined);
  return { status, group, source, page, set, toFirstPage };
}

/** Every meeting, by status, group and source, and a form to create one. */
export function AdminMeetingsPage() {
  useDocumentTitle('Meetings · Admin');
  const me = useCurrentPerson();
  const { status, group, source, page, set, toFirstPage } = useMeetingFilters();
  const [created, setCreated] = useState<string | null>(null);
  const groups = useLoad('admin-meeting-groups', (signal) => listGroups({ archived: true }, signal));
  const sources = useLoad('admin-meeting-sources', (signal) => listMeetingSources(signal));
  // The sources there are, by label; one named in the address but gone stays listed, as chosen.
  const sourceOptions = [...new Set([...(sources.data ?? []), ...(source ? [source] : [])])]
    .map((s) => [s, sourceLabel(s)] as const)
    .sort((a, b) => a[1].localeCompare(b[1]));
  const meetings = useLoad(`admin-meetings:${status}:${group}:${source}:${page}`, (signal) =>
    listAllMeetings(
      { status: status || undefined, group: group || undefined, source: source || undefined, page },
      signal,
    ),
  );

  return (
    <>
      <header className="page-header">
        <h1>Meetings</h1>
        <p className="page-lede">
          Every meeting, whether from a mixer round, an unconference schedule, another system or made here by hand.
        </p>
      </header>
      <div className="admin-meetings">
        <section className="card" aria-labelledby="admin-meetings-title">
          <h2 id="admin-meetings-title" className="card-title">
            All meetings
          </h2>
          <div className="filters">
            <FilterSelect
              label="Status"
              name="status"
              value={status}
              allLabel="Any status"
              options={STATUSES.map((s) => [s, `${s[0]?.toUpperCase()}${s.slice(1)}`] as const)}
              onChange={(value) => set('status', value)}
            />
            <FilterSelect
              label="Mixer group"
              name="group"
              value={group}
              allLabel="Any group"
              options={(groups.data ?? []).map((g) => [g.id, g.name] as const)}
              onChange={(value) => set('group', value)}
            />
            <FilterSelect
              label="Source"
              name="source"
              value={source}
              allLabel="Any source"
              options={sourceOptions}
              onChange={(value) => set('source', value)}
            />
          </div>
          {meetings.error ? <LoadError what="meetings" message={meetings.error} onRetry={meetings.reload} /> : null}
          {!meetings.data && meetings.loading ? <Loading label="Loading meetings…" /> : null}
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
                    <span className="meeting-admin-source">
                      {sourceLabel(m.source)}
                      {m.externalId && fromOutside(m.source) ? (
                        <>
                          {' · '}
                          <span className="meeting-admin-external" title={m.externalId}>
                            id <code className="meeting-admin-id">{m.externalId}</code>
                          </span>
                        </>
                      ) : null}
                    </span>
                  </div>
                  <span className="meeting-admin-when">
                    {m.startsAt ? (
                      formatMeetingTime(m.startsAt, m.durationMinutes, me.timezone)
                    ) : m.source === 'round' ? (
                      <>
                        Matched on <time dateTime={m.createdAt}>{onDay(m.createdAt, me.timezone)}</time> · no time
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
            <Pagination
              page={page}
              shown={meetings.data.meetings.length}
              pageSize={meetings.data.pageSize}
              total={meetings.data.total}
              empty={
                <div className="empty-inline">
                  <p>No meetings match. Mixer rounds create them, or create one below.</p>
                </div>
              }
            />
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
              toFirstPage();
              meetings.reload();
              sources.reload();
            }}
          />
        </section>
      </div>
    </>
  );
}
