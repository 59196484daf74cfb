import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { deletePersonAccount, personExportUrl } from '../api/accountData';
import type { AdminPerson } from '../api/types';
import { ErrorAlert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { TextField } from '../ui/Field';
import { fieldError } from '../ui/formError';
import { useAsyncAction } from '../ui/useAsyncAction';
import { displayName } from './personActions';

interface PersonDataDialogProps {
  person: AdminPerson | null;
  onClose: () => void;
  /** After a deletion: the list reloads and says what happened. */
  onDeleted: (message: string) => void;
}

/** A person's data, for an admin: download everything held about them, or delete their account (typed confirmation). */
export function PersonDataDialog({ person, onClose, onDeleted }: PersonDataDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [confirm, setConfirm] = useState('');
  const { busy, error, setError, run } = useAsyncAction();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (person && !dialog.open) {
      setConfirm('');
      setError(null);
      dialog.showModal();
    }
    if (!person && dialog.open) dialog.close();
  }, [person, setError]);

  const name = person ? displayName(person) : '';
  const typed = !!person && confirm.trim().toLowerCase() === person.username;

  function handleDelete(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!person) return;
    void run(async () => {
      await deletePersonAccount(person.id, confirm);
      onDeleted(`${name}’s account has been deleted; their history is kept anonymously.`);
    });
  }

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId} className="dialog-title">
        {name}’s data
      </h2>
      {person ? (
        <div className="dialog-body">
          <p>Everything Convene holds about {name}, as a JSON file. The download is recorded in the audit log.</p>
          <p>
            <a className="btn btn-secondary" href={personExportUrl(person.id)} download>
              <span className="btn-label">Download {name}’s data</span>
            </a>
          </p>
          <form className="form danger-zone" onSubmit={handleDelete} noValidate aria-label={`Delete ${name}’s account`}>
            <h3 className="card-subtitle">Delete account</h3>
            <p>
              Their name, e-mail address, username, photo, team and title are removed and they are signed out. Past
              meetings and votes stay, shown as “Deleted person”. This cannot be undone.
            </p>
            {error && error.field !== 'confirm' ? <ErrorAlert>{error.message}</ErrorAlert> : null}
            <TextField
              label={`Type ${person.username} to confirm`}
              hint="Their username."
              name="confirm"
              autoComplete="off"
              spellCheck={false}
              value={confirm}
              onChange={(e) => setConfirm(e.target.value)}
              error={fieldError(error, 'confirm')}
            />
            <div className="dialog-actions">
              <Button onClick={onClose}>Close</Button>
              <Button type="submit" variant="danger" busy={busy} disabled={!typed}>
                Delete account
              </Button>
            </div>
          </form>
        </div>
      ) : null}
    </dialog>
  );
}
