import { type FormEvent, useState } from 'react';
import { type MeetingDetail, setMeetingTime } from '../api/meetings';
import { ErrorAlert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { Field } from '../ui/Field';
import { fieldError, formLevelError } from '../ui/formError';
import { useAsyncAction } from '../ui/useAsyncAction';
import { utcToZoned, zonedToUtc } from './time';
import { toldSentence } from './told';

const DURATIONS = [15, 30, 45, 60, 90];

/** Set or change the meeting's time, typed in the viewer's own timezone and sent in UTC. */
export function TimeForm({
  meeting,
  timeZone,
  onSaved,
}: {
  meeting: MeetingDetail;
  timeZone: string;
  onSaved: (meeting: MeetingDetail) => void;
}) {
  const initial = meeting.startsAt ? utcToZoned(meeting.startsAt, timeZone) : { date: '', time: '' };
  const [date, setDate] = useState(initial.date);
  const [time, setTime] = useState(initial.time);
  const [duration, setDuration] = useState(meeting.durationMinutes ?? 30);
  const action = useAsyncAction();
  const [saved, setSaved] = useState<string | null>(null);
  const today = utcToZoned(new Date().toISOString(), timeZone).date;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(null);
    const startsAt = zonedToUtc(date, time, timeZone);
    if (!startsAt) {
      action.setError({ message: 'Choose a date and a time.', field: date ? 'startsAt' : 'date' });
      return;
    }
    await action.run(async () => {
      const { meeting: updated, told } = await setMeetingTime(meeting.id, startsAt, duration);
      onSaved(updated);
      setSaved(`${meeting.startsAt ? 'Time changed.' : 'Time set.'} ${toldSentence(told)}`);
    });
  }

  const timeError = fieldError(action.error, 'startsAt');
  return (
    <form className="form meeting-time-form" onSubmit={submit} noValidate>
      <div className="meeting-time-fields">
        <Field label="Date" name="date" error={fieldError(action.error, 'date')}>
          {(control) => (
            <input
              {...control}
              type="date"
              className="input"
              min={today}
              value={date}
              onChange={(e) => setDate(e.target.value)}
              required
            />
          )}
        </Field>
        <Field label="Time" name="startsAt" error={timeError}>
          {(control) => (
            <input
              {...control}
              type="time"
              className="input"
              step={300}
              value={time}
              onChange={(e) => setTime(e.target.value)}
              required
            />
          )}
        </Field>
        <Field label="Length" name="durationMinutes" error={fieldError(action.error, 'durationMinutes')}>
          {(control) => (
            <select
              {...control}
              className="input select"
              value={duration}
              onChange={(e) => setDuration(Number(e.target.value))}
            >
              {[...new Set([...DURATIONS, duration])]
                .sort((a, b) => a - b)
                .map((minutes) => (
                  <option key={minutes} value={minutes}>
                    {minutes} minutes
                  </option>
                ))}
            </select>
          )}
        </Field>
      </div>
      <p className="field-hint">In your timezone, {timeZone} (change it on your profile).</p>
      {formLevelError(action.error, ['date', 'startsAt', 'durationMinutes']) ? (
        <ErrorAlert>{action.error?.message}</ErrorAlert>
      ) : null}
      {saved ? (
        <p className="meeting-saved" role="status">
          {saved}
        </p>
      ) : null}
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={action.busy}>
          {meeting.startsAt ? 'Change time' : 'Set time'}
        </Button>
      </div>
    </form>
  );
}
