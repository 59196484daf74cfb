import { type DayView, deleteSlot, type SlotView, updateSlot } from '../../api/unconference';
import { TextField } from '../../ui/Field';
import { fieldError, formLevelError } from '../../ui/formError';
import { BreakCheck, SlotTimeFields } from './SlotTimeFields';
import { type Change, Refusal } from './shared';
import { EditActions, RowActions, useEditRow } from './useEditRow';

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
  const row = useEditRow(change, () => ({
    start: slot.start,
    end: slot.end,
    label: slot.label,
    isBreak: slot.isBreak,
  }));
  const { values, save, remove } = row;

  if (row.editing) {
    return (
      <li className="unconf-slot-editing">
        <form
          className="unconf-inline-form"
          aria-label={`Edit slot ${name}`}
          onSubmit={row.submit((v) => updateSlot(slot.id, v))}
          noValidate
        >
          <SlotTimeFields
            start={values.start}
            end={values.end}
            setStart={(start) => row.set({ start })}
            setEnd={(end) => row.set({ end })}
            error={save.error}
          />
          <TextField
            label="Label"
            name="label"
            placeholder={values.isBreak ? 'Lunch' : 'optional'}
            maxLength={80}
            value={values.label}
            onChange={(e) => row.set({ label: e.target.value })}
            error={fieldError(save.error, 'label')}
          />
          <BreakCheck checked={values.isBreak} onChange={(isBreak) => row.set({ isBreak })} />
          <EditActions saveLabel="Save slot" busy={save.busy} onCancel={row.close} />
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
      <RowActions
        name={`slot ${name}`}
        removing={remove.busy}
        onEdit={row.open}
        onRemove={() => void remove.run(() => change(() => deleteSlot(slot.id)))}
      />
      {remove.error ? (
        <div className="unconf-row-problem">
          <Refusal error={remove.error} eventId={eventId} />
        </div>
      ) : null}
    </li>
  );
}
