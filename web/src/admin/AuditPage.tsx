import type { AuditEntryView, AuditQuery } from '@contract/audit';
import { type FormEvent, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api } from '../api/client';
import { Button } from '../ui/Button';
import { atSecond } from '../ui/dates';
import { TextField } from '../ui/Field';
import { LoadError } from '../ui/LoadError';
import { Pagination, pageFrom } from '../ui/Pagination';
import { Loading } from '../ui/Spinner';
import { TableHead } from '../ui/TableHead';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useLoad } from '../ui/useLoad';
import { useTimeZone } from '../ui/useTimeZone';

const PAGE = 50;
const FILTERS = ['action', 'actor', 'since'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;

function search(query: AuditQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== '') params.set(key, String(value));
  return params.toString();
}

/** Who did what, when and from where: filters, pages, and the filtered log as CSV. */
export function AuditPage() {
  const zone = useTimeZone();
  useDocumentTitle('Audit log');
  // The filters applied and the page live in the address, as on the other admin lists.
  const [params, setParams] = useSearchParams();
  const filters = Object.fromEntries(FILTERS.map((name) => [name, params.get(name) ?? ''])) as Filters;
  const page = pageFrom(params);
  const [draft, setDraft] = useState(filters);
  // Back and Forward change the filters applied: the form follows them.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the applied values are the triggers.
  useEffect(() => setDraft(filters), [filters.action, filters.actor, filters.since]);
  const query: AuditQuery = { ...filters, limit: PAGE, offset: (page - 1) * PAGE };
  const log = useLoad(`audit:${search(query)}`, (signal) =>
    api.get<{ entries: AuditEntryView[]; total: number }>(`/api/v1/admin/audit?${search(query)}`, { signal }),
  );
  const apply = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams(params);
    for (const name of FILTERS) {
      const value = draft[name].trim();
      if (value) next.set(name, value);
      else next.delete(name);
    }
    // The page is Pagination's; other filters start again from the first page.
    next.delete('page');
    setParams(next, { replace: true });
  };

  return (
    <>
      <header className="page-header">
        <h1>Audit log</h1>
        <p className="page-lede">Every change made in Convene: who, what, when and from which address.</p>
      </header>
      <section className="card" aria-labelledby="audit-title">
        <h2 id="audit-title" className="card-title">
          Entries
        </h2>
        <form className="form-row audit-filters" onSubmit={apply} aria-label="Filter the audit log">
          <TextField
            label="Action"
            name="action"
            hint="Or its start, e.g. person."
            value={draft.action}
            onChange={(e) => setDraft({ ...draft, action: e.target.value })}
          />
          <TextField
            label="Who"
            name="actor"
            hint="Username or e-mail"
            value={draft.actor}
            onChange={(e) => setDraft({ ...draft, actor: e.target.value })}
          />
          <TextField
            label="Since"
            name="since"
            type="date"
            value={draft.since}
            onChange={(e) => setDraft({ ...draft, since: e.target.value })}
          />
          <div className="form-actions">
            <Button type="submit" variant="primary">
              Filter
            </Button>
            <a className="btn btn-secondary" href={`/api/v1/admin/audit.csv?${search(filters)}`} download>
              Download CSV
            </a>
          </div>
        </form>
        {log.error ? <LoadError what="the audit log" message={log.error} onRetry={log.reload} /> : null}
        {log.loading && !log.data ? <Loading label="Loading the audit log…" /> : null}
        {log.data?.entries.length ? (
          <div className="table-wrap">
            <table className="table messages-table audit-table">
              <caption className="visually-hidden">Audit entries, newest first</caption>
              <TableHead columns={['When', 'Who', 'What', 'Subject', 'From']} actions={false} />
              <tbody>
                {log.data.entries.map((entry) => (
                  <tr key={entry.id} data-testid="audit-row">
                    <td data-label="When">{atSecond(entry.at, zone)}</td>
                    <td data-label="Who">
                      {entry.actor ? (
                        entry.actor.username
                      ) : entry.apiToken ? (
                        `API token “${entry.apiToken.name}”`
                      ) : (
                        <span className="muted">system</span>
                      )}
                    </td>
                    <th scope="row" data-label="What">
                      {entry.action}
                      {entry.data ? <span className="cell-sub">{JSON.stringify(entry.data).slice(0, 160)}</span> : null}
                    </th>
                    <td data-label="Subject">
                      {entry.subjectType ? `${entry.subjectType} ${entry.subjectId ?? ''}` : '—'}
                    </td>
                    <td data-label="From">{entry.ip ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        {log.data ? (
          <Pagination
            page={page}
            shown={log.data.entries.length}
            pageSize={PAGE}
            total={log.data.total}
            empty={<p className="empty-inline">No entries match.</p>}
          />
        ) : null}
      </section>
    </>
  );
}
