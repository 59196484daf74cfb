import { useState } from 'react';
import { deleteRoom, type RoomView, updateRoom } from '../../api/unconference';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { TextField } from '../../ui/Field';
import { type FormError, fieldError, formLevelError } from '../../ui/formError';
import { type Change, Refusal } from './shared';
import { EditActions, RowActions, useEditRow } from './useEditRow';

const FIELDS = ['name', 'capacity', 'url'];

/** The room form's fields, shared by "add" and "edit". */
export function RoomFields({
  values,
  set,
  error,
}: {
  values: { name: string; capacity: string; url: string; isPlace: boolean };
  set: (changes: Partial<{ name: string; capacity: string; url: string; isPlace: boolean }>) => void;
  error: FormError | null;
}) {
  return (
    <>
      <TextField
        label="Room name"
        name="name"
        maxLength={80}
        value={values.name}
        onChange={(e) => set({ name: e.target.value })}
        error={fieldError(error, 'name')}
      />
      <TextField
        label="Capacity"
        name="capacity"
        type="number"
        inputMode="numeric"
        min={1}
        value={values.capacity}
        onChange={(e) => set({ capacity: e.target.value })}
        error={fieldError(error, 'capacity')}
      />
      <TextField
        label="Link"
        name="url"
        type="url"
        placeholder="https://…"
        value={values.url}
        onChange={(e) => set({ url: e.target.value })}
        error={fieldError(error, 'url')}
      />
      <label className="unconf-check">
        <input type="checkbox" checked={!values.isPlace} onChange={(e) => set({ isPlace: !e.target.checked })} /> Not a
        place (hallway, online)
      </label>
    </>
  );
}

/** An empty capacity is sent as such (and refused by name), not as 0. */
export const capacityValue = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));

const hostOf = (url: string): string => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

/** One room, edited in place; removing it is refused while it holds sessions. */
export function RoomRow({ eventId, room, change }: { eventId: string; room: RoomView; change: Change }) {
  const row = useEditRow(change, () => ({
    name: room.name,
    capacity: String(room.capacity),
    url: room.url ?? '',
    isPlace: room.isPlace,
  }));
  const [confirming, setConfirming] = useState(false);
  const { save, remove } = row;

  if (row.editing) {
    return (
      <li className="unconf-slot-editing">
        <form
          className="unconf-inline-form"
          aria-label={`Edit room ${room.name}`}
          onSubmit={row.submit((v) =>
            updateRoom(room.id, {
              name: v.name,
              capacity: capacityValue(v.capacity),
              url: v.url || null,
              isPlace: v.isPlace,
            }),
          )}
          noValidate
        >
          <RoomFields values={row.values} set={row.set} error={save.error} />
          <EditActions saveLabel="Save room" busy={save.busy} onCancel={row.close} />
        </form>
        <Refusal error={formLevelError(save.error, FIELDS)} eventId={eventId} />
      </li>
    );
  }
  return (
    <li className="unconf-slot">
      <span className="unconf-slot-time">{room.name}</span>
      <span className="unconf-slot-label">
        {room.capacity} people{room.isPlace ? '' : ' · not a place'}
        {room.url ? (
          <>
            {' · '}
            <a href={room.url} target="_blank" rel="noreferrer">
              {hostOf(room.url)}
            </a>
          </>
        ) : null}
      </span>
      <RowActions
        name={`room ${room.name}`}
        removing={remove.busy}
        onEdit={row.open}
        onRemove={() => setConfirming(true)}
      />
      {remove.error ? (
        <div className="unconf-row-problem">
          <Refusal error={remove.error} eventId={eventId} />
        </div>
      ) : null}
      <ConfirmDialog
        open={confirming}
        title={`Remove the room ${room.name}?`}
        confirmLabel="Remove room"
        danger
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          void remove.run(() => change(() => deleteRoom(room.id)));
        }}
      >
        Sessions can no longer be placed in it. A room that holds sessions is not removed.
      </ConfirmDialog>
    </li>
  );
}
