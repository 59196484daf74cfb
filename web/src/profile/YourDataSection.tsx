import { deleteMyAccount, MY_EXPORT_URL } from '../api/accountData';
import { useCurrentPerson } from '../auth/authContext';
import { DeleteAccountForm } from './DeleteAccountForm';

/** "Your data": download everything Convene holds about you, or delete your account. */
export function YourDataSection() {
  const person = useCurrentPerson();
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
      <DeleteAccountForm
        username={person.username}
        title="Delete my account"
        hint="Your username, as shown under Account."
        submitLabel="Delete my account"
        onDelete={async (confirm) => {
          await deleteMyAccount(confirm);
          // The server ended every session and cleared the cookie: a fresh load starts signed out, and
          // says why (a sign-out here would race the redirect to the plain sign-in page).
          window.location.replace('/signin?deleted=1');
        }}
      >
        Your name, e-mail address, username, photo, team and title are removed and you are signed out everywhere. Past
        meetings, votes and unconference interest stay, shown as “Deleted person”, so the counts others see stay true.
        This cannot be undone.
      </DeleteAccountForm>
    </section>
  );
}
