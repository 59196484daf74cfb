import { type FormEvent, useState } from 'react';
import { createMeeting, type MeetingDetail } from '../api/meetings';
import type { AdminPerson } from '../api/types';
import { PersonResultText, usePeopleSearch } from '../mixers/PeopleSearch';
import { ErrorAlert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { TextField } from '../ui/Field';
import { fieldError, formLevelError } from '../ui/formError';
import { useAsyncAction } from '../ui/useAsyncAction';
import { zonedToUtc } from './time';

const FIELDS = ['title', 'participantIds', 'startsAt', 'durationMinutes'];

/** An admin's meeting: a title, people found by search, and optionally a time (in the admin's timezone). */
export function CreateMeetingForm({
  timeZone,
  onCreated,
}: {
  timeZone: string;
  onCreated: (m: MeetingDetail) => void;
}) {
  const [title, setTitle] = useState('');
  const [people, setPeople] = useState<AdminPerson[]>([]);
  const [q, setQ] = useState('');
  // Two characters at least: one matches half the directory.
  const { results, error: searchError } = usePeopleSearch(q, 2);
  const [date, setDate] = useState('');
  const [time, setTime] = useState('');
  const [duration, setDuration] = useState(30);
  const action = useAsyncAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const startsAt = date || time ? zonedToUtc(date, time, timeZone) : null;
    if ((date || time) && !startsAt) {
      action.setError({ message: 'Give both a date and a time, or neither.', field: 'startsAt' });
      return;
    }
    await action.run(async () => {
      const meeting = await createMeeting({
        title,
        participantIds: people.map((p) => p.id),
        startsAt,
        durationMinutes: startsAt ? duration : null,
      });
      setTitle('');
      setPeople([]);
      setDate('');
      setTime('');
      onCreated(meeting);
    });
  }

  const chosen = new Set(people.map((p) => p.id));
  return (
    <form className="form" onSubmit={submit} noValidate>
      <TextField
        label="Title"
        name="title"
        value={title}
        maxLength={200}
        onChange={(e) => setTitle(e.target.value)}
        error={fieldError(action.error, 'title')}
        required
      />
      <TextField
        label="Find people"
        name="participantIds"
        hint="Search by name, username or email, then add them."
        error={fieldError(action.error, 'participantIds')}
        type="search"
        autoComplete="off"
        value={q}
        onChange={(e) => setQ(e.target.value)}
      />
      {searchError ? <ErrorAlert>Couldn’t search people: {searchError}</ErrorAlert> : null}
      {results && results.length === 0 ? <p className="muted">Nobody matches “{q.trim()}”.</p> : null}
      {results && results.length > 0 ? (
        <ul className="person-results" aria-label="Search results">
          {results.slice(0, 8).map((person) => (
            <li key={person.id}>
              <PersonResultText person={person} />
              <Button
                size="sm"
                disabled={chosen.has(person.id)}
                aria-label={`Add ${person.name || person.username}`}
                onClick={() => setPeople((list) => [...list, person])}
              >
                {chosen.has(person.id) ? 'Added' : 'Add'}
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
      {people.length > 0 ? (
        <ul className="meeting-chosen" aria-label="Participants">
          {people.map((p) => (
            <li key={p.id} className="meeting-chip">
              {p.name || p.username}
              <button
                type="button"
                className="meeting-chip-remove"
                aria-label={`Remove ${p.name || p.username}`}
                onClick={() => setPeople((list) => list.filter((x) => x.id !== p.id))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No participants yet.</p>
      )}
      <div className="meeting-time-fields">
        <TextField
          label="Date (optional)"
          name="date"
          type="date"
          value={date}
          onChange={(e) => setDate(e.target.value)}
        />
        <TextField
          label={`Time (${timeZone})`}
          name="startsAt"
          type="time"
          value={time}
          onChange={(e) => setTime(e.target.value)}
          error={fieldError(action.error, 'startsAt')}
        />
        <TextField
          label="Length (minutes)"
          name="durationMinutes"
          type="number"
          min={5}
          max={720}
          value={duration}
          onChange={(e) => setDuration(Number(e.target.value))}
          error={fieldError(action.error, 'durationMinutes')}
        />
      </div>
      {formLevelError(action.error, FIELDS) ? <ErrorAlert>{action.error?.message}</ErrorAlert> : null}
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={action.busy}>
          Create meeting
        </Button>
      </div>
    </form>
  );
}
