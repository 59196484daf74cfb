import { type FormEvent, useState } from 'react';
import { deleteMyAccount, MY_EXPORT_URL } from '../api/accountData';
import { useCurrentPerson } from '../auth/authContext';
import { ErrorAlert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { TextField } from '../ui/Field';
import { fieldError } from '../ui/formError';
import { useAsyncAction } from '../ui/useAsyncAction';

/** "Your data": download everything Convene holds about you, or delete your account. */
export function YourDataSection() {
  const person = useCurrentPerson();
  const [confirm, setConfirm] = useState('');
  const { busy, error, run } = useAsyncAction();
  const typed = confirm.trim().toLowerCase() === person.username;

  function handleDelete(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void run(async () => {
      await deleteMyAccount(confirm);
      // The server ended every session and cleared the cookie: a fresh load starts signed out, and
      // says why (a sign-out here would race the redirect to the plain sign-in page).
      window.location.replace('/signin?deleted=1');
    });
  }

  return (
    <section className="card" aria-labelledby="your-data-title">
      <h2 id="your-data-title" className="card-title">
        Your data
      </h2>
      <p>
        Download everything Convene holds about you as a JSON file: your profile, groups, meetings, talk proposals and
        votes, unconference sessions and interest, notification settings and the audit entries about you.
      </p>
      <div className="form-actions">
        <a className="btn btn-secondary" href={MY_EXPORT_URL} download>
          <span className="btn-label">Download my data</span>
        </a>
      </div>
      <form className="form danger-zone" onSubmit={handleDelete} noValidate aria-labelledby="delete-account-title">
        <h3 id="delete-account-title" className="card-subtitle">
          Delete my account
        </h3>
        <p>
          Your name, e-mail address, username, photo, team and title are removed and you are signed out everywhere. Past
          meetings, votes and unconference interest stay, shown as “Deleted person”, so the counts others see stay true.
          This cannot be undone.
        </p>
        {error && error.field !== 'confirm' ? <ErrorAlert>{error.message}</ErrorAlert> : null}
        <TextField
          label={`Type ${person.username} to confirm`}
          hint="Your username, as shown under Account."
          name="confirm"
          autoComplete="off"
          spellCheck={false}
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
          error={fieldError(error, 'confirm')}
        />
        <div className="form-actions">
          <Button type="submit" variant="danger" busy={busy} disabled={!typed}>
            Delete my account
          </Button>
        </div>
      </form>
    </section>
  );
}
