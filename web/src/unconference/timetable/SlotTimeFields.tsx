import { TextField } from '../../ui/Field';
import { type FormError, fieldError } from '../../ui/formError';

/** A slot's start and end times, shared by "new slot" and "edit slot". */
export function SlotTimeFields({
  start,
  end,
  setStart,
  setEnd,
  error,
}: {
  start: string;
  end: string;
  setStart: (start: string) => void;
  setEnd: (end: string) => void;
  error: FormError | null;
}) {
  return (
    <>
      <TextField
        label="Start"
        name="start"
        type="time"
        value={start}
        onChange={(e) => setStart(e.target.value)}
        error={fieldError(error, 'start')}
      />
      <TextField
        label="End"
        name="end"
        type="time"
        value={end}
        onChange={(e) => setEnd(e.target.value)}
        error={fieldError(error, 'end')}
      />
    </>
  );
}

/** "Break" checkbox: a break slot holds no sessions. */
export function BreakCheck({ checked, onChange }: { checked: boolean; onChange: (checked: boolean) => void }) {
  return (
    <label className="unconf-check">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} /> Break
    </label>
  );
}
