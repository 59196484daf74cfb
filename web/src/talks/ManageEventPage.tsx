import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import {
  getTalksResults,
  hideProposal,
  type RankedProposal,
  resultsCsvUrl,
  setTalksPhase,
  type TalksPhase,
  type TalksResults,
  unhideProposal,
  updateTalksEvent,
} from '../api/talks';
import { useCurrentPerson } from '../auth/authContext';
import { ErrorAlert, Notice } from '../ui/Alert';
import { Button } from '../ui/Button';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { atMinute } from '../ui/dates';
import { Field } from '../ui/Field';
import { toFormError } from '../ui/formError';
import { LoadError } from '../ui/LoadError';
import { plural } from '../ui/plural';
import { Loading } from '../ui/Spinner';
import { StatusMessage } from '../ui/StatusMessage';
import { TableHead } from '../ui/TableHead';
import { useAsyncAction } from '../ui/useAsyncAction';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useLoad } from '../ui/useLoad';
import { ArchiveDeleteCard } from './ArchiveDeleteCard';
import { EventForm } from './EventForm';
import { PHASE_BADGES, PHASE_LABELS } from './format';
import { VotesChart } from './VotesChart';

const PHASE_ACTIONS: Array<{ phase: TalksPhase; label: string; explain: string }> = [
  { phase: 'proposals', label: 'Take proposals', explain: 'People propose talks; nobody can vote yet.' },
  {
    phase: 'voting',
    label: 'Open voting',
    explain: 'People vote (proposals stay open only if the event keeps them open). Counts stay hidden until the end.',
  },
  { phase: 'closed', label: 'Close voting', explain: 'Votes stop; everyone sees the ranking and the selected talks.' },
];

function PhaseCard({ results, onChanged }: { results: TalksResults; onChanged: (message: string) => void }) {
  const { event } = results;
  const person = useCurrentPerson();
  const [target, setTarget] = useState<TalksPhase | null>(null);
  const { busy, error, run } = useAsyncAction();
  const action = PHASE_ACTIONS.find((a) => a.phase === target);
  return (
    <section className="card" aria-labelledby="phase-title">
      <div className="card-header">
        <h2 id="phase-title" className="card-title">
          Phase
        </h2>
        <span className={PHASE_BADGES[event.phase]}>{PHASE_LABELS[event.phase]}</span>
      </div>
      {error ? <ErrorAlert>{error.message}</ErrorAlert> : null}
      <fieldset className="talks-phase-actions">
        <legend className="visually-hidden">Move the event to a phase</legend>
        {PHASE_ACTIONS.map((a) => (
          <Button
            key={a.phase}
            variant={a.phase === event.phase ? 'primary' : 'secondary'}
            aria-pressed={a.phase === event.phase}
            disabled={a.phase === event.phase}
            busy={busy && target === a.phase}
            onClick={() => setTarget(a.phase)}
          >
            {a.label}
          </Button>
        ))}
      </fieldset>
      <p className="card-meta">
        {event.phase === 'proposals' && event.votingOpensAt
          ? `Voting opens by itself ${atMinute(event.votingOpensAt, person.timezone)}. `
          : ''}
        {event.phase !== 'closed' && event.votingClosesAt
          ? `Voting closes by itself ${atMinute(event.votingClosesAt, person.timezone)}.`
          : ''}
      </p>
      <ConfirmDialog
        open={target !== null && !busy}
        title={action ? `${action.label} now?` : ''}
        confirmLabel={action?.label ?? 'OK'}
        onCancel={() => setTarget(null)}
        onConfirm={() => {
          const phase = target;
          if (!phase) return;
          void run(async () => {
            await setTalksPhase(event.id, phase);
            onChanged(`The event is now: ${PHASE_LABELS[phase].toLowerCase()}.`);
          }).finally(() => setTarget(null));
        }}
      >
        <p>{action?.explain}</p>
      </ConfirmDialog>
    </section>
  );
}

function RankingTable({
  ranking,
  onHide,
  onUnhide,
  busyId,
}: {
  ranking: RankedProposal[];
  onHide: (row: RankedProposal) => void;
  onUnhide: (row: RankedProposal) => void;
  busyId: string | null;
}) {
  if (!ranking.length) return <p className="muted">No proposals yet.</p>;
  return (
    <div className="table-wrap">
      <table className="table talks-ranking">
        <TableHead columns={['#', 'Talk', 'Votes']} />
        <tbody>
          {ranking.map((row) => (
            <tr key={row.id} className={row.hidden ? 'is-hidden' : row.selected ? 'is-selected' : undefined}>
              <td className="talks-ranking-rank">{row.rank ?? '–'}</td>
              <th scope="row" className="talks-ranking-talk">
                <span className="talks-ranking-title">{row.title}</span>
                <span className="talks-ranking-speaker">
                  {row.speaker.name} <span className="muted">({row.speaker.username})</span>
                </span>
                <span className="badges">
                  {row.selected ? <span className="badge badge-ok">Selected</span> : null}
                  {row.hidden ? <span className="badge badge-off">Hidden</span> : null}
                </span>
                {row.hidden && row.hiddenReason ? (
                  <span className="talks-hidden-reason">{row.hiddenReason}</span>
                ) : null}
              </th>
              <td className="talks-ranking-votes">{row.votes}</td>
              <td className="cell-actions">
                {row.hidden ? (
                  <Button size="sm" busy={busyId === row.id} onClick={() => onUnhide(row)}>
                    Show
                  </Button>
                ) : (
                  <Button size="sm" variant="ghost" busy={busyId === row.id} onClick={() => onHide(row)}>
                    Hide
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function SuspiciousPanel({ results, timeZone }: { results: TalksResults; timeZone: string }) {
  return (
    <section className="card" aria-labelledby="suspicious-title">
      <h2 id="suspicious-title" className="card-title">
        Voting to look at
      </h2>
      {results.suspicious.length === 0 ? (
        <p className="muted">
          Nothing stands out: no group of accounts created from one address within a short time votes alike.
        </p>
      ) : (
        <>
          <p className="card-meta">
            Hints, not proof: an office sharing one address can look the same. Check before hiding anything.
          </p>
          <ul className="talks-suspicious">
            {results.suspicious.map((group) => (
              <li key={`${group.address}-${group.accounts[0]?.id}`} className="talks-suspicious-item">
                <p>
                  <strong>{plural(group.accounts.length, 'account')}</strong> created from <code>{group.address}</code>,
                  each within {group.windowMinutes} minutes of the previous, voted alike:
                </p>
                <ul>
                  {group.proposals.map((p) => (
                    <li key={p.id}>
                      “{p.title}”: {p.votesFromGroup} of its {plural(p.votes, 'vote')}
                    </li>
                  ))}
                </ul>
                <details>
                  <summary>The accounts</summary>
                  <ul>
                    {group.accounts.map((a) => (
                      <li key={a.id}>
                        {a.name} ({a.username}), created {atMinute(a.createdAt, timeZone)}
                      </li>
                    ))}
                  </ul>
                </details>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

export function ManageEventPage() {
  const { eventId = '' } = useParams();
  const person = useCurrentPerson();
  const results = useLoad(`results:${eventId}`, (signal) => getTalksResults(eventId, signal));
  const [status, setStatus] = useState<string | null>(null);
  const [hiding, setHiding] = useState<RankedProposal | null>(null);
  const [reason, setReason] = useState('');
  const [settingsSaved, setSettingsSaved] = useState(false);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [actionError, setActionError] = useState<{ message: string; field?: string } | null>(null);
  useDocumentTitle(results.data ? `Manage ${results.data.event.name}` : 'Manage event');

  if (results.error) return <LoadError what="the results" message={results.error} onRetry={results.reload} />;
  if (!results.data) return <Loading label="Loading the results…" />;
  const data = results.data;
  const { event, totals } = data;

  const changed = (message: string) => {
    setStatus(message);
    results.reload();
  };

  async function hide() {
    if (!hiding) return;
    if (!reason.trim()) {
      setActionError({ field: 'reason', message: 'Say why: the speaker sees the reason.' });
      return;
    }
    const row = hiding;
    setBusyId(row.id);
    try {
      await hideProposal(row.id, reason.trim());
      setHiding(null);
      setReason('');
      setActionError(null);
      changed(`“${row.title}” is hidden.`);
    } catch (caught) {
      setActionError(toFormError(caught));
    } finally {
      setBusyId(null);
    }
  }

  return (
    <>
      <header className="page-header">
        <p className="talks-breadcrumb">
          <Link to="/talks">Talks</Link> › <Link to={`/talks/${event.id}`}>{event.name}</Link>
        </p>
        <h1>Manage: {event.name}</h1>
        <p className="page-lede">
          {plural(totals.proposals, 'proposal')}
          {totals.hidden ? ` (+${totals.hidden} hidden)` : ''}, {plural(totals.votes, 'vote')} from{' '}
          {plural(totals.voters, 'person', 'people')}.
        </p>
      </header>
      <div className="stack">
        <StatusMessage>{status}</StatusMessage>
        <PhaseCard results={data} onChanged={changed} />
        <ArchiveDeleteCard event={event} onChanged={changed} />

        <section className="card" aria-labelledby="ranking-title">
          <div className="card-header">
            <h2 id="ranking-title" className="card-title">
              Ranking
            </h2>
            <a className="btn btn-secondary btn-sm" href={resultsCsvUrl(event.id)} download>
              Download CSV
            </a>
          </div>
          {event.phase !== 'closed' ? (
            <p className="card-meta">Only you see these counts until voting closes.</p>
          ) : null}
          {data.tieAtCutoff ? (
            <Notice>
              The last selected talk has as many votes as the first one left out: decide between them yourselves.
            </Notice>
          ) : null}
          {actionError && !hiding ? <ErrorAlert>{actionError.message}</ErrorAlert> : null}
          <RankingTable
            ranking={data.ranking}
            busyId={busyId}
            onHide={(row) => {
              setActionError(null);
              setReason('');
              setHiding(row);
            }}
            onUnhide={async (row) => {
              setBusyId(row.id);
              setActionError(null);
              try {
                await unhideProposal(row.id);
                changed(`“${row.title}” is shown again.`);
              } catch (caught) {
                setActionError(toFormError(caught));
              } finally {
                setBusyId(null);
              }
            }}
          />
        </section>

        <section className="card" aria-labelledby="timeline-title">
          <h2 id="timeline-title" className="card-title">
            Votes over time
          </h2>
          <VotesChart timeline={data.timeline} timeZone={person.timezone} />
        </section>

        <SuspiciousPanel results={data} timeZone={person.timezone} />

        <section className="card" aria-labelledby="settings-title">
          <h2 id="settings-title" className="card-title">
            Settings
          </h2>
          <EventForm
            key={event.updatedAt}
            initial={event}
            submitLabel="Save settings"
            justSaved={settingsSaved}
            onSubmit={async (input) => {
              await updateTalksEvent(event.id, input);
              setSettingsSaved(true);
              results.reload();
            }}
          />
        </section>
      </div>

      <ConfirmDialog
        open={hiding !== null}
        title="Hide this proposal?"
        confirmLabel="Hide proposal"
        danger
        onCancel={() => {
          setHiding(null);
          setActionError(null);
        }}
        onConfirm={() => void hide()}
      >
        <p>“{hiding?.title}” disappears from every list. Its votes stay; nobody can add new ones.</p>
        <Field
          label="Reason"
          name="reason"
          hint="The speaker sees it."
          error={actionError?.field === 'reason' ? actionError : null}
        >
          {(control) => (
            <textarea
              {...control}
              className="input textarea"
              rows={3}
              maxLength={500}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          )}
        </Field>
        {actionError && hiding && actionError.field !== 'reason' ? (
          <ErrorAlert>{actionError.message}</ErrorAlert>
        ) : null}
      </ConfirmDialog>
    </>
  );
}
