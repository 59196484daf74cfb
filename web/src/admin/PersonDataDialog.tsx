import { useEffect, useId, useRef } from 'react';
import { deletePersonAccount, personExportUrl } from '../api/accountData';
import type { AdminPerson } from '../api/types';
import { DeleteAccountForm } from '../profile/DeleteAccountForm';
import { Button } from '../ui/Button';
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

  // The body is rendered only while a person is shown, so each opening starts with an empty form.
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (person && !dialog.open) dialog.showModal();
    if (!person && dialog.open) dialog.close();
  }, [person]);

  const name = person ? displayName(person) : '';

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
        <div className="dialog-body" key={person.id}>
          <p>Everything Convene holds about {name}, as a JSON file. The download is recorded in the audit log.</p>
          <p>
            <a className="btn btn-secondary" href={personExportUrl(person.id)} download>
              <span className="btn-label">Download {name}’s data</span>
            </a>
          </p>
          <DeleteAccountForm
            username={person.username}
            title="Delete account"
            label={`Delete ${name}’s account`}
            hint="Their username."
            submitLabel="Delete account"
            actionsClassName="dialog-actions"
            extraActions={<Button onClick={onClose}>Close</Button>}
            onDelete={async (confirm) => {
              await deletePersonAccount(person.id, confirm);
              onDeleted(`${name}’s account has been deleted; their history is kept anonymously.`);
            }}
          >
            Their name, e-mail address, username, photo, team and title are removed and they are signed out. Past
            meetings and votes stay, shown as “Deleted person”. This cannot be undone.
          </DeleteAccountForm>
        </div>
      ) : null}
    </dialog>
  );
}
