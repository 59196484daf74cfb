import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { listGroups } from '../api/mixers';
import {
  CHANNEL_LABELS,
  type ChannelName,
  KIND_LABELS,
  listMessages,
  MESSAGE_KINDS,
  MESSAGE_STATUSES,
  type MessageFilter,
  type MessageKind,
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

type Filter = Exclude<keyof MessageFilter, 'page'>;

export function MessagesPage() {
  useDocumentTitle('Messages');
  const [params, setParams] = useSearchParams();
  const filter: MessageFilter = {
    status: (params.get('status') as MessageStatus | null) ?? undefined,
    channel: (params.get('channel') as ChannelName | null) ?? undefined,
    group: params.get('group') ?? undefined,
    kind: (params.get('kind') as MessageKind | null) ?? undefined,
    page: pageFrom(params),
  };
  const key = JSON.stringify(filter);
  const page = useLoad(key, (signal) => listMessages(filter, signal));
  const groups = useLoad('groups', (signal) => listGroups({ archived: true }, signal));
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
      const { resent } = await resendAllFailed({ channel: filter.channel, group: filter.group });
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
            {select(
              'group',
              'Group',
              (groups.data ?? []).map((g) => [g.id, g.name]),
            )}
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
