import { type FormEvent, useState } from 'react';
import { type DayView, deleteSlot, type SlotView, updateSlot } from '../../api/unconference';
import { Button } from '../../ui/Button';
import { TextField } from '../../ui/Field';
import { fieldError, formLevelError } from '../../ui/formError';
import { useAsyncAction } from '../../ui/useAsyncAction';
import { type Change, Refusal } from './shared';

const FIELDS = ['start', 'end', 'label'];

/** One slot: its times and label, edited in place; removing it is refused while it holds sessions. */
export function SlotRow({
  eventId,
  day,
  slot,
  change,
}: {
  eventId: string;
  day: DayView;
  slot: SlotView;
  change: Change;
}) {
  const name = `${slot.start}–${slot.end} on ${day.date}`;
  const [editing, setEditing] = useState(false);
  const [start, setStart] = useState(slot.start);
  const [end, setEnd] = useState(slot.end);
  const [label, setLabel] = useState(slot.label);
  const [isBreak, setIsBreak] = useState(slot.isBreak);
  const save = useAsyncAction();
  const remove = useAsyncAction();

  const open = () => {
    setStart(slot.start);
    setEnd(slot.end);
    setLabel(slot.label);
    setIsBreak(slot.isBreak);
    save.setError(null);
    remove.setError(null);
    setEditing(true);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save.run(async () => {
      await change(() => updateSlot(slot.id, { start, end, label, isBreak }));
      setEditing(false);
    });
  };

  if (editing) {
    return (
      <li className="unconf-slot-editing">
        <form className="unconf-inline-form" aria-label={`Edit slot ${name}`} onSubmit={submit} noValidate>
          <TextField
            label="Start"
            name="start"
            type="time"
            value={start}
            onChange={(e) => setStart(e.target.value)}
            error={fieldError(save.error, 'start')}
          />
          <TextField
            label="End"
            name="end"
            type="time"
            value={end}
            onChange={(e) => setEnd(e.target.value)}
            error={fieldError(save.error, 'end')}
          />
          <TextField
            label="Label"
            name="label"
            placeholder={isBreak ? 'Lunch' : 'optional'}
            maxLength={80}
            value={label}
            onChange={(e) => setLabel(e.target.value)}
            error={fieldError(save.error, 'label')}
          />
          <label className="unconf-check">
            <input type="checkbox" checked={isBreak} onChange={(e) => setIsBreak(e.target.checked)} /> Break
          </label>
          <div className="unconf-edit-actions">
            <Button type="submit" size="sm" variant="primary" busy={save.busy}>
              Save slot
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setEditing(false)}>
              Cancel
            </Button>
          </div>
        </form>
        <Refusal error={formLevelError(save.error, FIELDS)} eventId={eventId} />
      </li>
    );
  }
  return (
    <li className={slot.isBreak ? 'unconf-slot is-break' : 'unconf-slot'}>
      <span className="unconf-slot-time">
        {slot.start}–{slot.end}
      </span>
      <span className="unconf-slot-label">{slot.isBreak ? slot.label || 'Break' : slot.label}</span>
      <span className="unconf-row-actions">
        <Button size="sm" variant="ghost" aria-label={`Edit slot ${name}`} onClick={open}>
          Edit
        </Button>
        <Button
          size="sm"
          variant="ghost"
          aria-label={`Remove slot ${name}`}
          busy={remove.busy}
          onClick={() => void remove.run(() => change(() => deleteSlot(slot.id)))}
        >
          Remove
        </Button>
      </span>
      {remove.error ? (
        <div className="unconf-row-problem">
          <Refusal error={remove.error} eventId={eventId} />
        </div>
      ) : null}
    </li>
  );
}
