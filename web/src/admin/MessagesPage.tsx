import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import {
  CHANNEL_LABELS,
  type ChannelName,
  KIND_LABELS,
  listMessageOrigins,
  listMessages,
  MESSAGE_KINDS,
  MESSAGE_STATUSES,
  type MessageFilter,
  type MessageKind,
  type MessageOrigin,
  type MessageStatus,
  resendAllFailed,
  resendMessage,
} from '../api/notifications';
import { ErrorAlert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { FilterSelect } from '../ui/FilterSelect';
import { LoadError } from '../ui/LoadError';
import { Pagination, pageFrom } from '../ui/Pagination';
import { Loading } from '../ui/Spinner';
import { StatusMessage } from '../ui/StatusMessage';
import { useAsyncAction } from '../ui/useAsyncAction';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useLoad } from '../ui/useLoad';
import { ZoneNote } from '../ui/ZoneNote';
import { MessagesTable } from './MessagesTable';
import { MessagesUnreachable } from './MessagesUnreachable';

const STATUS_LABELS: Record<MessageStatus, string> = {
  pending: 'Waiting',
  sending: 'Sending',
  sent: 'Sent',
  failed: 'Failed',
  skipped: 'Skipped',
};

const ORIGIN_TYPES: Record<MessageOrigin['type'], string> = {
  group: 'mixer group',
  event: 'unconference',
  source: 'source',
};

/** A value of the address that is one of `values`, else undefined (no filter): what a hand-edited link may hold. */
const oneOf = <T extends string>(values: readonly T[], value: string | null): T | undefined =>
  value !== null && (values as readonly string[]).includes(value) ? (value as T) : undefined;

type Filter = Exclude<keyof MessageFilter, 'page'>;

export function MessagesPage() {
  useDocumentTitle('Messages');
  const [params, setParams] = useSearchParams();
  const legacyGroup = params.get('group');
  const filter: MessageFilter = {
    status: oneOf(MESSAGE_STATUSES, params.get('status')),
    channel: oneOf(Object.keys(CHANNEL_LABELS) as ChannelName[], params.get('channel')),
    // `group=<id>` is what links made before origins were: the same as origin "group:<id>".
    origin: params.get('origin') || (legacyGroup ? `group:${legacyGroup}` : undefined),
    kind: oneOf(MESSAGE_KINDS, params.get('kind')) as MessageKind | undefined,
    meeting: params.get('meeting') || undefined,
    page: pageFrom(params),
  };
  const key = JSON.stringify(filter);
  const page = useLoad(key, (signal) => listMessages(filter, signal));
  const origins = useLoad('message-origins', listMessageOrigins);
  const [notice, setNotice] = useState<string | null>(null);
  // A notice is about the rows it was given on: another page (Pagination's) clears it, as a filter does.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the page number is the trigger, not a value read.
  useEffect(() => setNotice(null), [filter.page]);
  const [pendingId, setPendingId] = useState<string | null>(null);
  const action = useAsyncAction();

  /** The page is Pagination's; a changed filter starts again from the first page. */
  const setFilter = (name: Filter, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    if (name === 'origin') next.delete('group');
    next.delete('page');
    setParams(next, { replace: true });
    setNotice(null);
  };

  const resendOne = (id: string) => {
    setPendingId(id);
    void action
      .run(async () => {
        await resendMessage(id);
        setNotice('Queued again: it goes out with the next outbox run.');
        page.reload();
      })
      .finally(() => setPendingId(null));
  };
  const resendAll = () =>
    void action.run(async () => {
      const { channel, origin, kind, meeting } = filter;
      const { resent } = await resendAllFailed({ channel, origin, kind, meeting });
      setNotice(resent ? `${resent} failed message${resent === 1 ? '' : 's'} queued again.` : 'Nothing to resend.');
      page.reload();
    });

  const select = (name: Filter, label: string, options: Array<[string, string]>) => (
    <FilterSelect
      label={label}
      name={name}
      value={String(filter[name] ?? '')}
      options={options}
      onChange={(value) => setFilter(name, value)}
    />
  );

  const counts = page.data?.counts;
  const originOptions: Array<[string, string]> = (origins.data ?? []).map((o) => [
    o.origin,
    `${o.name} (${ORIGIN_TYPES[o.type]})`,
  ]);
  // One in the address that has no messages (or is still loading) is still shown as chosen.
  if (filter.origin && !originOptions.some(([value]) => value === filter.origin)) {
    originOptions.unshift([filter.origin, filter.origin]);
  }
  // The meeting is named as the server has it now; until then (or for an unknown id), by its id.
  const meetingTitle = page.data?.meeting?.title ?? filter.meeting ?? '';
  return (
    <>
      <header className="page-header">
        <h1>Messages</h1>
        <p className="page-lede">Every message Convene queued, what became of it, and who it cannot reach.</p>
      </header>
      <div className="stack">
        <section className="card" aria-labelledby="messages-title">
          <h2 id="messages-title" className="card-title">
            Messages
          </h2>
          {filter.meeting ? (
            <div className="filters">
              <FilterSelect
                label="Meeting"
                name="meeting"
                value={filter.meeting}
                options={[[filter.meeting, meetingTitle]]}
                allLabel="All meetings"
                onChange={(value) => setFilter('meeting', value)}
              />
              <p className="card-note">
                <Link to={`/meetings/${encodeURIComponent(filter.meeting)}`}>Open the meeting</Link>
              </p>
            </div>
          ) : null}
          <div className="filters messages-filters">
            {select(
              'status',
              'Status',
              MESSAGE_STATUSES.map((s) => [s, `${STATUS_LABELS[s]}${counts ? ` (${counts[s]})` : ''}`]),
            )}
            {select(
              'channel',
              'Channel',
              (Object.keys(CHANNEL_LABELS) as ChannelName[]).map((c) => [c, CHANNEL_LABELS[c]]),
            )}
            {select('origin', 'Origin', originOptions)}
            {select(
              'kind',
              'Kind',
              MESSAGE_KINDS.map((k) => [k, KIND_LABELS[k]]),
            )}
          </div>
          {counts ? (
            <ul className="message-counts" aria-label="Messages per status">
              {MESSAGE_STATUSES.map((s) => (
                <li key={s}>
                  <span className={`badge message-status-${s}`}>{STATUS_LABELS[s]}</span> {counts[s]}
                </li>
              ))}
            </ul>
          ) : null}
          <div className="form-actions message-actions">
            <Button
              variant="primary"
              size="sm"
              busy={action.busy && pendingId === null}
              disabled={!counts?.failed}
              onClick={resendAll}
            >
              Resend all failed{counts?.failed ? ` (${counts.failed})` : ''}
            </Button>
            <StatusMessage>{notice}</StatusMessage>
          </div>
          {action.error ? <ErrorAlert>{action.error.message}</ErrorAlert> : null}
          {page.error ? <LoadError what="messages" message={page.error} onRetry={page.reload} /> : null}
          {page.loading && !page.data ? <Loading label="Loading messages…" /> : null}
          {page.data?.messages.length ? (
            <div className={page.loading ? 'table-wrap is-loading' : 'table-wrap'}>
              <MessagesTable
                messages={page.data.messages}
                statusLabels={STATUS_LABELS}
                pendingId={pendingId}
                onResend={resendOne}
              />
            </div>
          ) : null}
          {page.data?.messages.length ? <ZoneNote /> : null}
          {page.data ? (
            <Pagination
              page={page.data.page}
              shown={page.data.messages.length}
              pageSize={page.data.pageSize}
              total={page.data.total}
              empty={<p className="empty-inline">No messages match these filters.</p>}
            />
          ) : null}
        </section>
        <MessagesUnreachable />
      </div>
    </>
  );
}
