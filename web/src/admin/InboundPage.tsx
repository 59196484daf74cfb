import { type FormEvent, useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { DELIVERY_OUTCOMES, type DeliveryOutcome, getInboundSetup, listDeliveries } from '../api/ingest';
import { atSecond } from '../ui/dates';
import { Field } from '../ui/Field';
import { FilterSelect } from '../ui/FilterSelect';
import { LoadError } from '../ui/LoadError';
import { Pagination, pageFrom } from '../ui/Pagination';
import { Loading } from '../ui/Spinner';
import { TableHead } from '../ui/TableHead';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useLoad } from '../ui/useLoad';
import { useTimeZone } from '../ui/useTimeZone';
import { InboundRefusals } from './InboundRefusals';
import { InboundSetup, intra42Ready } from './InboundSetup';

const OUTCOME_LABELS: Record<DeliveryOutcome, string> = {
  ok: 'Done',
  ignored: 'Ignored',
  rejected: 'Rejected',
  failed: 'Failed',
  processing: 'In progress',
};
/** As the Messages page's statuses: done green, in progress accent, harmless grey, refused amber, failed red. */
const OUTCOME_BADGE: Record<DeliveryOutcome, string> = {
  ok: 'badge-ok',
  ignored: 'badge-member',
  rejected: 'badge-warn',
  failed: 'badge-off',
  processing: 'badge-admin',
};

/** What arrived from outside (42 webhooks, the queue), newest first, with how each delivery ended. */
export function InboundPage() {
  const zone = useTimeZone();
  useDocumentTitle('Inbound');
  const [params, setParams] = useSearchParams();
  const outcome = (params.get('outcome') as DeliveryOutcome | null) ?? undefined;
  const find = params.get('find')?.trim() || undefined;
  const pageNumber = pageFrom(params);
  const filter = { outcome, find, page: pageNumber };
  const [findText, setFindText] = useState(find ?? '');
  // Back, Forward or a link to another scale team change the address: the box follows it.
  useEffect(() => setFindText(find ?? ''), [find]);
  const page = useLoad(JSON.stringify(filter), (signal) => listDeliveries(filter, signal));
  // Not set up, it comes first: "Nothing has arrived yet" alone would hide that nothing can.
  const setup = useLoad('inbound-setup', getInboundSetup);
  const ready = setup.data ? intra42Ready(setup.data) : true;
  const setupCard = setup.error ? (
    <LoadError what="the 42 intranet's setup" message={setup.error} onRetry={setup.reload} />
  ) : setup.data ? (
    <InboundSetup setup={setup.data} />
  ) : null;

  /** The page is Pagination's; a changed filter starts again from the first page. */
  const set = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    next.delete('page');
    setParams(next, { replace: true });
  };
  // Ids match whole, so the list changes on Enter, not at every keystroke (and at once when cleared).
  const submitFind = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    set('find', findText.trim());
  };

  return (
    <>
      <header className="page-header">
        <h1>Inbound</h1>
        <p className="page-lede">Webhooks and queue messages received from other systems, and what became of each.</p>
      </header>
      <div className="stack">
        {ready ? null : setupCard}
        <InboundRefusals />
        <section className="card" aria-labelledby="inbound-title">
          <h2 id="inbound-title" className="card-title">
            Deliveries
          </h2>
          <search aria-label="Filter deliveries">
            <form className="filters" onSubmit={submitFind}>
              <Field label="Find" name="find" hint="A scale team's id, or one delivery's id; then Enter.">
                {(control) => (
                  <input
                    {...control}
                    type="search"
                    className="input"
                    placeholder="4242 or a delivery id"
                    autoComplete="off"
                    maxLength={200}
                    value={findText}
                    onChange={(e) => {
                      setFindText(e.target.value);
                      if (!e.target.value && find) set('find', '');
                    }}
                  />
                )}
              </Field>
              <FilterSelect
                label="Outcome"
                name="outcome"
                value={outcome ?? ''}
                options={DELIVERY_OUTCOMES.map((o) => [o, OUTCOME_LABELS[o]] as const)}
                onChange={(value) => set('outcome', value)}
              />
            </form>
          </search>
          {page.error ? <LoadError what="deliveries" message={page.error} onRetry={page.reload} /> : null}
          {page.loading && !page.data ? <Loading label="Loading deliveries…" /> : null}
          {page.data?.deliveries.length ? (
            <div className="table-wrap">
              <table className="table messages-table inbound-table">
                <caption className="visually-hidden">Deliveries, newest first</caption>
                <TableHead columns={['Received', 'Source', 'Delivery', 'Outcome', 'What happened']} actions={false} />
                <tbody>
                  {page.data.deliveries.map((d) => (
                    <tr key={d.id}>
                      <th scope="row" data-label="Received">
                        {atSecond(d.receivedAt, zone)}
                      </th>
                      <td data-label="Source">
                        {d.source}
                        <span className="cell-sub">
                          {d.channel === 'queue'
                            ? `queue message${d.deadLettered ? ' · dead-lettered' : ''}`
                            : 'webhook'}
                        </span>
                      </td>
                      <td data-label="Delivery">
                        <span className="cell-code">{d.deliveryId}</span>
                        {d.subject ? (
                          <span className="cell-sub">
                            <Link
                              to={{ search: `?find=${encodeURIComponent(d.subject)}` }}
                              title={`Every delivery about scale team ${d.subject}`}
                            >
                              scale team {d.subject}
                            </Link>
                          </span>
                        ) : null}
                      </td>
                      <td data-label="Outcome">
                        <span className={`badge ${OUTCOME_BADGE[d.outcome]}`}>{OUTCOME_LABELS[d.outcome]}</span>
                        {d.statusCode ? (
                          <span className="cell-sub">
                            {d.channel === 'queue' ? 'status' : 'HTTP'} {d.statusCode}
                          </span>
                        ) : null}
                      </td>
                      <td data-label="What happened">
                        {d.error ? <span className="message-error">{d.error}</span> : (d.summary ?? '—')}
                        {d.meetingId ? (
                          <span className="cell-sub">
                            <Link to={`/meetings/${encodeURIComponent(d.meetingId)}`}>Open the meeting</Link>
                          </span>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          {page.data ? (
            <Pagination
              page={page.data.page}
              shown={page.data.deliveries.length}
              hasMore={page.data.hasMore}
              empty={
                <p className="empty-inline">
                  {find
                    ? `No delivery is about scale team “${find}” or has that delivery id${outcome ? ' with this outcome' : ''}.`
                    : `Nothing has arrived${outcome ? ' with this outcome' : ''} yet${ready ? '' : ', and nothing from the 42 intranet can until its webhooks are set up (above)'}.`}
                </p>
              }
            />
          ) : null}
        </section>
        {ready ? setupCard : null}
      </div>
    </>
  );
}
