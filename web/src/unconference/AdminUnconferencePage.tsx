import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { createUnconferenceEvent, listUnconferenceEvents } from '../api/unconference';
import { ErrorAlert, Notice } from '../ui/Alert';
import { Button } from '../ui/Button';
import { TextAreaField, TextField } from '../ui/Field';
import { fieldError, formLevelError } from '../ui/formError';
import { LoadError } from '../ui/LoadError';
import { plural } from '../ui/plural';
import { Loading } from '../ui/Spinner';
import { useAsyncAction } from '../ui/useAsyncAction';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useLoad } from '../ui/useLoad';
import { PHASE_BADGES, PHASE_LABELS } from './format';

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** Admin: every unconference, and a form for a new one. */
export function AdminUnconferencePage() {
  useDocumentTitle('Unconference · Admin');
  const navigate = useNavigate();
  const events = useLoad('unconference-events-admin', listUnconferenceEvents);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [timezone, setTimezone] = useState(browserZone);
  const action = useAsyncAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void action.run(async () => {
      const event = await createUnconferenceEvent({ name, description, timezone });
      navigate(`/admin/unconference/${event.id}`);
    });
  };
  const general = formLevelError(action.error, ['name', 'description', 'timezone']);
  return (
    <div className="stack">
      <section className="card" aria-labelledby="unconf-new-title">
        <h2 id="unconf-new-title" className="card-title">
          New unconference
        </h2>
        <form className="form" onSubmit={submit} noValidate>
          {general ? <ErrorAlert>{general.message}</ErrorAlert> : null}
          <TextField
            label="Name"
            name="name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={fieldError(action.error, 'name')}
            required
          />
          <TextAreaField
            label="Description"
            name="description"
            hint="Markdown."
            rows={3}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            error={fieldError(action.error, 'description')}
          />
          <TextField
            label="Time zone"
            name="timezone"
            hint="Where the event happens, e.g. Europe/Berlin: slot times are entered in it."
            value={timezone}
            onChange={(e) => setTimezone(e.target.value)}
            error={fieldError(action.error, 'timezone')}
          />
          <div className="form-actions">
            <Button type="submit" variant="primary" busy={action.busy}>
              Create unconference
            </Button>
          </div>
        </form>
      </section>
      {events.error ? <LoadError what="the events" message={events.error} onRetry={events.reload} /> : null}
      {!events.data && !events.error ? <Loading /> : null}
      {events.data && !events.data.length ? <Notice>No unconference yet.</Notice> : null}
      {events.data?.map((event) => (
        <article key={event.id} className="card">
          <div className="unconf-event-head">
            <h2 className="unconf-event-title">
              <Link to={`/admin/unconference/${event.id}`}>{event.name}</Link>
            </h2>
            <span className={PHASE_BADGES[event.phase]}>{PHASE_LABELS[event.phase]}</span>
          </div>
          <p className="card-meta">
            {plural(event.proposalCount, 'session')} · {event.timezone}
            {event.websiteActive ? '' : ' · website off'}
          </p>
        </article>
      ))}
    </div>
  );
}
