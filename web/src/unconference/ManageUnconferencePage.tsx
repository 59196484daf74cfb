import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import {
  type AdminEventView,
  approveSession,
  getUnconferenceAdmin,
  getUnconferenceEvent,
  getUnconferenceProposals,
  rejectSession,
  setUnconferencePhase,
  type TimetableView,
  type UnconferencePhase,
  updateUnconferenceEvent,
} from '../api/unconference';
import { ErrorAlert, Notice } from '../ui/Alert';
import { Button } from '../ui/Button';
import { TextField } from '../ui/Field';
import { toFormError } from '../ui/formError';
import { LoadError } from '../ui/LoadError';
import { Loading } from '../ui/Spinner';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useLoad } from '../ui/useLoad';
import { PHASE_LABELS } from './format';
import { TestModeCard } from './TestModeCard';
import { TimetableEditor } from './TimetableEditor';

const PHASES: UnconferencePhase[] = ['proposals', 'scheduling', 'published', 'finished'];

function SettingsCard({ event, onChange }: { event: AdminEventView; onChange: (e: AdminEventView) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [limit, setLimit] = useState(event.proposalLimitSetting === null ? '' : String(event.proposalLimitSetting));
  const act = async (work: () => Promise<AdminEventView>) => {
    setError(null);
    try {
      onChange(await work());
    } catch (caught) {
      setError(toFormError(caught).message);
    }
  };
  return (
    <section className="card" aria-labelledby="unconf-settings-title">
      <h2 id="unconf-settings-title" className="card-title">
        Phase and visibility
      </h2>
      {error ? <ErrorAlert>{error}</ErrorAlert> : null}
      <fieldset className="unconf-interest">
        <legend className="visually-hidden">Phase</legend>
        <div className="segmented">
          {PHASES.map((phase) => (
            <button
              key={phase}
              type="button"
              className="segmented-option"
              aria-pressed={event.phase === phase}
              onClick={() => void act(() => setUnconferencePhase(event.id, phase))}
            >
              {PHASE_LABELS[phase]}
            </button>
          ))}
        </div>
      </fieldset>
      <div className="unconf-toggles">
        <label className="unconf-check">
          <input
            type="checkbox"
            checked={event.websiteActive}
            onChange={(e) => void act(() => updateUnconferenceEvent(event.id, { websiteActive: e.target.checked }))}
          />{' '}
          Website active (members see the event)
        </label>
        <label className="unconf-check">
          <input
            type="checkbox"
            checked={event.scheduleVisible}
            onChange={(e) => void act(() => updateUnconferenceEvent(event.id, { scheduleVisible: e.target.checked }))}
          />{' '}
          Schedule visible to members
        </label>
      </div>
      <form
        className="unconf-inline-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void act(() =>
            updateUnconferenceEvent(event.id, { proposalLimit: limit.trim() === '' ? null : Number(limit) }),
          );
        }}
      >
        <TextField
          label="Proposals per member"
          name="proposalLimit"
          type="number"
          inputMode="numeric"
          min={0}
          hint={`Empty: the number of non-break slots (${event.proposalLimit ?? 'none yet'}). Admins are exempt.`}
          value={limit}
          onChange={(e) => setLimit(e.target.value)}
        />
        <Button type="submit" size="sm">
          Save limit
        </Button>
      </form>
      <p className="card-meta">Times in {event.timezone}.</p>
    </section>
  );
}

function Moderation({ eventId, onChange }: { eventId: string; onChange: () => void }) {
  const list = useLoad(`unconf-moderation:${eventId}`, (signal) => getUnconferenceProposals(eventId, signal));
  const [error, setError] = useState<string | null>(null);
  const waiting = list.data?.proposals.filter((p) => p.status === 'pending' || p.editPending) ?? [];
  const act = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
      list.reload();
      onChange();
    } catch (caught) {
      setError(toFormError(caught).message);
    }
  };
  return (
    <section className="card" aria-labelledby="unconf-moderation-title">
      <div className="card-header">
        <h2 id="unconf-moderation-title" className="card-title">
          Waiting for approval
        </h2>
        <Link className="btn btn-ghost btn-sm" to={`/admin/unconference/${eventId}/proposals`}>
          <span className="btn-label">All proposals</span>
        </Link>
      </div>
      {error ? <ErrorAlert>{error}</ErrorAlert> : null}
      {list.error ? <LoadError what="the proposals" message={list.error} onRetry={list.reload} /> : null}
      {list.data && !waiting.length ? <p className="card-meta">Nothing waits.</p> : null}
      <ul className="unconf-slot-list">
        {waiting.map((p) => (
          <li key={p.id} className="unconf-moderation-item">
            <div>
              <strong>{p.title}</strong>
              <p className="card-meta">
                {p.owners.map((o) => o.name).join(', ')} · {p.editPending ? 'edited' : 'new'}
              </p>
            </div>
            <div className="row-actions">
              <Button size="sm" variant="primary" onClick={() => void act(() => approveSession(p.id))}>
                Approve
              </Button>
              <Button size="sm" variant="danger" onClick={() => void act(() => rejectSession(p.id))}>
                {p.editPending ? 'Discard edit' : 'Reject'}
              </Button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Admin: one unconference's phase, visibility, moderation, timetable and test mode. */
export function ManageUnconferencePage() {
  const { eventId = '' } = useParams();
  const admin = useLoad(`unconf-admin:${eventId}`, (signal) => getUnconferenceAdmin(eventId, signal));
  const detail = useLoad(`unconf-admin-detail:${eventId}`, (signal) => getUnconferenceEvent(eventId, signal));
  useDocumentTitle(admin.data ? `${admin.data.name} · Admin` : 'Unconference · Admin');
  if (admin.error) return <LoadError what="the event" message={admin.error} onRetry={admin.reload} />;
  if (!admin.data || !detail.data) return <Loading />;
  const event = admin.data;
  const setTimetable = (timetable: TimetableView) => detail.setData((current) => current && { ...current, timetable });
  return (
    <div className="stack">
      <header className="page-header">
        <p className="card-meta">
          <Link to="/admin/unconference">Unconference</Link> · <Link to={`/unconference/${event.id}`}>Event page</Link>{' '}
          · <Link to={`/admin/unconference/${event.id}/proposals`}>Proposals</Link> ·{' '}
          <Link to={`/admin/unconference/${event.id}/schedule`}>Schedule console</Link>
        </p>
        <h1>{event.name}</h1>
      </header>
      <SettingsCard event={event} onChange={(e) => admin.setData(() => e)} />
      {event.pendingCount ? <Notice>{event.pendingCount} waiting for approval.</Notice> : null}
      <Moderation eventId={event.id} onChange={admin.reload} />
      <h2 className="section-title">Timetable</h2>
      <TimetableEditor eventId={event.id} timetable={detail.data.timetable} onChange={setTimetable} />
      <TestModeCard eventId={event.id} onChange={admin.reload} />
    </div>
  );
}
