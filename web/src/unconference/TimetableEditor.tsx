import { useState } from 'react';
import { addDay, addRoom, type TimetableView, timetableExportUrl } from '../api/unconference';
import { Button } from '../ui/Button';
import { TextField } from '../ui/Field';
import { fieldError, formLevelError } from '../ui/formError';
import { useAsyncAction } from '../ui/useAsyncAction';
import { DayCard } from './timetable/DayCard';
import { capacityValue, RoomFields, RoomRow } from './timetable/RoomRow';
import { type Change, Refusal } from './timetable/shared';
import './manage.css';

const EMPTY_ROOM = { name: '', capacity: '30', url: '', isPlace: true };

/**
 * The timetable editor: days with their slots, and rooms, each added, edited in place and removed
 * where it is shown. Every change answers with the whole timetable, which replaces the one shown; a
 * refusal (an overlap, a slot or room holding sessions) is shown beside what was refused.
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
  const change: Change = async (work) => onChange(await work());
  const [date, setDate] = useState('');
  const dayAction = useAsyncAction();
  const [room, setRoom] = useState(EMPTY_ROOM);
  const roomAction = useAsyncAction();

  return (
    <div className="stack">
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
        <Refusal error={formLevelError(dayAction.error, ['date'])} eventId={eventId} />
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
            {timetable.rooms.map((r) => (
              <RoomRow key={r.id} eventId={eventId} room={r} change={change} />
            ))}
          </ul>
        ) : (
          <p className="card-meta">No rooms yet.</p>
        )}
        <h4 className="unconf-form-title">Add a room</h4>
        <form
          className="unconf-inline-form"
          aria-label="New room"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void roomAction.run(async () => {
              onChange(
                await addRoom(eventId, {
                  name: room.name,
                  capacity: capacityValue(room.capacity),
                  url: room.url || null,
                  isPlace: room.isPlace,
                }),
              );
              setRoom((r) => ({ ...EMPTY_ROOM, capacity: r.capacity }));
            });
          }}
        >
          <RoomFields values={room} set={(c) => setRoom((r) => ({ ...r, ...c }))} error={roomAction.error} />
          <Button type="submit" size="sm" variant="primary" busy={roomAction.busy}>
            Add room
          </Button>
        </form>
        <Refusal error={formLevelError(roomAction.error, ['name', 'capacity', 'url'])} eventId={eventId} />
      </section>
    </div>
  );
}
