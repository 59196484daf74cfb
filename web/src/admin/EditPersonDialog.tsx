import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import { sendResetLink } from '../api/accounts';
import type { AdminPerson, EditPersonInput, Role } from '../api/types';
import { browserTimeZone, groupedTimeZones, timeZoneLabel } from '../profile/timezones';
import { ErrorAlert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { Field, TextField } from '../ui/Field';
import { type FormError, fieldError, formLevelError } from '../ui/formError';
import { StatusMessage } from '../ui/StatusMessage';
import { useAsyncAction } from '../ui/useAsyncAction';
import { useFocusOnFieldError } from '../ui/useFocusOnFieldError';
import { displayName } from './personActions';

const FIELDS = [
  'name',
  'email',
  'username',
  'team',
  'title',
  'managerUsername',
  'timezone',
  'avatarUrl',
  'role',
  'enabled',
] as const;
type FieldName = (typeof FIELDS)[number];

interface FormValues {
  name: string;
  email: string;
  username: string;
  team: string;
  title: string;
  managerUsername: string;
  timezone: string;
  avatarUrl: string;
  role: Role;
  enabled: boolean;
}

function valuesOf(person: AdminPerson): FormValues {
  return {
    name: person.name,
    email: person.email ?? '',
    username: person.username,
    team: person.team ?? '',
    title: person.title ?? '',
    managerUsername: person.managerUsername ?? '',
    timezone: person.timezone,
    avatarUrl: person.avatarUrl ?? '',
    role: person.role,
    enabled: person.enabled,
  };
}

/** Only what the admin changed is sent: an untouched field is never written, nor audited. */
function changesBetween(before: FormValues, after: FormValues): EditPersonInput {
  const changes: EditPersonInput = {};
  const text = (key: 'email' | 'team' | 'title' | 'managerUsername' | 'avatarUrl') => {
    if (after[key].trim() !== before[key].trim()) changes[key] = after[key].trim() || null;
  };
  if (after.name.trim() !== before.name) changes.name = after.name.trim();
  if (after.username.trim() !== before.username) changes.username = after.username.trim();
  for (const key of ['email', 'team', 'title', 'managerUsername', 'avatarUrl'] as const) text(key);
  if (after.timezone !== before.timezone) changes.timezone = after.timezone;
  if (after.role !== before.role) changes.role = after.role;
  if (after.enabled !== before.enabled) changes.enabled = after.enabled;
  return changes;
}

interface EditPersonDialogProps {
  person: AdminPerson | null;
  isSelf: boolean;
  busy: boolean;
  error: FormError | null;
  onSave: (person: AdminPerson, changes: EditPersonInput) => void;
  onCancel: () => void;
}

/** The admin's form for one person, in a modal: every field, with the directory's marked. */
export function EditPersonDialog({ person, isSelf, busy, error, onSave, onCancel }: EditPersonDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const titleId = useId();
  const [values, setValues] = useState<FormValues | null>(person ? valuesOf(person) : null);
  const browserZone = useMemo(browserTimeZone, []);
  const zones = useMemo(
    () => groupedTimeZones([person?.timezone ?? browserZone, browserZone]),
    [person?.timezone, browserZone],
  );
  useFocusOnFieldError(formRef, error);

  useEffect(() => {
    setValues(person ? valuesOf(person) : null);
    const dialog = ref.current;
    if (!dialog) return;
    if (person && !dialog.open) dialog.showModal();
    if (!person && dialog.open) dialog.close();
  }, [person]);

  const fromDirectory = new Set(person?.directoryFields ?? []);
  const hint = (field: FieldName) =>
    fromDirectory.has(field) ? <span className="directory-mark">From the directory</span> : undefined;
  const set = <K extends keyof FormValues>(key: K, value: FormValues[K]) =>
    setValues((current) => (current ? { ...current, [key]: value } : current));

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!person || !values) return;
    onSave(person, changesBetween(valuesOf(person), values));
  }

  const formError = formLevelError(error, FIELDS);

  return (
    <dialog
      ref={ref}
      className="dialog dialog-wide"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      {person && values ? (
        <form ref={formRef} className="form" onSubmit={handleSubmit} noValidate>
          <h2 id={titleId} className="dialog-title">
            Edit {displayName(person)}
          </h2>
          {person.directoryId ? (
            <p className="directory-note">
              In the staff directory (id <code>{person.directoryId}</code>). Fields marked{' '}
              <span className="directory-mark">From the directory</span> are replaced by the next directory import:
              change them in the directory to keep the change.
            </p>
          ) : null}
          {formError ? <ErrorAlert>{formError.message}</ErrorAlert> : null}
          <div className="form-grid">
            <TextField
              label="Name"
              name="name"
              required
              value={values.name}
              hint={hint('name')}
              error={fieldError(error, 'name')}
              onChange={(e) => set('name', e.target.value)}
            />
            <TextField
              label="Email"
              name="email"
              type="email"
              value={values.email}
              hint={hint('email')}
              error={fieldError(error, 'email')}
              onChange={(e) => set('email', e.target.value)}
            />
            <TextField
              label="Username"
              name="username"
              required
              autoCapitalize="none"
              value={values.username}
              hint={hint('username')}
              error={fieldError(error, 'username')}
              onChange={(e) => set('username', e.target.value)}
            />
            <TextField
              label="Manager"
              name="managerUsername"
              placeholder="Their username"
              autoCapitalize="none"
              value={values.managerUsername}
              hint={hint('managerUsername')}
              error={fieldError(error, 'managerUsername')}
              onChange={(e) => set('managerUsername', e.target.value)}
            />
            <TextField
              label="Team"
              name="team"
              value={values.team}
              hint={hint('team')}
              error={fieldError(error, 'team')}
              onChange={(e) => set('team', e.target.value)}
            />
            <TextField
              label="Title"
              name="title"
              value={values.title}
              hint={hint('title')}
              error={fieldError(error, 'title')}
              onChange={(e) => set('title', e.target.value)}
            />
            <Field label="Timezone" name="timezone" hint={hint('timezone')} error={fieldError(error, 'timezone')}>
              {(control) => (
                <select
                  {...control}
                  className="input select"
                  value={values.timezone}
                  onChange={(e) => set('timezone', e.target.value)}
                >
                  {zones.map((group) => (
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
            <TextField
              label="Avatar URL"
              name="avatarUrl"
              type="url"
              placeholder="https://…"
              value={values.avatarUrl}
              hint={hint('avatarUrl')}
              error={fieldError(error, 'avatarUrl')}
              onChange={(e) => set('avatarUrl', e.target.value)}
            />
            <Field label="Role" name="role" error={fieldError(error, 'role')}>
              {(control) => (
                <select
                  {...control}
                  className="input select"
                  value={values.role}
                  onChange={(e) => set('role', e.target.value as Role)}
                >
                  <option value="member">Member</option>
                  <option value="admin">Admin</option>
                </select>
              )}
            </Field>
            <Field label="Account" name="enabled" hint={hint('enabled')} error={fieldError(error, 'enabled')}>
              {(control) => (
                <label className="checkbox">
                  <input
                    {...control}
                    type="checkbox"
                    checked={values.enabled}
                    disabled={isSelf && values.enabled}
                    onChange={(e) => set('enabled', e.target.checked)}
                  />
                  Enabled
                </label>
              )}
            </Field>
          </div>
          {person.email && person.enabled ? <ResetLinkRow personId={person.id} email={person.email} /> : null}
          <div className="dialog-actions">
            <Button onClick={onCancel}>Cancel</Button>
            <Button type="submit" variant="primary" busy={busy}>
              Save changes
            </Button>
          </div>
        </form>
      ) : null}
    </dialog>
  );
}

/** "Send a reset link": the person gets a one-hour, single-use link to choose a new password. */
function ResetLinkRow({ personId, email }: { personId: string; email: string }) {
  const [message, setMessage] = useState<string | null>(null);
  const { busy, error, run } = useAsyncAction();
  return (
    <div className="reset-link-row">
      <Button
        size="sm"
        busy={busy}
        onClick={() => void run(async () => setMessage((await sendResetLink(personId)).message))}
      >
        Send a password reset link
      </Button>
      <StatusMessage>{message ?? error?.message ?? `The link goes to ${email}.`}</StatusMessage>
    </div>
  );
}
