import { type FormEvent, useState } from 'react';
import type { TimetableView } from '../../api/unconference';
import { Button } from '../../ui/Button';
import { useAsyncAction } from '../../ui/useAsyncAction';
import type { Change } from './shared';

/**
 * A timetable row (day, slot, room) edited in place: opening copies the row's current values into
 * the form and clears old refusals; saving runs the change and closes the form only when it is taken.
 */
export function useEditRow<V extends object>(change: Change, current: () => V) {
  const [editing, setEditing] = useState(false);
  const [values, setValues] = useState<V>(current);
  const save = useAsyncAction();
  const remove = useAsyncAction();
  return {
    editing,
    values,
    save,
    remove,
    set: (changes: Partial<V>) => setValues((v) => ({ ...v, ...changes })),
    open: () => {
      setValues(current());
      save.setError(null);
      remove.setError(null);
      setEditing(true);
    },
    close: () => setEditing(false),
    submit: (work: (values: V) => Promise<TimetableView>) => (e: FormEvent) => {
      e.preventDefault();
      void save.run(async () => {
        await change(() => work(values));
        setEditing(false);
      });
    },
  };
}

/** "Save …" and "Cancel" under a row's edit form. */
export function EditActions({ saveLabel, busy, onCancel }: { saveLabel: string; busy: boolean; onCancel: () => void }) {
  return (
    <div className="unconf-edit-actions">
      <Button type="submit" size="sm" variant="primary" busy={busy}>
        {saveLabel}
      </Button>
      <Button size="sm" variant="ghost" onClick={onCancel}>
        Cancel
      </Button>
    </div>
  );
}

/** A row's "Edit" and "Remove" buttons; `name` ("slot 09:00–10:00 on 2027-03-01") names them to screen readers. */
export function RowActions({
  name,
  removeLabel = 'Remove',
  removing,
  onEdit,
  onRemove,
}: {
  name: string;
  removeLabel?: string;
  removing: boolean;
  onEdit: () => void;
  onRemove: () => void;
}) {
  return (
    <span className="unconf-row-actions">
      <Button size="sm" variant="ghost" aria-label={`Edit ${name}`} onClick={onEdit}>
        Edit
      </Button>
      <Button size="sm" variant="ghost" aria-label={`Remove ${name}`} busy={removing} onClick={onRemove}>
        {removeLabel}
      </Button>
    </span>
  );
}
