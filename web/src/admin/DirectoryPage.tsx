import { type ChangeEvent, useState } from 'react';
import { Link } from 'react-router-dom';
import { getDirectoryStatus, type ImportSummaryView, runImport } from '../api/directory';
import { ErrorAlert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { toFormError } from '../ui/formError';
import { LoadError } from '../ui/LoadError';
import { Loading } from '../ui/Spinner';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useLoad } from '../ui/useLoad';
import { ImportRunsTable, ScheduledSyncCard } from './DirectoryRuns';

type Step =
  | { kind: 'idle' }
  | { kind: 'running'; dryRun: boolean; done: number; total: number }
  | { kind: 'checked'; summary: ImportSummaryView }
  | { kind: 'applied'; summary: ImportSummaryView };

const number = (n: number) => n.toLocaleString('en');

/** The staff directory in the admin console: upload a feed, check it (dry run), apply it; the scheduled sync. */
export function DirectoryPage() {
  useDocumentTitle('Staff directory');
  const status = useLoad('directory', getDirectoryStatus);
  const [chosen, setChosen] = useState<File | null>(null);
  const [prune, setPrune] = useState(false);
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  const [error, setError] = useState<string | null>(null);

  async function choose(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    setStep({ kind: 'idle' });
    setError(null);
    // A copy taken now: "Apply" must send what "Check" read, even if the file changes on disk meanwhile.
    setChosen(file ? new File([await file.arrayBuffer()], file.name, { type: file.type }) : null);
  }

  async function run(dryRun: boolean) {
    if (!chosen) return;
    setError(null);
    setStep({ kind: 'running', dryRun, done: 0, total: 0 });
    try {
      const summary = await runImport({ file: chosen, prune, dryRun }, ({ done, total }) =>
        setStep({ kind: 'running', dryRun, done, total }),
      );
      setStep({ kind: dryRun ? 'checked' : 'applied', summary });
      if (!dryRun) status.reload();
    } catch (caught) {
      setStep({ kind: 'idle' });
      setError(toFormError(caught).message);
    }
  }

  const running = step.kind === 'running';
  return (
    <>
      <header className="page-header">
        <h1>Staff directory</h1>
        <p className="page-lede">
          Import the staff feed (JSON or CSV, as <code>convene directory import</code> reads it): check what it would
          change, then apply it.
        </p>
      </header>
      <div className="stack">
        <section className="card" aria-labelledby="import-title">
          <h2 id="import-title" className="card-title">
            Import a feed
          </h2>
          <div className="form">
            <label className="field">
              <span className="field-label">Feed file (.csv or .json)</span>
              <input
                type="file"
                className="input"
                accept=".csv,.json,text/csv,application/json"
                disabled={running}
                onChange={(event) => void choose(event)}
              />
            </label>
            <label className="checkbox">
              <input type="checkbox" checked={prune} disabled={running} onChange={(e) => setPrune(e.target.checked)} />
              Disable directory people missing from this feed (only for a full feed)
            </label>
            <div className="form-actions">
              <Button variant="primary" disabled={!chosen || running} onClick={() => void run(true)}>
                Check the feed
              </Button>
            </div>
          </div>
          {error ? <ErrorAlert>{error}</ErrorAlert> : null}
          {step.kind === 'running' ? <ImportProgress {...step} /> : null}
          {step.kind === 'checked' ? (
            <>
              <ImportSummary summary={step.summary} title="The check found" />
              <p className="muted">Nothing has changed yet.</p>
              <div className="form-actions">
                <Button variant="primary" onClick={() => void run(false)}>
                  Apply these changes
                </Button>
              </div>
            </>
          ) : null}
          {step.kind === 'applied' ? (
            <>
              <ImportSummary summary={step.summary} title="Imported" />
              <p>
                <Link to="/admin">See the people</Link>
              </p>
            </>
          ) : null}
        </section>

        {status.error ? <LoadError what="the directory" message={status.error} onRetry={status.reload} /> : null}
        {!status.data && status.loading ? <Loading label="Loading the directory…" /> : null}
        {status.data ? (
          <>
            <ScheduledSyncCard status={status.data} />
            <section className="card" aria-labelledby="runs-title">
              <h2 id="runs-title" className="card-title">
                Recent imports
              </h2>
              <ImportRunsTable runs={status.data.recentRuns} />
            </section>
          </>
        ) : null}
      </div>
    </>
  );
}

function ImportProgress({ dryRun, done, total }: { dryRun: boolean; done: number; total: number }) {
  const verb = dryRun ? 'Checked' : 'Imported';
  return (
    <div className="import-progress" aria-live="polite">
      <progress max={total || 1} value={total ? done : undefined} aria-label={`${verb} records`} />
      <span>{total ? `${verb} ${number(done)} of ${number(total)} records…` : 'Reading the feed…'}</span>
    </div>
  );
}

const COUNTS: ReadonlyArray<[keyof ImportSummaryView, string]> = [
  ['created', 'Created'],
  ['updated', 'Updated'],
  ['unchanged', 'Unchanged'],
  ['skipped', 'Skipped'],
  ['disabled', 'Disabled'],
];

function ImportSummary({ summary, title }: { summary: ImportSummaryView; title: string }) {
  return (
    <div className="import-summary">
      <h3 className="card-subtitle">
        {title}: {number(summary.records)} records
      </h3>
      <dl className="import-counts">
        {COUNTS.map(([key, label]) => (
          <div key={key}>
            <dt>{label}</dt>
            <dd>{number(summary[key] as number)}</dd>
          </div>
        ))}
      </dl>
      <ProblemTable title="Problems (these records are skipped)" problems={summary.problems} />
      <ProblemTable title="Warnings (imported, with something left out)" problems={summary.warnings} />
    </div>
  );
}

function ProblemTable({ title, problems }: { title: string; problems: ImportSummaryView['problems'] }) {
  if (!problems.length) return null;
  return (
    <div className="table-wrap">
      <table className="table problems-table">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Where</th>
            <th scope="col">Field</th>
            <th scope="col">Problem</th>
          </tr>
        </thead>
        <tbody>
          {problems.map((problem, index) => (
            // Positions repeat (one problem per bad field of a record): the index keeps keys apart.
            // biome-ignore lint/suspicious/noArrayIndexKey: the list never reorders.
            <tr key={index}>
              <td data-label="Where">{problem.position}</td>
              <td data-label="Field">{problem.field ?? '—'}</td>
              <td data-label="Problem">{problem.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
