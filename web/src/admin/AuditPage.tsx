import type { AuditEntryView, AuditQuery } from '@contract/audit';
import { type FormEvent, useState } from 'react';
import { api } from '../api/client';
import { Button } from '../ui/Button';
import { TextField } from '../ui/Field';
import { LoadError } from '../ui/LoadError';
import { atSecond } from '../ui/moments';
import { Loading } from '../ui/Spinner';
import { TableHead } from '../ui/TableHead';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useLoad } from '../ui/useLoad';

const PAGE = 50;

function search(query: AuditQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== '') params.set(key, String(value));
  return params.toString();
}

/** Who did what, when and from where: filters, pages, and the filtered log as CSV. */
export function AuditPage() {
  useDocumentTitle('Audit log');
  const [draft, setDraft] = useState({ action: '', actor: '', since: '' });
  const [filters, setFilters] = useState({ action: '', actor: '', since: '' });
  const [offset, setOffset] = useState(0);
  const query: AuditQuery = { ...filters, limit: PAGE, offset };
  const log = useLoad(`audit:${search(query)}`, (signal) =>
    api.get<{ entries: AuditEntryView[]; total: number }>(`/api/v1/admin/audit?${search(query)}`, { signal }),
  );
  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilters(draft);
    setOffset(0);
  };
  const total = log.data?.total ?? 0;

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
        {log.data ? (
          log.data.entries.length ? (
            <div className="table-wrap">
              <table className="table messages-table audit-table">
                <caption className="visually-hidden">Audit entries, newest first</caption>
                <TableHead columns={['When', 'Who', 'What', 'Subject', 'From']} />
                <tbody>
                  {log.data.entries.map((entry) => (
                    <tr key={entry.id} data-testid="audit-row">
                      <td data-label="When">{atSecond(entry.at)}</td>
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
                        {entry.data ? (
                          <span className="cell-sub">{JSON.stringify(entry.data).slice(0, 160)}</span>
                        ) : null}
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
          ) : (
            <p className="empty-inline">No entries match.</p>
          )
        ) : null}
        {total > PAGE ? (
          <div className="form-actions">
            <Button size="sm" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
              Newer
            </Button>
            <span>
              {offset + 1}–{Math.min(offset + PAGE, total)} of {total}
            </span>
            <Button size="sm" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>
              Older
            </Button>
          </div>
        ) : null}
      </section>
    </>
  );
}
