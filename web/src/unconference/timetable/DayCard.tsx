import { type FormEvent, useState } from 'react';
import { addSlot, type DayView, deleteDay, updateDay } from '../../api/unconference';
import { Button } from '../../ui/Button';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { TextField } from '../../ui/Field';
import { fieldError, formLevelError } from '../../ui/formError';
import { useAsyncAction } from '../../ui/useAsyncAction';
import { formatDay } from '../format';
import { SlotRow } from './SlotRow';
import { type Change, Refusal } from './shared';

/** The day's own date and label, edited in place. */
function DayHeader({ eventId, day, change }: { eventId: string; day: DayView; change: Change }) {
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [date, setDate] = useState(day.date);
  const [label, setLabel] = useState(day.label);
  const save = useAsyncAction();
  const remove = useAsyncAction();
  const removeDay = () => void remove.run(() => change(() => deleteDay(day.id)));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save.run(async () => {
      await change(() => updateDay(day.id, { date, label }));
      setEditing(false);
    });
  };
  if (editing) {
    return (
      <>
        <form className="unconf-inline-form" aria-label={`Edit day ${day.date}`} onSubmit={submit} noValidate>
          <TextField
            label="Date"
            name="date"
            type="date"
            value={date}
            onChange={(e) => setDate(e.target.value)}
            error={fieldError(save.error, 'date')}
          />
          <TextField
            label="Day label"
            name="label"
            placeholder="e.g. Workshop day"
            maxLength={80}
            value={label}
            onChange={(e) => setLabel(e.target.value)}
            error={fieldError(save.error, 'label')}
          />
          <div className="unconf-edit-actions">
            <Button type="submit" size="sm" variant="primary" busy={save.busy}>
              Save day
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setEditing(false)}>
              Cancel
            </Button>
          </div>
        </form>
        <Refusal error={formLevelError(save.error, ['date', 'label'])} eventId={eventId} />
      </>
    );
  }
  return (
    <>
      <div className="card-header">
        <h3 className="card-title">
          {formatDay(day.date)} {day.label ? `· ${day.label}` : ''}
        </h3>
        <span className="unconf-row-actions">
          <Button
            size="sm"
            variant="ghost"
            aria-label={`Edit day ${day.date}`}
            onClick={() => {
              setDate(day.date);
              setLabel(day.label);
              save.setError(null);
              setEditing(true);
            }}
          >
            Edit
          </Button>
          <Button
            size="sm"
            variant="ghost"
            aria-label={`Remove day ${day.date}`}
            busy={remove.busy}
            onClick={() => (day.slots.length ? setConfirming(true) : removeDay())}
          >
            Remove day
          </Button>
        </span>
      </div>
      <Refusal error={remove.error} eventId={eventId} />
      <ConfirmDialog
        open={confirming}
        title={`Remove ${formatDay(day.date)}?`}
        confirmLabel="Remove day"
        danger
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          removeDay();
        }}
      >
        Its {day.slots.length} slot{day.slots.length === 1 ? '' : 's'} go with it. A day whose slots hold sessions is
        not removed.
      </ConfirmDialog>
    </>
  );
}

/** One day: its header, its slots (each edited in place) and a form for the next slot. */
export function DayCard({ eventId, day, change }: { eventId: string; day: DayView; change: Change }) {
  const last = day.slots.at(-1);
  const [start, setStart] = useState(last?.end ?? '09:00');
  const [end, setEnd] = useState('');
  const [isBreak, setIsBreak] = useState(false);
  const action = useAsyncAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void action.run(async () => {
      await change(() => addSlot(eventId, { dayId: day.id, start, end, isBreak }));
      setStart(end);
      setEnd('');
      setIsBreak(false);
    });
  };
  return (
    <section className="card unconf-day" aria-label={`Day ${day.date}`}>
      <DayHeader key={`${day.date}|${day.label}`} eventId={eventId} day={day} change={change} />
      {day.slots.length ? (
        <ul className="unconf-slot-list">
          {day.slots.map((slot) => (
            <SlotRow key={slot.id} eventId={eventId} day={day} slot={slot} change={change} />
          ))}
        </ul>
      ) : (
        <p className="card-meta">No slots yet.</p>
      )}
      <form className="unconf-inline-form" aria-label={`New slot on ${day.date}`} onSubmit={submit} noValidate>
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
      <Refusal error={formLevelError(action.error, ['start', 'end'])} eventId={eventId} />
    </section>
  );
}
