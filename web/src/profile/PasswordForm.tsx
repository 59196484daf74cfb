import { type FormEvent, useRef, useState } from 'react';
import { updateMe } from '../api/auth';
import { useAuth, useCurrentPerson } from '../auth/authContext';
import { ErrorAlert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { TextField } from '../ui/Field';
import { fieldError, formLevelError } from '../ui/formError';
import { StatusMessage } from '../ui/StatusMessage';
import { useAsyncAction } from '../ui/useAsyncAction';
import { useFocusOnFieldError } from '../ui/useFocusOnFieldError';

const FIELDS = ['currentPassword', 'newPassword'] as const;

export function PasswordForm() {
  const { setPerson } = useAuth();
  const person = useCurrentPerson();
  const username = person.email ?? person.username;
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [changed, setChanged] = useState(false);
  const { busy, error, setError, run } = useAsyncAction();
  const formRef = useRef<HTMLFormElement>(null);
  useFocusOnFieldError(formRef, error);

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setChanged(false);
    if (currentPassword === '') {
      setError({ message: 'Enter your current password.', field: 'currentPassword' });
      return;
    }
    if (newPassword === '') {
      setError({ message: 'Enter a new password.', field: 'newPassword' });
      return;
    }
    void run(async () => {
      setPerson(await updateMe({ currentPassword, newPassword }));
      setCurrentPassword('');
      setNewPassword('');
      setChanged(true);
    });
  }

  const formError = formLevelError(error, FIELDS);

  return (
    <form ref={formRef} className="form" onSubmit={handleSubmit} noValidate aria-labelledby="password-form-title">
      <h2 id="password-form-title" className="card-title">
        Change password
      </h2>
      {formError ? <ErrorAlert>{formError.message}</ErrorAlert> : null}
      {/* Lets password managers tie the new password to this account. */}
      <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
      <TextField
        label="Current password"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        required
        value={currentPassword}
        onChange={(e) => {
          setCurrentPassword(e.target.value);
          setChanged(false);
        }}
        error={fieldError(error, 'currentPassword')}
      />
      <TextField
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        hint="At least 8 characters."
        required
        value={newPassword}
        onChange={(e) => {
          setNewPassword(e.target.value);
          setChanged(false);
        }}
        error={fieldError(error, 'newPassword')}
      />
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={busy}>
          Change password
        </Button>
        <StatusMessage>{changed ? 'Password changed' : null}</StatusMessage>
      </div>
    </form>
  );
}
