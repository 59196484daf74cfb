import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { updateMe } from '../api/auth';
import type { Person } from '../api/types';
import { useAuth } from '../auth/authContext';
import { ErrorAlert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { Field, TextField } from '../ui/Field';
import { fieldError, formLevelError } from '../ui/formError';
import { StatusMessage } from '../ui/StatusMessage';
import { useAsyncAction } from '../ui/useAsyncAction';
import { useFocusOnFieldError } from '../ui/useFocusOnFieldError';
import { browserTimeZone, currentTimeIn, groupedTimeZones, timeZoneLabel } from './timezones';

const FIELDS = ['name', 'team', 'title', 'timezone'] as const;

export function ProfileForm({ person }: { person: Person }) {
  const { setPerson } = useAuth();
  const browserZone = useMemo(browserTimeZone, []);
  const [name, setName] = useState(person.name);
  const [team, setTeam] = useState(person.team ?? '');
  const [title, setTitle] = useState(person.title ?? '');
  const [timezone, setTimezone] = useState(person.timezone || browserZone);
  // The timezone prompt (on every page, this one too) may change it underneath the form.
  useEffect(() => {
    if (person.timezone) setTimezone(person.timezone);
  }, [person.timezone]);
  const [saved, setSaved] = useState(false);
  const { busy, error, setError, run } = useAsyncAction();
  const formRef = useRef<HTMLFormElement>(null);
  useFocusOnFieldError(formRef, error);
  const groups = useMemo(() => groupedTimeZones([person.timezone, browserZone]), [person.timezone, browserZone]);
  const localTime = currentTimeIn(timezone);

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    if (name.trim() === '') {
      setError({ message: 'Enter your name.', field: 'name' });
      return;
    }
    void run(async () => {
      const changes: Parameters<typeof updateMe>[0] = { name: name.trim(), timezone };
      if (team.trim() !== (person.team ?? '')) changes.team = team.trim();
      if (title.trim() !== (person.title ?? '')) changes.title = title.trim();
      const updated = await updateMe(changes);
      setPerson(updated);
      setName(updated.name);
      setTeam(updated.team ?? '');
      setTitle(updated.title ?? '');
      setTimezone(updated.timezone || timezone);
      setSaved(true);
    });
  }

  const formError = formLevelError(error, FIELDS);

  return (
    <form ref={formRef} className="form" onSubmit={handleSubmit} noValidate aria-labelledby="profile-form-title">
      <h2 id="profile-form-title" className="card-title">
        Your details
      </h2>
      {formError ? <ErrorAlert>{formError.message}</ErrorAlert> : null}
      <TextField
        label="Name"
        name="name"
        autoComplete="name"
        required
        value={name}
        onChange={(e) => {
          setName(e.target.value);
          setSaved(false);
        }}
        error={fieldError(error, 'name')}
      />
      <TextField
        label="Team"
        name="team"
        hint="Mixers use it to pair you with people from other teams. Set by the staff directory for people in it."
        value={team}
        onChange={(e) => {
          setTeam(e.target.value);
          setSaved(false);
        }}
        error={fieldError(error, 'team')}
      />
      <TextField
        label="Title"
        name="title"
        autoComplete="organization-title"
        value={title}
        onChange={(e) => {
          setTitle(e.target.value);
          setSaved(false);
        }}
        error={fieldError(error, 'title')}
      />
      <Field
        label="Timezone"
        name="timezone"
        error={fieldError(error, 'timezone')}
        hint={
          <>
            {localTime ? <>It’s {localTime} there now. </> : null}
            {timezone !== browserZone ? (
              <>
                Your browser is set to {browserZone}.{' '}
                <button
                  type="button"
                  className="link-button"
                  onClick={() => {
                    setTimezone(browserZone);
                    setSaved(false);
                  }}
                >
                  Use {browserZone}
                </button>
              </>
            ) : null}
          </>
        }
      >
        {(control) => (
          <select
            {...control}
            className="input select"
            value={timezone}
            onChange={(e) => {
              setTimezone(e.target.value);
              setSaved(false);
            }}
          >
            {groups.map((group) => (
              <optgroup key={group.region} label={group.region}>
                {group.zones.map((zone) => (
                  <option key={zone} value={zone}>
                    {timeZoneLabel(zone)}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        )}
      </Field>
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={busy}>
          Save profile
        </Button>
        <StatusMessage>{saved ? 'Saved' : null}</StatusMessage>
      </div>
    </form>
  );
}
