import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import {
  type EventDetail,
  getUnconferenceEvent,
  getUnconferenceProposals,
  type InterestLevel,
  type ProposalDetail,
  type ProposalList,
  proposeSession,
  setInterest,
  withdrawSession,
} from '../api/unconference';
import { useAuth } from '../auth/authContext';
import { Notice } from '../ui/Alert';
import { Button } from '../ui/Button';
import { calendarDay } from '../ui/dates';
import { toFormError } from '../ui/formError';
import { LoadError } from '../ui/LoadError';
import { plural } from '../ui/plural';
import { Loading } from '../ui/Spinner';
import { StatusMessage } from '../ui/StatusMessage';
import { useAsyncAction } from '../ui/useAsyncAction';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useLoad } from '../ui/useLoad';
import { INTEREST_OPTIONS, PHASE_BADGES, PHASE_LABELS } from './format';
import { EditProposalForm } from './proposals/EditProposalForm';
import { ProposalForm } from './proposals/ProposalForm';
import { WithdrawSessionButton } from './proposals/WithdrawSessionButton';

function ProposeForm({ eventId, onProposed }: { eventId: string; onProposed: (p: ProposalDetail) => void }) {
  return (
    <ProposalForm
      coOwnersHint="Usernames or e-mail addresses, separated by commas. Owners count as very interested."
      descriptionRows={4}
      submitLabel="Propose session"
      clearOnSuccess
      onSubmit={async (values) => onProposed(await proposeSession(eventId, values))}
    />
  );
}

function InterestButtons({
  proposal,
  canRate,
  onChange,
}: {
  proposal: ProposalDetail;
  canRate: boolean;
  onChange: (level: InterestLevel) => Promise<void>;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (proposal.mine) return <p className="card-meta">Your session: you count as very interested.</p>;
  if (!canRate) return null;
  const click = async (level: InterestLevel) => {
    setBusy(true);
    setError(null);
    try {
      await onChange(level);
    } catch (caught) {
      setError(toFormError(caught).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <fieldset className="unconf-interest" aria-busy={busy || undefined}>
        <legend className="visually-hidden">Your interest in {proposal.title}</legend>
        <div className="segmented">
          {INTEREST_OPTIONS.map((option) => (
            <button
              key={option.level}
              type="button"
              className="segmented-option"
              aria-pressed={proposal.myInterest === option.level}
              onClick={() => void click(option.level)}
            >
              {option.label}
            </button>
          ))}
        </div>
      </fieldset>
      {error ? <p className="field-error">{error}</p> : null}
    </div>
  );
}

function ProposalCard({
  proposal,
  canRate,
  canEdit,
  canWithdraw,
  onRate,
  onEdited,
  onWithdrawn,
}: {
  proposal: ProposalDetail;
  canRate: boolean;
  /** The viewer owns or co-owns it and proposals are open (or the viewer is an admin). */
  canEdit: boolean;
  /** The viewer proposed it and proposals are open (or the viewer is an admin). */
  canWithdraw: boolean;
  onRate: (level: InterestLevel) => Promise<void>;
  onEdited: () => void;
  onWithdrawn: () => void;
}) {
  const withdraw = useAsyncAction();
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState<'saved' | 'waits' | null>(null);
  if (editing) {
    return (
      <article className="card unconf-proposal" data-testid="unconf-proposal">
        <EditProposalForm
          proposalId={proposal.id}
          onCancel={() => setEditing(false)}
          onSaved={(p) => {
            setEditing(false);
            setSaved(p.editPending ? 'waits' : 'saved');
            onEdited();
          }}
        />
      </article>
    );
  }
  return (
    <article className="card unconf-proposal" data-testid="unconf-proposal">
      <div className="unconf-event-head">
        <h3 className="unconf-proposal-title">{proposal.title}</h3>
        {proposal.status !== 'approved' ? (
          <span className={proposal.status === 'pending' ? 'badge badge-warn' : 'badge badge-off'}>
            {proposal.status === 'pending' ? 'Waiting for approval' : 'Not accepted'}
          </span>
        ) : proposal.editPending ? (
          <span className="badge badge-warn">Edit waiting for approval</span>
        ) : null}
      </div>
      <p className="card-meta">
        {proposal.owners.map((o) => o.name).join(', ')}
        {proposal.interest
          ? ` · Very ${proposal.interest.very} · Yes ${proposal.interest.yes} · A little ${proposal.interest.little}`
          : ''}
      </p>
      {proposal.descriptionHtml ? (
        // biome-ignore lint/security/noDangerouslySetInnerHtml: rendered from Markdown and sanitised by the server (src/lib/markdown).
        <div className="talk-description" dangerouslySetInnerHTML={{ __html: proposal.descriptionHtml }} />
      ) : null}
      <InterestButtons proposal={proposal} canRate={canRate} onChange={onRate} />
      {saved === 'waits' ? (
        <div role="status">
          <Notice>Saved. Your edit waits for an administrator; until then everyone else sees the approved text.</Notice>
        </div>
      ) : canEdit ? (
        <StatusMessage>{saved === 'saved' ? 'Saved.' : null}</StatusMessage>
      ) : null}
      {canEdit || canWithdraw ? (
        <div className="form-actions">
          {canEdit ? (
            <Button
              size="sm"
              variant="secondary"
              onClick={() => {
                setSaved(null);
                setEditing(true);
              }}
            >
              Edit
            </Button>
          ) : null}
          {canWithdraw ? (
            <WithdrawSessionButton
              title={proposal.title}
              busy={withdraw.busy}
              onWithdraw={() =>
                void withdraw.run(async () => {
                  await withdrawSession(proposal.id);
                  onWithdrawn();
                })
              }
            />
          ) : null}
        </div>
      ) : null}
      {withdraw.error ? <p className="field-error">{withdraw.error.message}</p> : null}
    </article>
  );
}

function TimetableSummary({ detail }: { detail: EventDetail }) {
  const { days, rooms } = detail.timetable;
  if (!days.length) return null;
  return (
    <section className="card" aria-labelledby="unconf-days-title">
      <h2 id="unconf-days-title" className="card-title">
        Days and slots
      </h2>
      <ul className="unconf-day-list">
        {days.map((day) => (
          <li key={day.id}>
            <strong>{day.label || calendarDay(day.date)}</strong>{' '}
            <span className="card-meta">
              {day.slots.map((s) => `${s.start}–${s.end}${s.isBreak ? ' (break)' : ''}`).join(' · ')}
            </span>
          </li>
        ))}
      </ul>
      <p className="card-meta">
        {plural(rooms.length, 'room')}: {rooms.map((r) => r.name).join(', ')} · times in {detail.event.timezone}
      </p>
    </section>
  );
}

/** One unconference: its days, the proposal form, and every session to rate in the viewer's own order. */
export function UnconferenceEventPage() {
  const { eventId = '' } = useParams();
  const { person } = useAuth();
  const detail = useLoad(`unconf-event:${eventId}`, (signal) => getUnconferenceEvent(eventId, signal));
  const list = useLoad<ProposalList>(`unconf-proposals:${eventId}`, (signal) =>
    getUnconferenceProposals(eventId, signal),
  );
  useDocumentTitle(detail.data?.event.name ?? 'Unconference');
  const [proposing, setProposing] = useState(false);

  const rate = async (proposalId: string, level: InterestLevel) => {
    await setInterest(proposalId, level);
    list.setData(
      (current) =>
        current && {
          ...current,
          proposals: current.proposals.map((p) => (p.id === proposalId ? { ...p, myInterest: level } : p)),
        },
    );
  };

  if (detail.error) return <LoadError what="the event" message={detail.error} onRetry={detail.reload} />;
  if (!detail.data) return <Loading label="Loading the event…" />;
  const { event, viewer } = detail.data;
  const rated = list.data?.proposals.filter((p) => !p.mine && p.myInterest !== null).length ?? 0;
  const toRate = list.data?.proposals.filter((p) => !p.mine && p.status === 'approved').length ?? 0;

  return (
    <>
      <header className="page-header page-header-actions">
        <div>
          <p className="card-meta">
            <Link to="/unconference">Unconference</Link>
          </p>
          <h1>{event.name}</h1>
          <p>
            <span className={PHASE_BADGES[event.phase]}>{PHASE_LABELS[event.phase]}</span>
          </p>
          {event.phase === 'published' || event.phase === 'finished' ? (
            <p className="card-meta">
              <Link to={`/unconference/events/${event.id}/schedule`}>Timetable</Link> ·{' '}
              <Link to={`/unconference/events/${event.id}/agenda`}>My agenda</Link>
            </p>
          ) : null}
        </div>
        {viewer?.isAdmin ? (
          <div>
            <Link className="btn btn-secondary" to={`/admin/unconference/${event.id}`}>
              <span className="btn-label">Manage</span>
            </Link>
          </div>
        ) : null}
      </header>
      <div className="stack">
        {event.descriptionHtml ? (
          // biome-ignore lint/security/noDangerouslySetInnerHtml: rendered from Markdown and sanitised by the server (src/lib/markdown).
          <div className="card talk-description" dangerouslySetInnerHTML={{ __html: event.descriptionHtml }} />
        ) : null}
        <TimetableSummary detail={detail.data} />
        {viewer?.canPropose ? (
          <section className="card" aria-labelledby="unconf-propose-title">
            <div className="card-header">
              <h2 id="unconf-propose-title" className="card-title">
                Propose a session
              </h2>
              {!proposing ? (
                <Button size="sm" variant="primary" onClick={() => setProposing(true)}>
                  New proposal
                </Button>
              ) : null}
            </div>
            <p className="card-meta">
              {event.proposalLimit !== null && !viewer.isAdmin
                ? `You have proposed ${viewer.proposalsOwned} of at most ${event.proposalLimit}.`
                : `You have proposed ${plural(viewer.proposalsOwned, 'session')}.`}
            </p>
            {proposing ? (
              <ProposeForm
                eventId={event.id}
                onProposed={() => {
                  setProposing(false);
                  list.reload();
                  detail.reload();
                }}
              />
            ) : null}
          </section>
        ) : null}
        <section aria-labelledby="unconf-sessions-title" className="stack">
          <h2 id="unconf-sessions-title" className="section-title">
            Sessions
          </h2>
          {viewer?.canRate ? (
            <Notice>
              How interested are you in each? One click per session: the schedule puts what most people want where they
              can attend it. You have rated {rated} of {toRate}.
            </Notice>
          ) : null}
          {!person ? (
            <Notice>
              <span>
                <Link to={`/signin?next=${encodeURIComponent(`/unconference/${event.id}`)}`}>Sign in</Link> to propose
                and rate sessions.
              </span>
            </Notice>
          ) : null}
          {list.error ? <LoadError what="the sessions" message={list.error} onRetry={list.reload} /> : null}
          {list.data && list.data.proposals.length === 0 ? <Notice>No sessions proposed yet.</Notice> : null}
          {list.data?.proposals.map((proposal) => (
            <ProposalCard
              key={proposal.id}
              proposal={proposal}
              canRate={Boolean(viewer?.canRate)}
              canEdit={Boolean(viewer?.isAdmin || (event.phase === 'proposals' && proposal.mine))}
              onEdited={list.reload}
              canWithdraw={Boolean(
                viewer?.isAdmin ||
                  (event.phase === 'proposals' &&
                    proposal.owners.some((o) => o.role === 'owner' && o.id === person?.id)),
              )}
              onRate={(level) => rate(proposal.id, level)}
              onWithdrawn={() => {
                list.reload();
                detail.reload();
              }}
            />
          ))}
        </section>
      </div>
    </>
  );
}
