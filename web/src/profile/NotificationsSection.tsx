import { type FormEvent, useId, useState } from 'react';
import { getMyNotifications, type NotificationPrefs, saveMyNotifications } from '../api/notifications';
import { ErrorAlert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { Field } from '../ui/Field';
import { LoadError } from '../ui/LoadError';
import { Loading } from '../ui/Spinner';
import { StatusMessage } from '../ui/StatusMessage';
import { useAsyncAction } from '../ui/useAsyncAction';
import { useLoad } from '../ui/useLoad';

/** "Notifications" on the profile: default channels, and per mixer group either those or its own. */
export function NotificationsSection() {
  const { data, error, reload, setData } = useLoad('my-notifications', getMyNotifications);
  return (
    <section className="card" aria-labelledby="notifications-title">
      <h2 id="notifications-title" className="card-title">
        Notifications
      </h2>
      {error ? <LoadError what="your notification settings" message={error} onRetry={reload} /> : null}
      {!data && !error ? <Loading label="Loading notification settings…" /> : null}
      {data ? <NotificationsForm prefs={data} onSaved={(p) => setData(() => p)} /> : null}
    </section>
  );
}

function NotificationsForm({ prefs, onSaved }: { prefs: NotificationPrefs; onSaved: (p: NotificationPrefs) => void }) {
  const [defaults, setDefaults] = useState(prefs.defaults);
  const [overrides, setOverrides] = useState(() => new Map(prefs.origins.map((o) => [o.origin, o.override])));
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAsyncAction();
  const baseId = useId();

  if (!prefs.channels.length) {
    return <p className="card-note">No notification channel is turned on yet, so there is nothing to choose.</p>;
  }

  const checkboxes = (
    values: Record<string, boolean>,
    onChange: (next: Record<string, boolean>) => void,
    at: string,
    label?: string,
  ) => (
    <fieldset className="notification-channels" aria-label={label}>
      {prefs.channels.map(({ channel, label }) => {
        const id = `${baseId}-${at}-${channel}`;
        return (
          <label key={channel} className="checkbox" htmlFor={id}>
            <input
              id={id}
              type="checkbox"
              checked={values[channel] ?? false}
              onChange={(e) => {
                onChange({ ...values, [channel]: e.target.checked });
                setSaved(false);
              }}
            />
            {label}
          </label>
        );
      })}
    </fieldset>
  );

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    void run(async () => {
      const next = await saveMyNotifications({
        defaults,
        origins: [...overrides].map(([origin, override]) => ({ origin, override })),
      });
      onSaved(next);
      setSaved(true);
    });
  }

  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Notification settings">
      {error ? <ErrorAlert>{error.message}</ErrorAlert> : null}
      <fieldset className="fieldset">
        <legend className="field-label">Send me messages by</legend>
        {checkboxes(defaults, setDefaults, 'default')}
        {Object.values(defaults).every((on) => !on) ? (
          <p className="field-hint">
            With every channel off you get no messages, except from groups set to “Only these…” below.
          </p>
        ) : null}
      </fieldset>
      {prefs.origins.length ? (
        <div className="notification-groups">
          <p className="section-label">Per group, event or source</p>
          {prefs.origins.map((group) => {
            const override = overrides.get(group.origin) ?? null;
            const setOverride = (value: Record<string, boolean> | null) => {
              setOverrides((current) => new Map(current).set(group.origin, value));
              setSaved(false);
            };
            return (
              <div key={group.origin} className="notification-group">
                <Field label={group.name} name={`origin-${group.origin.replace(/[^a-zA-Z0-9_-]/g, '-')}`}>
                  {(control) => (
                    <select
                      {...control}
                      className="input select"
                      value={override ? 'only' : 'default'}
                      onChange={(e) => setOverride(e.target.value === 'only' ? { ...defaults } : null)}
                    >
                      <option value="default">Use my default</option>
                      <option value="only">Only these…</option>
                    </select>
                  )}
                </Field>
                {override ? checkboxes(override, setOverride, group.origin, `Channels for ${group.name}`) : null}
              </div>
            );
          })}
        </div>
      ) : null}
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={busy}>
          Save notifications
        </Button>
        <StatusMessage>{saved ? 'Saved' : null}</StatusMessage>
      </div>
    </form>
  );
}
