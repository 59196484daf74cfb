import { type FormEvent, useState } from 'react';
import { addSlot, type DayView, deleteDay, updateDay } from '../../api/unconference';
import { Button } from '../../ui/Button';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { calendarDay } from '../../ui/dates';
import { TextField } from '../../ui/Field';
import { fieldError, formLevelError } from '../../ui/formError';
import { useAsyncAction } from '../../ui/useAsyncAction';
import { SlotRow } from './SlotRow';
import { BreakCheck, SlotTimeFields } from './SlotTimeFields';
import { type Change, Refusal } from './shared';
import { EditActions, RowActions, useEditRow } from './useEditRow';

/** The day's own date and label, edited in place. */
function DayHeader({ eventId, day, change }: { eventId: string; day: DayView; change: Change }) {
  const row = useEditRow(change, () => ({ date: day.date, label: day.label }));
  const [confirming, setConfirming] = useState(false);
  const { values, save, remove } = row;
  const removeDay = () => void remove.run(() => change(() => deleteDay(day.id)));
  if (row.editing) {
    return (
      <>
        <form
          className="unconf-inline-form"
          aria-label={`Edit day ${day.date}`}
          onSubmit={row.submit((v) => updateDay(day.id, v))}
          noValidate
        >
          <TextField
            label="Date"
            name="date"
            type="date"
            value={values.date}
            onChange={(e) => row.set({ date: e.target.value })}
            error={fieldError(save.error, 'date')}
          />
          <TextField
            label="Day label"
            name="label"
            placeholder="e.g. Workshop day"
            maxLength={80}
            value={values.label}
            onChange={(e) => row.set({ label: e.target.value })}
            error={fieldError(save.error, 'label')}
          />
          <EditActions saveLabel="Save day" busy={save.busy} onCancel={row.close} />
        </form>
        <Refusal error={formLevelError(save.error, ['date', 'label'])} eventId={eventId} />
      </>
    );
  }
  return (
    <>
      <div className="card-header">
        <h3 className="card-title">
          {calendarDay(day.date)} {day.label ? `· ${day.label}` : ''}
        </h3>
        <RowActions
          name={`day ${day.date}`}
          removeLabel="Remove day"
          removing={remove.busy}
          onEdit={row.open}
          onRemove={() => (day.slots.length ? setConfirming(true) : removeDay())}
        />
      </div>
      <Refusal error={remove.error} eventId={eventId} />
      <ConfirmDialog
        open={confirming}
        title={`Remove ${calendarDay(day.date)}?`}
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
        <SlotTimeFields start={start} end={end} setStart={setStart} setEnd={setEnd} error={action.error} />
        <BreakCheck checked={isBreak} onChange={setIsBreak} />
        <Button type="submit" size="sm" variant="primary" busy={action.busy}>
          Add slot
        </Button>
      </form>
      <Refusal error={formLevelError(action.error, ['start', 'end'])} eventId={eventId} />
    </section>
  );
}
