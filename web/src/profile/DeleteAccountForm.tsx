import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { ErrorAlert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { TextField } from '../ui/Field';
import { fieldError } from '../ui/formError';
import { useAsyncAction } from '../ui/useAsyncAction';

/**
 * Deleting an account, one's own or (for an admin) someone else's: the button stays off until the
 * username is typed, and the server checks the typed text again.
 */
export function DeleteAccountForm({
  username,
  title,
  label,
  hint,
  submitLabel,
  actionsClassName = 'form-actions',
  extraActions,
  onDelete,
  children,
}: {
  username: string;
  title: string;
  /** The form's accessible name when it is not the title. */
  label?: string;
  hint: string;
  submitLabel: string;
  actionsClassName?: string;
  /** Buttons before the delete button (a dialog's Close). */
  extraActions?: ReactNode;
  /** Deletes with the typed confirmation; throws on refusal. */
  onDelete: (confirm: string) => Promise<void>;
  /** What deleting removes and what it keeps. */
  children: ReactNode;
}) {
  const titleId = useId();
  const [confirm, setConfirm] = useState('');
  const { busy, error, run } = useAsyncAction();
  const typed = confirm.trim().toLowerCase() === username;

  function handleDelete(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void run(() => onDelete(confirm));
  }

  return (
    <form
      className="form danger-zone"
      onSubmit={handleDelete}
      noValidate
      aria-label={label}
      aria-labelledby={label ? undefined : titleId}
    >
      <h3 id={titleId} className="card-subtitle">
        {title}
      </h3>
      <p>{children}</p>
      {error && error.field !== 'confirm' ? <ErrorAlert>{error.message}</ErrorAlert> : null}
      <TextField
        label={`Type ${username} to confirm`}
        hint={hint}
        name="confirm"
        autoComplete="off"
        spellCheck={false}
        value={confirm}
        onChange={(e) => setConfirm(e.target.value)}
        error={fieldError(error, 'confirm')}
      />
      <div className={actionsClassName}>
        {extraActions}
        <Button type="submit" variant="danger" busy={busy} disabled={!typed}>
          {submitLabel}
        </Button>
      </div>
    </form>
  );
}
