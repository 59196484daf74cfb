import { type DragEvent, useEffect, useRef, useState } from 'react';
import { useParams } from 'react-router-dom';
import {
  cancelRun,
  getChangelog,
  getRun,
  getScheduleConsole,
  type MoveInput,
  type MovePreview,
  type PublishResult,
  previewMove,
  publish,
  type ScheduleConsole,
  type ScheduleRun,
  saveMove,
  setPin,
  setSlotLock,
  startRun,
} from '../../api/unconferenceSchedule';
import { ErrorAlert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { atMinute, safeTimeZone } from '../../ui/dates';
import { LoadError } from '../../ui/LoadError';
import { Loading } from '../../ui/Spinner';
import { useDocumentTitle } from '../../ui/useDocumentTitle';
import { useLoad } from '../../ui/useLoad';
import { useTimeZone } from '../../ui/useTimeZone';
import './schedule.css';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * A slot's start as the grid labels it, "Mon 09:00", in the event's own timezone: slots are laid
 * out on the event's days, so the event's zone is the one to plan in (the grid's hint names it).
 * Moments that are not slots (when a version was published) are the admin's, in their zone.
 */
function timeFormat(timezone: string) {
  const f = new Intl.DateTimeFormat(undefined, {
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: safeTimeZone(timezone),
  });
  return (iso: string) => f.format(new Date(iso));
}

/** The admin's schedule console for one unconference event. */
export function SchedulePage() {
  const { id = '' } = useParams();
  const loaded = useLoad(id, (signal) => getScheduleConsole(id, signal));
  const changelog = useLoad(`changelog:${id}`, (signal) => getChangelog(id, signal));
  useDocumentTitle(loaded.data ? `Schedule · ${loaded.data.event.name}` : 'Schedule');
  const [error, setError] = useState<string | null>(null);
  const zone = useTimeZone();

  if (loaded.error) return <LoadError what="the schedule" message={loaded.error} onRetry={loaded.reload} />;
  if (!loaded.data) return <Loading label="Loading the schedule…" />;
  const data = loaded.data;
  const reload = () => {
    loaded.reload();
    changelog.reload();
  };
  const act = async (action: () => Promise<unknown>) => {
    setError(null);
    try {
      await action();
      reload();
    } catch (caught) {
      setError((caught as Error).message);
    }
  };

  return (
    <>
      <header className="page-header">
        <h1>Schedule · {data.event.name}</h1>
        <p className="page-lede">
          Run the scheduler, see how well people are served, lock slots, pin and move sessions, then publish.
        </p>
      </header>
      {error ? <ErrorAlert>{error}</ErrorAlert> : null}
      <div className="sched-top">
        <RunCard data={data} eventId={id} onEnded={reload} />
        <ScoreCard data={data} />
      </div>
      <AttentionCard data={data} />
      <GridCard data={data} eventId={id} act={act} onSaved={reload} />
      <PublishCard data={data} eventId={id} onPublished={reload} />
      <section className="card" aria-labelledby="changelog-title">
        <h2 id="changelog-title" className="card-title">
          Changelog
        </h2>
        {changelog.data?.versions.length ? (
          <ol className="sched-changelog">
            {changelog.data.versions.map((v) => (
              <li key={v.number}>
                <strong>Version {v.number}</strong> · {atMinute(v.publishedAt, zone)} · {v.sessions} sessions
                {v.note ? ` · ${v.note}` : ''}
                <ul>
                  {v.changes.slice(0, 20).map((c) => (
                    <li key={c.proposalId}>
                      {c.kind === 'moved' && c.from && c.to
                        ? `${c.title} moved: ${timeFormat(data.event.timezone)(c.from.startsAt)}, ${c.from.room} → ${timeFormat(data.event.timezone)(c.to.startsAt)}, ${c.to.room}`
                        : c.kind === 'room_changed' && c.from && c.to
                          ? `${c.title} changed room: ${c.from.room} → ${c.to.room} (${timeFormat(data.event.timezone)(c.to.startsAt)})`
                          : `${c.title} ${c.kind}`}
                    </li>
                  ))}
                  {v.changes.length > 20 ? <li>… and {v.changes.length - 20} more</li> : null}
                </ul>
              </li>
            ))}
          </ol>
        ) : (
          <p className="muted">Nothing published yet.</p>
        )}
      </section>
    </>
  );
}

function RunCard({ data, eventId, onEnded }: { data: ScheduleConsole; eventId: string; onEnded: () => void }) {
  const [seconds, setSeconds] = useState(Math.min(10, data.maxSeconds));
  const [mode, setMode] = useState<'full' | 'minimal_change'>('full');
  const [run, setRun] = useState<ScheduleRun | null>(data.activeRun);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const active = run && (run.status === 'running' || run.status === 'queued');

  useEffect(() => {
    if (!run || !(run.status === 'running' || run.status === 'queued')) return;
    const timer = setInterval(async () => {
      try {
        const next = await getRun(eventId, run.id);
        setRun(next);
        if (next.status !== 'running' && next.status !== 'queued') onEnded();
      } catch {
        // The next poll tries again.
      }
    }, 700);
    return () => clearInterval(timer);
  }, [run, eventId, onEnded]);

  const shown = run ?? data.lastRun;
  return (
    <section className="card" aria-labelledby="run-title">
      <h2 id="run-title" className="card-title">
        Scheduler
      </h2>
      <form
        className="sched-run-form"
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          try {
            setRun(await startRun(eventId, { seconds, mode }));
          } catch (caught) {
            setError((caught as Error).message);
          } finally {
            setBusy(false);
          }
        }}
      >
        <label className="field-label">
          Time budget (seconds)
          <input
            className="input"
            type="number"
            min={1}
            max={data.maxSeconds}
            value={seconds}
            onChange={(e) => setSeconds(Number(e.target.value))}
          />
        </label>
        <label className="field-label">
          Mode
          <select
            className="input select"
            value={mode}
            onChange={(e) => setMode(e.target.value as 'full' | 'minimal_change')}
          >
            <option value="full">Full schedule</option>
            <option value="minimal_change" disabled={!data.latestVersion}>
              Re-optimise, move as little as possible
            </option>
          </select>
        </label>
        <Button type="submit" variant="primary" busy={busy} disabled={Boolean(active)}>
          Run scheduler
        </Button>
      </form>
      {error ? <ErrorAlert>{error}</ErrorAlert> : null}
      {shown ? (
        <div className="sched-run-status" aria-live="polite">
          <div
            className="sched-progress"
            role="progressbar"
            aria-label="Scheduler progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(shown.progress * 100)}
          >
            <div className="sched-progress-bar" style={{ width: `${Math.round(shown.progress * 100)}%` }} />
          </div>
          <p>
            <span
              className={`badge badge-${shown.status === 'done' ? 'ok' : shown.status === 'running' ? 'member' : 'warn'}`}
            >
              {shown.status}
            </span>{' '}
            {Math.round(shown.progress * 100)}% · best {shown.bestScore ?? '–'} · upper bound {shown.upperBound ?? '–'}
            {shown.gap !== null ? ` · gap ${pct(shown.gap)}` : ''}
            {shown.optimal ? ' · proven optimal' : ''}
          </p>
          {shown.error ? <p className="muted">{shown.error}</p> : null}
          {active ? (
            <Button
              variant="danger"
              size="sm"
              onClick={async () => {
                try {
                  setRun(await cancelRun(eventId, shown.id));
                  onEnded();
                } catch (caught) {
                  setError((caught as Error).message);
                }
              }}
            >
              Cancel run
            </Button>
          ) : null}
        </div>
      ) : (
        <p className="muted">No run yet.</p>
      )}
    </section>
  );
}

/**
 * The bound the console can stand behind: the engine's bound of the last run while what it was
 * computed for is unchanged, else the trivial one, named as such (they differ a lot: one number
 * per name, in the API, here and in docs/unconference-scheduling.md).
 */
function ScoreCard({ data }: { data: ScheduleConsole }) {
  const e = data.evaluation;
  const run = data.runBound;
  return (
    <section className="card" aria-labelledby="score-title">
      <h2 id="score-title" className="card-title">
        Working schedule
      </h2>
      <dl className="sched-stats">
        <div>
          <dt>Score</dt>
          <dd>{e.score}</dd>
        </div>
        {run ? (
          <>
            <div>
              <dt>Upper bound</dt>
              <dd>{run.upperBound}</dd>
            </div>
            <div>
              <dt>Gap</dt>
              <dd>{pct(run.gap)}</dd>
            </div>
          </>
        ) : (
          <>
            <div>
              <dt>Trivial bound</dt>
              <dd>{e.trivialBound}</dd>
            </div>
            <div>
              <dt>Gap to trivial bound</dt>
              <dd>{pct(e.trivialGap)}</dd>
            </div>
          </>
        )}
        <div>
          <dt>Placed</dt>
          <dd>
            {e.placed} / {e.sessions}
          </dd>
        </div>
        <div>
          <dt>Mean satisfaction</dt>
          <dd>{pct(e.meanSatisfaction)}</dd>
        </div>
      </dl>
      <p className="muted sched-bound-note">
        {run
          ? `Upper bound: the scheduler's, from its last run${run.optimal ? ' (proven optimal then)' : ''}; no schedule can score more. Trivial bound (everyone's top interests, one per slot): ${e.trivialBound}.`
          : `Trivial bound: everyone's top interests, one per slot, ignoring rooms and clashes. ${
              data.lastRun
                ? "The scheduler's tighter upper bound no longer applies: ratings, proposals, locks, pins or rooms changed since its last run."
                : 'Run the scheduler for its tighter upper bound.'
            }`}
      </p>
      <h3 className="sched-h3">Least served</h3>
      {e.leastServed.length ? (
        <ul className="sched-least">
          {e.leastServed.map((p) => (
            <li key={p.personId}>
              <span>{p.name}</span>
              <span className="muted">
                {pct(p.share)} ({p.attained} of {p.best})
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">Nobody has rated anything yet.</p>
      )}
    </section>
  );
}

function AttentionCard({ data }: { data: ScheduleConsole }) {
  const e = data.evaluation;
  const rooms = new Map(data.rooms.map((r) => [r.id, r.name]));
  if (!e.unplaced.length && !e.overflowing.length) return null;
  return (
    <section className="card" aria-labelledby="attention-title">
      <h2 id="attention-title" className="card-title">
        Needs attention
      </h2>
      {e.unplaced.length ? (
        <>
          <h3 className="sched-h3">Unplaced ({e.unplaced.length})</h3>
          <ul className="sched-issues">
            {e.unplaced.map((u) => (
              <li key={u.session}>
                <strong>{u.title}</strong>: {u.detail}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {e.overflowing.length ? (
        <>
          <h3 className="sched-h3">Overflowing ({e.overflowing.length})</h3>
          <ul className="sched-issues">
            {e.overflowing.map((o) => (
              <li key={o.session}>
                <strong>{o.title}</strong> in {rooms.get(o.room)}: about {Math.round(o.audience)} people for{' '}
                {o.capacity} seats
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

/** What the move panel opens with: a session, and where it was dropped (none: picked with "Move"). */
interface MoveTarget {
  proposalId: string;
  slotId?: string;
  roomId?: string;
}

/** The drag's payload type: only session cards of this page carry it. */
const DRAG_TYPE = 'application/x-convene-session';

function GridCard({
  data,
  eventId,
  act,
  onSaved,
}: {
  data: ScheduleConsole;
  eventId: string;
  act: (action: () => Promise<unknown>) => Promise<void>;
  onSaved: () => void;
}) {
  const [moving, setMoving] = useState<MoveTarget | null>(null);
  // The session being dragged and the cell under it: drag and drop is the quick way on a desktop;
  // "Move"/"Place" (pick a slot and room) stays for keyboards, screen readers and phones.
  const [dragging, setDragging] = useState<string | null>(null);
  const [over, setOver] = useState<string | null>(null);
  const time = timeFormat(data.event.timezone);
  const titles = new Map(data.sessions.map((s) => [s.id, s]));
  const at = new Map(data.evaluation.assignments.map((a) => [`${a.slot}/${a.room}`, a]));
  const running = Boolean(data.activeRun);
  const endDrag = () => {
    setDragging(null);
    setOver(null);
  };
  const dragProps = (sessionId: string, title: string) => ({
    draggable: !running,
    onDragStart: (e: DragEvent<HTMLElement>) => {
      e.dataTransfer.setData(DRAG_TYPE, sessionId);
      e.dataTransfer.setData('text/plain', title);
      e.dataTransfer.effectAllowed = 'move';
      setDragging(sessionId);
    },
    onDragEnd: endDrag,
  });
  return (
    <section className="card" aria-labelledby="grid-title">
      <h2 id="grid-title" className="card-title">
        Slots and rooms
      </h2>
      <p className="muted sched-hint">
        Drag a session onto another cell (or use Move) to see the score change before saving; dropping on a session
        swaps the two. Times are the event’s, in {data.event.timezone}.
      </p>
      {moving ? (
        <MovePanel
          key={`${moving.proposalId}/${moving.slotId ?? ''}/${moving.roomId ?? ''}`}
          data={data}
          eventId={eventId}
          target={moving}
          onClose={() => setMoving(null)}
          onSaved={() => {
            setMoving(null);
            onSaved();
          }}
        />
      ) : null}
      <div className="sched-grid">
        {data.slots.map((slot) => (
          <div key={slot.id} className={slot.locked ? 'sched-slot is-locked' : 'sched-slot'}>
            <div className="sched-slot-head">
              <span className="sched-slot-time">
                {time(slot.startsAt)}
                {slot.label ? ` · ${slot.label}` : ''}
              </span>
              <Button size="sm" variant="ghost" onClick={() => act(() => setSlotLock(eventId, slot.id, !slot.locked))}>
                {slot.locked ? 'Unlock' : 'Lock'}
              </Button>
            </div>
            <div className="sched-rooms">
              {data.rooms.map((room) => {
                const key = `${slot.id}/${room.id}`;
                const a = at.get(key);
                const session = a ? titles.get(a.session) : undefined;
                const movable = Boolean(session && !slot.locked && !session.pinnedSlotId && !running);
                // A locked slot takes nothing; the dragged session's own cell is no move.
                const accepts = Boolean(dragging) && !slot.locked && dragging !== a?.session;
                const classes = ['sched-cell', a?.overflowing ? 'is-over' : '', over === key ? 'is-drop-target' : '']
                  .filter(Boolean)
                  .join(' ');
                return (
                  // biome-ignore lint/a11y/noStaticElementInteractions: a drop zone for the mouse; the Move button is the keyboard path
                  <div
                    key={room.id}
                    className={classes}
                    data-cell={key}
                    onDragOver={(e) => {
                      if (!accepts) return;
                      e.preventDefault();
                      e.dataTransfer.dropEffect = 'move';
                      if (over !== key) setOver(key);
                    }}
                    onDragLeave={(e) => {
                      // Leaving for a child of the cell is still over the cell.
                      if (!e.currentTarget.contains(e.relatedTarget as Node | null) && over === key) setOver(null);
                    }}
                    onDrop={(e) => {
                      e.preventDefault();
                      const id = e.dataTransfer.getData(DRAG_TYPE) || dragging;
                      endDrag();
                      if (id && accepts) setMoving({ proposalId: id, slotId: slot.id, roomId: room.id });
                    }}
                  >
                    <div className="sched-room">{room.name}</div>
                    {session && a ? (
                      <div
                        className={[
                          'sched-session',
                          movable ? 'is-draggable' : '',
                          dragging === session.id ? 'is-dragging' : '',
                        ]
                          .filter(Boolean)
                          .join(' ')}
                        data-session={session.id}
                        {...(movable ? dragProps(session.id, session.title) : {})}
                      >
                        <div className="sched-title">
                          {session.pinnedSlotId ? <span title="Pinned">📌 </span> : null}
                          {session.title}
                        </div>
                        <div className="sched-cell-meta muted">
                          ~{Math.round(a.audience)} / {room.capacity}
                        </div>
                        <div className="sched-cell-actions">
                          <Button
                            size="sm"
                            variant="ghost"
                            onClick={() => act(() => setPin(eventId, session.id, !session.pinnedSlotId))}
                          >
                            {session.pinnedSlotId ? 'Unpin' : 'Pin'}
                          </Button>
                          <Button
                            size="sm"
                            variant="ghost"
                            disabled={!movable}
                            onClick={() => setMoving({ proposalId: session.id })}
                          >
                            Move
                          </Button>
                        </div>
                      </div>
                    ) : (
                      <div className="muted sched-empty">{accepts ? 'drop here' : 'free'}</div>
                    )}
                  </div>
                );
              })}
            </div>
          </div>
        ))}
      </div>
      {data.evaluation.unplaced.length ? (
        <div className="sched-unplaced">
          <h3 className="sched-h3">Not in the schedule</h3>
          <ul>
            {data.evaluation.unplaced.map((u) => (
              <li
                key={u.session}
                className={running ? undefined : 'is-draggable'}
                data-session={u.session}
                {...dragProps(u.session, u.title)}
              >
                {u.title}{' '}
                <Button
                  size="sm"
                  variant="ghost"
                  disabled={running}
                  onClick={() => setMoving({ proposalId: u.session })}
                >
                  Place
                </Button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}

function MovePanel({
  data,
  eventId,
  target,
  onClose,
  onSaved,
}: {
  data: ScheduleConsole;
  eventId: string;
  target: MoveTarget;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { proposalId } = target;
  const session = data.sessions.find((s) => s.id === proposalId);
  const time = timeFormat(data.event.timezone);
  const open = data.slots.filter((s) => !s.locked);
  const [slotId, setSlotId] = useState<string>(target.slotId ?? open[0]?.id ?? '');
  const [roomId, setRoomId] = useState<string>(target.roomId ?? '');
  const [preview, setPreview] = useState<MovePreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const move: MoveInput = { proposalId, slotId: slotId === 'out' ? null : slotId, roomId: roomId || null };
  const slotName = (id: string) => {
    const s = data.slots.find((x) => x.id === id);
    return s ? time(s.startsAt) : id;
  };
  const roomName = (id: string) => data.rooms.find((r) => r.id === id)?.name ?? id;
  const panel = useRef<HTMLElement>(null);
  // The gap the console shows: to the engine's bound while it holds (a move keeps it), else the trivial one.
  const gapOf = (score: number) => {
    const bound = data.runBound?.upperBound ?? data.evaluation.trivialBound;
    return bound > 0 ? Math.max(0, (bound - score) / bound) : 0;
  };

  const ask = async (save: boolean) => {
    setBusy(true);
    setError(null);
    try {
      if (save) {
        await saveMove(eventId, move);
        onSaved();
      } else setPreview(await previewMove(eventId, move));
    } catch (caught) {
      setPreview(null);
      setError((caught as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const dropped = Boolean(target.slotId);
  // Opened from a cell far down the grid (on a phone) or by a drop: bring the panel into view, and
  // a drop asks for its preview at once (the drop said where).
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, when the panel opens
  useEffect(() => {
    panel.current?.scrollIntoView({ block: 'nearest' });
    if (dropped) void ask(false);
  }, []);

  return (
    <section ref={panel} className="sched-move" aria-label="Move a session">
      <p>
        Move <strong>{session?.title}</strong> to:
      </p>
      <div className="sched-move-fields">
        <label className="field-label">
          Slot
          <select
            className="input select"
            value={slotId}
            onChange={(e) => {
              setSlotId(e.target.value);
              setPreview(null);
            }}
          >
            {open.map((s) => (
              <option key={s.id} value={s.id}>
                {time(s.startsAt)}
              </option>
            ))}
            <option value="out">Take it out of the schedule</option>
          </select>
        </label>
        <label className="field-label">
          Room
          <select
            className="input select"
            value={roomId}
            onChange={(e) => {
              setRoomId(e.target.value);
              setPreview(null);
            }}
            disabled={slotId === 'out'}
          >
            <option value="">Largest free room</option>
            {data.rooms.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name} ({r.capacity})
              </option>
            ))}
          </select>
        </label>
      </div>
      {error ? <ErrorAlert>{error}</ErrorAlert> : null}
      {preview ? (
        <div className="sched-preview" aria-live="polite">
          <p>
            Score {preview.scoreBefore} → {preview.scoreAfter}{' '}
            <strong className={preview.delta >= 0 ? 'sched-up' : 'sched-down'}>
              ({preview.delta >= 0 ? '+' : ''}
              {preview.delta})
            </strong>
          </p>
          <p className="muted">
            {data.runBound ? 'Gap' : 'Gap to trivial bound'} {pct(gapOf(preview.scoreBefore))} →{' '}
            {pct(gapOf(preview.scoreAfter))} · placed {preview.after.placed} / {data.evaluation.sessions}
          </p>
          <ul>
            {preview.changes.map((c) => (
              <li key={c.session}>
                {c.title}: {c.from ? `${slotName(c.from.slot)}, ${roomName(c.from.room)}` : 'not placed'} →{' '}
                {c.to ? `${slotName(c.to.slot)}, ${roomName(c.to.room)}` : 'not placed'}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className="sched-move-actions">
        <Button onClick={() => ask(false)} busy={busy && !preview}>
          Preview
        </Button>
        <Button variant="primary" disabled={!preview} busy={busy && Boolean(preview)} onClick={() => ask(true)}>
          Save move
        </Button>
        <Button variant="ghost" onClick={onClose}>
          Cancel
        </Button>
      </div>
    </section>
  );
}

function PublishCard({
  data,
  eventId,
  onPublished,
}: {
  data: ScheduleConsole;
  eventId: string;
  onPublished: () => void;
}) {
  const first = !data.latestVersion;
  const [note, setNote] = useState('');
  const [notify, setNotify] = useState(!first);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<PublishResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const zone = useTimeZone();
  return (
    <section className="card" aria-labelledby="publish-title">
      <h2 id="publish-title" className="card-title">
        Publish
      </h2>
      <p className="muted">
        {data.latestVersion
          ? `Version ${data.latestVersion.number} was published ${atMinute(data.latestVersion.publishedAt, zone)}.`
          : 'Nothing is published yet.'}
      </p>
      <form
        className="sched-publish"
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          try {
            setDone(await publish(eventId, { note, notify }));
            onPublished();
          } catch (caught) {
            setError((caught as Error).message);
          } finally {
            setBusy(false);
          }
        }}
      >
        <label className="field-label">
          Note (shown in the changelog)
          <input className="input" value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
        </label>
        <label className="sched-check">
          <input type="checkbox" checked={notify} onChange={(e) => setNotify(e.target.checked)} />
          {first ? 'Tell everyone about their sessions' : 'Tell the people of moved sessions (new time or room)'}
        </label>
        <Button type="submit" variant="primary" busy={busy} disabled={Boolean(data.activeRun)}>
          Publish version {(data.latestVersion?.number ?? 0) + 1}
        </Button>
      </form>
      {error ? <ErrorAlert>{error}</ErrorAlert> : null}
      {done ? (
        <p role="status">
          Published version {done.number}: {done.sessions} sessions, {done.moved} moved
          {done.relocated ? `, ${done.relocated} changed room` : ''}
          {done.notified ? ', people told' : ', nobody told'}.
        </p>
      ) : null}
    </section>
  );
}
