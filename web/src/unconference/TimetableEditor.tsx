import { type FormEvent, useState } from 'react';
import {
  addDay,
  addRoom,
  addSlot,
  type DayView,
  deleteDay,
  deleteRoom,
  deleteSlot,
  type TimetableView,
  timetableExportUrl,
} from '../api/unconference';
import { ErrorAlert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { TextField } from '../ui/Field';
import { fieldError, toFormError } from '../ui/formError';
import { useAsyncAction } from '../ui/useAsyncAction';
import { formatDay } from './format';

type Change = (work: () => Promise<TimetableView>) => Promise<boolean>;

function DayCard({ eventId, day, change }: { eventId: string; day: DayView; change: Change }) {
  const last = day.slots.at(-1);
  const [start, setStart] = useState(last?.end ?? '09:00');
  const [end, setEnd] = useState('');
  const [isBreak, setIsBreak] = useState(false);
  const action = useAsyncAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void action.run(async () => {
      const ok = await change(() => addSlot(eventId, { dayId: day.id, start, end, isBreak }));
      if (ok) {
        setStart(end);
        setEnd('');
        setIsBreak(false);
      }
    });
  };
  const dayAction = useAsyncAction();
  return (
    <section className="card unconf-day" aria-label={`Day ${day.date}`}>
      <div className="card-header">
        <h3 className="card-title">
          {formatDay(day.date)} {day.label ? `· ${day.label}` : ''}
        </h3>
        <Button
          size="sm"
          variant="ghost"
          busy={dayAction.busy}
          onClick={() => void dayAction.run(async () => void (await change(() => deleteDay(day.id))))}
        >
          Remove day
        </Button>
      </div>
      {day.slots.length ? (
        <ul className="unconf-slot-list">
          {day.slots.map((slot) => (
            <li key={slot.id} className={slot.isBreak ? 'unconf-slot is-break' : 'unconf-slot'}>
              <span className="unconf-slot-time">
                {slot.start}–{slot.end}
              </span>
              <span className="unconf-slot-label">{slot.isBreak ? slot.label || 'Break' : slot.label}</span>
              <Button
                size="sm"
                variant="ghost"
                aria-label={`Remove slot ${slot.start}–${slot.end} on ${day.date}`}
                onClick={() => void change(() => deleteSlot(slot.id))}
              >
                Remove
              </Button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="card-meta">No slots yet.</p>
      )}
      <form className="unconf-inline-form" onSubmit={submit} noValidate>
        <TextField
          label="Start"
          name="start"
          type="time"
          value={start}
          onChange={(e) => setStart(e.target.value)}
          error={fieldError(action.error, 'start')}
        />
        <TextField
          label="End"
          name="end"
          type="time"
          value={end}
          onChange={(e) => setEnd(e.target.value)}
          error={fieldError(action.error, 'end')}
        />
        <label className="unconf-check">
          <input type="checkbox" checked={isBreak} onChange={(e) => setIsBreak(e.target.checked)} /> Break
        </label>
        <Button type="submit" size="sm" variant="primary" busy={action.busy}>
          Add slot
        </Button>
      </form>
    </section>
  );
}

/**
 * The timetable editor: days with their slots, and rooms. Every change answers with the whole
 * timetable, which replaces the one shown; a refusal (an overlap, a slot or room holding sessions)
 * is shown where it happened.
 */
export function TimetableEditor({
  eventId,
  timetable,
  onChange,
}: {
  eventId: string;
  timetable: TimetableView;
  onChange: (timetable: TimetableView) => void;
}) {
  const [problem, setProblem] = useState<string | null>(null);
  const change: Change = async (work) => {
    setProblem(null);
    try {
      onChange(await work());
      return true;
    } catch (caught) {
      const error = toFormError(caught);
      if (error.field === 'start' || error.field === 'end') throw caught;
      setProblem(error.message);
      return false;
    }
  };
  const [date, setDate] = useState('');
  const dayAction = useAsyncAction();
  const [roomName, setRoomName] = useState('');
  const [capacity, setCapacity] = useState('30');
  const [url, setUrl] = useState('');
  const [isPlace, setIsPlace] = useState(true);
  const roomAction = useAsyncAction();

  return (
    <div className="stack">
      {problem ? <ErrorAlert>{problem}</ErrorAlert> : null}
      {timetable.days.map((day) => (
        <DayCard key={day.id} eventId={eventId} day={day} change={change} />
      ))}
      <form
        className="card unconf-inline-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void dayAction.run(async () => {
            onChange(await addDay(eventId, date));
            setDate('');
          });
        }}
      >
        <TextField
          label="New day"
          name="date"
          type="date"
          value={date}
          onChange={(e) => setDate(e.target.value)}
          error={fieldError(dayAction.error, 'date')}
        />
        <Button type="submit" size="sm" variant="primary" busy={dayAction.busy}>
          Add day
        </Button>
      </form>

      <section className="card" aria-labelledby="unconf-rooms-title">
        <div className="card-header">
          <h3 id="unconf-rooms-title" className="card-title">
            Rooms
          </h3>
          <a className="btn btn-ghost btn-sm" href={timetableExportUrl(eventId)}>
            <span className="btn-label">Export JSON</span>
          </a>
        </div>
        {timetable.rooms.length ? (
          <ul className="unconf-slot-list">
            {timetable.rooms.map((room) => (
              <li key={room.id} className="unconf-slot">
                <span className="unconf-slot-time">{room.name}</span>
                <span className="unconf-slot-label">
                  {room.capacity} people{room.isPlace ? '' : ' · not a place'}
                  {room.url ? ' · link' : ''}
                </span>
                <Button
                  size="sm"
                  variant="ghost"
                  aria-label={`Remove room ${room.name}`}
                  onClick={() => void change(() => deleteRoom(room.id))}
                >
                  Remove
                </Button>
              </li>
            ))}
          </ul>
        ) : (
          <p className="card-meta">No rooms yet.</p>
        )}
        <form
          className="unconf-inline-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void roomAction.run(async () => {
              onChange(
                await addRoom(eventId, { name: roomName, capacity: Number(capacity), url: url || null, isPlace }),
              );
              setRoomName('');
              setUrl('');
              setIsPlace(true);
            });
          }}
        >
          <TextField
            label="Room name"
            name="name"
            value={roomName}
            onChange={(e) => setRoomName(e.target.value)}
            error={fieldError(roomAction.error, 'name')}
          />
          <TextField
            label="Capacity"
            name="capacity"
            type="number"
            inputMode="numeric"
            min={1}
            value={capacity}
            onChange={(e) => setCapacity(e.target.value)}
            error={fieldError(roomAction.error, 'capacity')}
          />
          <TextField
            label="Link"
            name="url"
            type="url"
            placeholder="https://…"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            error={fieldError(roomAction.error, 'url')}
          />
          <label className="unconf-check">
            <input type="checkbox" checked={!isPlace} onChange={(e) => setIsPlace(!e.target.checked)} /> Not a place
            (hallway, online)
          </label>
          <Button type="submit" size="sm" variant="primary" busy={roomAction.busy}>
            Add room
          </Button>
        </form>
        {roomAction.error && !['name', 'capacity', 'url'].includes(roomAction.error.field ?? '') ? (
          <ErrorAlert>{roomAction.error.message}</ErrorAlert>
        ) : null}
      </section>
    </div>
  );
}
