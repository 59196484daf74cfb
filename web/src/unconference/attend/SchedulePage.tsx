import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { useCurrentPerson } from '../../auth/authContext';
import { LoadError } from '../../ui/LoadError';
import { Loading } from '../../ui/Spinner';
import { useDocumentTitle } from '../../ui/useDocumentTitle';
import { useElementWidth } from '../../ui/useElementWidth';
import { useLoad } from '../../ui/useLoad';
import { AttendHeader } from './AttendHeader';
import { type GridView, getTimetable } from './api';
import './attend.css';
import { dateLabel, interestLabel, people, range } from './time';

type Day = GridView['days'][number];
type Slot = Day['slots'][number];
type Session = Slot['sessions'][number];

/** Below this width the grid becomes a list per slot (a phone). */
const TABLE_MIN_WIDTH = 720;

/** The published timetable: one day at a time, rooms across, slots down, breaks between. */
export function SchedulePage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const me = useCurrentPerson();
  const tz = params.get('tz');
  const grid = useLoad(`timetable:${id}:${tz ?? ''}`, (signal) => getTimetable(id, tz, signal));
  useDocumentTitle(grid.data ? `${grid.data.event.name}: timetable` : 'Timetable');
  const [dayIndex, setDayIndex] = useState(0);
  const [ref, width] = useElementWidth<HTMLDivElement>(1024, 280);
  const g = grid.data;
  const day = g?.days[Math.min(dayIndex, (g?.days.length ?? 1) - 1)];
  return (
    <div ref={ref}>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to="/unconference">Unconference</Link>
        <span aria-hidden="true"> / </span>
        <span aria-current="page">{g?.event.name ?? 'Timetable'}</span>
      </nav>
      {grid.error ? <LoadError what="the timetable" message={grid.error} onRetry={grid.reload} /> : null}
      {!g && grid.loading ? <Loading label="Loading the timetable…" /> : null}
      {g ? (
        <>
          <AttendHeader event={g.event} current="timetable" timezone={g.timezone} myTimezone={me.timezone} />
          {g.days.length > 1 ? (
            <fieldset className="segmented attend-days" aria-label="Day">
              {g.days.map((d, i) => (
                <button
                  key={d.id}
                  type="button"
                  className="segmented-option"
                  aria-pressed={d.id === day?.id}
                  onClick={() => setDayIndex(i)}
                >
                  {d.label || dateLabel(d.date)}
                </button>
              ))}
            </fieldset>
          ) : null}
          {day ? (
            width >= TABLE_MIN_WIDTH ? (
              <DayTable grid={g} day={day} />
            ) : (
              <DayList grid={g} day={day} />
            )
          ) : (
            <p className="muted">This unconference has no days yet.</p>
          )}
        </>
      ) : null}
    </div>
  );
}

function SessionCell({ session, room }: { session: Session; room?: string }) {
  return (
    <div className={`attend-session${session.myInterest && session.myInterest >= 75 ? ' is-wanted' : ''}`}>
      <Link className="attend-session-title" to={`/unconference/sessions/${session.id}`}>
        {session.title}
      </Link>
      {room ? <span className="attend-session-room">{room}</span> : null}
      {session.owners.length ? (
        <span className="attend-session-owners">{session.owners.map((o) => o.name).join(', ')}</span>
      ) : null}
      <span className="attend-session-meta">
        <span className={session.overflowing ? 'attend-over' : undefined}>
          ~{people(session.attendance)} of {session.capacity} seats
        </span>
        {session.myInterest ? <span className="badge badge-self">{interestLabel(session.myInterest)}</span> : null}
      </span>
    </div>
  );
}

function DayTable({ grid, day }: { grid: GridView; day: Day }) {
  return (
    <div className="attend-table-wrap">
      <table className="attend-table">
        <caption className="visually-hidden">
          {day.label || dateLabel(day.date)}, times in {grid.timezone}
        </caption>
        <thead>
          <tr>
            <th scope="col" className="attend-time">
              Time
            </th>
            {grid.rooms.map((r) => (
              <th key={r.id} scope="col">
                {r.url ? (
                  <a href={r.url} target="_blank" rel="noreferrer">
                    {r.name}
                  </a>
                ) : (
                  r.name
                )}
                <span className="attend-capacity">{r.isPlace ? `${r.capacity} seats` : 'online'}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {day.slots.map((slot) =>
            slot.isBreak ? (
              <tr key={slot.id} className="attend-break">
                <th scope="row" className="attend-time">
                  {range(slot.startsAt, slot.endsAt, grid.timezone)}
                </th>
                <td colSpan={grid.rooms.length}>{slot.label || 'Break'}</td>
              </tr>
            ) : (
              <tr key={slot.id}>
                <th scope="row" className="attend-time">
                  {range(slot.startsAt, slot.endsAt, grid.timezone)}
                  {slot.label ? <span className="attend-capacity">{slot.label}</span> : null}
                </th>
                {grid.rooms.map((r) => {
                  const session = slot.sessions.find((s) => s.roomId === r.id);
                  return <td key={r.id}>{session ? <SessionCell session={session} /> : null}</td>;
                })}
              </tr>
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}

function DayList({ grid, day }: { grid: GridView; day: Day }) {
  const roomName = new Map(grid.rooms.map((r) => [r.id, r.name]));
  return (
    <ol className="attend-list">
      {day.slots.map((slot) => (
        <li key={slot.id} className={slot.isBreak ? 'attend-list-break' : 'attend-list-slot'}>
          <h2 className="attend-list-time">
            {range(slot.startsAt, slot.endsAt, grid.timezone)}
            {slot.isBreak ? <span> · {slot.label || 'Break'}</span> : null}
          </h2>
          {slot.isBreak ? null : slot.sessions.length ? (
            <div className="attend-list-sessions">
              {slot.sessions.map((s) => (
                <SessionCell key={s.id} session={s} room={roomName.get(s.roomId)} />
              ))}
            </div>
          ) : (
            <p className="muted">Nothing scheduled.</p>
          )}
        </li>
      ))}
    </ol>
  );
}
