import { Link, useParams, useSearchParams } from 'react-router-dom';
import { useCurrentPerson } from '../../auth/authContext';
import { LoadError } from '../../ui/LoadError';
import { Loading } from '../../ui/Spinner';
import { useDocumentTitle } from '../../ui/useDocumentTitle';
import { useLoad } from '../../ui/useLoad';
import { AttendHeader } from './AttendHeader';
import { type AgendaView, getAgenda } from './api';
import './attend.css';
import { FeedCard } from './FeedCard';
import { dayName, interestLabel, people, range } from './time';

type AgendaSlot = AgendaView['slots'][number];

/** My agenda: in each slot the session I'd attend (my highest interest), the alternatives one tap away. */
export function AgendaPage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const me = useCurrentPerson();
  const tz = params.get('tz');
  const agenda = useLoad(`agenda:${id}:${tz ?? ''}`, (signal) => getAgenda(id, tz, signal));
  useDocumentTitle(agenda.data ? `${agenda.data.event.name}: my agenda` : 'My agenda');
  const a = agenda.data;
  const days: Array<{ dayId: string; slots: AgendaSlot[] }> = [];
  for (const slot of a?.slots ?? []) {
    const last = days.at(-1);
    if (last?.dayId === slot.dayId) last.slots.push(slot);
    else days.push({ dayId: slot.dayId, slots: [slot] });
  }
  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to="/unconference">Unconference</Link>
        <span aria-hidden="true"> / </span>
        <span aria-current="page">{a?.event.name ?? 'My agenda'}</span>
      </nav>
      {agenda.error ? <LoadError what="your agenda" message={agenda.error} onRetry={agenda.reload} /> : null}
      {!a && agenda.loading ? <Loading label="Loading your agenda…" /> : null}
      {a ? (
        <>
          <AttendHeader event={a.event} current="agenda" timezone={a.timezone} myTimezone={me.timezone} />
          <div className="attend-agenda-layout">
            <div className="stack">
              {days.map((day) => (
                <section key={day.dayId} className="card" aria-label={dayName(day.slots[0]!.startsAt, a.timezone)}>
                  <h2 className="card-title">{dayName(day.slots[0]!.startsAt, a.timezone)}</h2>
                  <ol className="attend-agenda">
                    {day.slots.map((slot) => (
                      <AgendaRow key={slot.slotId} slot={slot} timezone={a.timezone} />
                    ))}
                  </ol>
                </section>
              ))}
              {!days.length ? <p className="muted">Nothing is scheduled yet.</p> : null}
            </div>
            <FeedCard eventId={a.event.id} />
          </div>
        </>
      ) : null}
    </>
  );
}

function AgendaRow({ slot, timezone }: { slot: AgendaSlot; timezone: string }) {
  const when = range(slot.startsAt, slot.endsAt, timezone);
  if (slot.isBreak) {
    return (
      <li className="attend-agenda-row attend-agenda-break">
        <span className="attend-agenda-time">{when}</span>
        <span>{slot.label || 'Break'}</span>
      </li>
    );
  }
  return (
    <li className="attend-agenda-row">
      <span className="attend-agenda-time">{when}</span>
      <div className="attend-agenda-body">
        {slot.pick ? (
          <div className="attend-agenda-pick">
            <Link to={`/unconference/sessions/${slot.pick.id}`} className="attend-session-title">
              {slot.pick.title}
            </Link>
            <span className="attend-session-meta">
              {slot.pick.roomName} · ~{people(slot.pick.attendance)} expected ·{' '}
              <span className="badge badge-self">{interestLabel(slot.pick.interest)}</span>
            </span>
          </div>
        ) : (
          <p className="muted attend-agenda-free">Free: you rated none of these.</p>
        )}
        {slot.alternatives.length ? (
          <details className="attend-alternatives" open={!slot.pick}>
            <summary>
              {slot.alternatives.length} {slot.alternatives.length === 1 ? 'alternative' : 'alternatives'}
            </summary>
            <ul>
              {slot.alternatives.map((alt) => (
                <li key={alt.id}>
                  <Link to={`/unconference/sessions/${alt.id}`}>{alt.title}</Link>{' '}
                  <span className="muted">
                    {alt.roomName} · {interestLabel(alt.interest)}
                  </span>
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </div>
    </li>
  );
}
