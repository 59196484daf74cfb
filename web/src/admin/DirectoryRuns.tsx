import type { DirectoryStatus, ImportRun } from '../api/directory';
import { atMinute } from '../ui/dates';
import { useTimeZone } from '../ui/useTimeZone';

const ORIGINS: Record<ImportRun['origin'], string> = {
  web: 'Upload',
  cli: 'Command line',
  scheduled: 'Scheduled sync',
  unknown: 'Command line or sync',
};

function countsOf(run: ImportRun): string {
  if (!run.counts) return run.error ?? '';
  const { records, created, updated, unchanged, skipped, disabled } = run.counts;
  return (
    `${records} records: ${created} created, ${updated} updated, ${unchanged} unchanged, ` +
    `${skipped} skipped, ${disabled} disabled`
  );
}

function Outcome({ run }: { run: ImportRun }) {
  return run.outcome === 'succeeded' ? (
    <span className="badge badge-ok">Succeeded</span>
  ) : (
    <span className="badge badge-off">Failed</span>
  );
}

/** The configured sync (directory.feeds and directory.syncCron), when it runs next and how it went last. */
export function ScheduledSyncCard({ status }: { status: DirectoryStatus }) {
  const zone = useTimeZone();
  const last = status.lastScheduledRun;
  return (
    <section className="card" aria-labelledby="sync-title">
      <h2 id="sync-title" className="card-title">
        Scheduled sync
      </h2>
      {status.feeds.length && status.syncCron ? (
        <dl className="facts">
          <dt>Feeds</dt>
          <dd>
            <ul className="plain-list">
              {status.feeds.map((feed) => (
                <li key={feed}>
                  <code>{feed}</code>
                </li>
              ))}
            </ul>
          </dd>
          <dt>When</dt>
          <dd>
            <code>{status.syncCron}</code> ({status.timezone})
            {status.prune ? ', disabling people missing from the feeds' : ''}
          </dd>
          <dt>Next run</dt>
          <dd>{status.nextRunAt ? atMinute(status.nextRunAt, zone) : 'none'}</dd>
          <dt>Last run</dt>
          <dd>
            {last ? (
              <>
                {atMinute(last.at, zone)} <Outcome run={last} /> <span className="cell-sub">{countsOf(last)}</span>
              </>
            ) : (
              'not yet'
            )}
          </dd>
        </dl>
      ) : (
        <p className="muted">
          No scheduled sync. To sync a feed every night, set <code>directory.feeds</code> and{' '}
          <code>directory.syncCron</code> (for example <code>0 3 * * *</code>) in the configuration.
        </p>
      )}
    </section>
  );
}

export function ImportRunsTable({ runs }: { runs: ImportRun[] }) {
  const zone = useTimeZone();
  if (!runs.length) return <p className="empty-inline">No import yet.</p>;
  return (
    <div className="table-wrap">
      <table className="table runs-table">
        <caption className="visually-hidden">Recent imports, newest first</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">How</th>
            <th scope="col">Outcome</th>
            <th scope="col">What changed</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={`${run.at}-${run.origin}`}>
              <td data-label="When">{atMinute(run.at, zone)}</td>
              <td data-label="How">
                {/* One element: on a phone the cell is a grid of label and value, and a second child would wrap under the label. */}
                <span>
                  {ORIGINS[run.origin]}
                  {run.actorName ? <span className="cell-sub"> by {run.actorName}</span> : null}
                </span>
              </td>
              <td data-label="Outcome">
                <Outcome run={run} />
              </td>
              <td data-label="What changed">{countsOf(run)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
