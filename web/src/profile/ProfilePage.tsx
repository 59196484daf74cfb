import { useState } from 'react';
import { sendVerificationLink } from '../api/accounts';
import { useCurrentPerson } from '../auth/authContext';
import { Button } from '../ui/Button';
import { StatusMessage } from '../ui/StatusMessage';
import { useAsyncAction } from '../ui/useAsyncAction';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { NotificationsSection } from './NotificationsSection';
import { PasswordForm } from './PasswordForm';
import { PhotoSection } from './PhotoSection';
import { ProfileForm } from './ProfileForm';
import { YourDataSection } from './YourDataSection';

export function ProfilePage() {
  useDocumentTitle('Profile');
  const person = useCurrentPerson();

  return (
    <>
      <header className="page-header">
        <h1>Profile</h1>
        <p className="page-lede">How you appear to colleagues, and how you sign in.</p>
      </header>
      <div className="stack">
        <section className="card" aria-labelledby="account-title">
          <h2 id="account-title" className="card-title">
            Account
          </h2>
          <dl className="details">
            <div>
              <dt>Email</dt>
              <dd>{person.email ?? <span className="muted">No email address on file</span>}</dd>
            </div>
            <div>
              <dt>Username</dt>
              <dd>{person.username}</dd>
            </div>
            <div>
              <dt>Role</dt>
              <dd>
                <span className={`badge badge-${person.role}`}>{person.role === 'admin' ? 'Admin' : 'Member'}</span>
              </dd>
            </div>
            {!person.verified ? (
              <div>
                <dt>Status</dt>
                <dd>
                  <span className="badge badge-warn">Unverified</span> <VerifyHint />
                </dd>
              </div>
            ) : null}
          </dl>
        </section>
        <section className="card">
          {/* Re-mount when the person changes so the form starts from saved values. */}
          <ProfileForm key={person.id} person={person} />
        </section>
        <PhotoSection />
        <NotificationsSection />
        <section className="card">
          <PasswordForm />
        </section>
        <YourDataSection />
      </div>
    </>
  );
}

/** What "Unverified" means and what to do: confirm by the e-mailed link, or ask for a new one. */
function VerifyHint() {
  const [message, setMessage] = useState<string | null>(null);
  const { busy, error, run } = useAsyncAction();
  return (
    <span className="verify-hint">
      Your e-mail address is not confirmed yet: open the link we e-mailed you.{' '}
      <Button
        size="sm"
        busy={busy}
        onClick={() => void run(async () => setMessage((await sendVerificationLink()).message))}
      >
        Send a new link
      </Button>
      <StatusMessage>{message ?? error?.message ?? null}</StatusMessage>
    </span>
  );
}
