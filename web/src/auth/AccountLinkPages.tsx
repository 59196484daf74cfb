/** The pages an account e-mail's link opens: accept an invitation, choose a new password, confirm an address. */
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import {
  acceptInvitation,
  checkResetLink,
  forgotPassword,
  lookupInvitation,
  resetPassword,
  tokenFromLocation,
  verifyEmail,
} from '../api/accounts';
import { browserTimeZone } from '../profile/timezones';
import { ErrorAlert, Notice } from '../ui/Alert';
import { Button } from '../ui/Button';
import { TextField } from '../ui/Field';
import { fieldError, formLevelError, toFormError } from '../ui/formError';
import { Loading } from '../ui/Spinner';
import { useAsyncAction } from '../ui/useAsyncAction';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useFocusOnFieldError } from '../ui/useFocusOnFieldError';
import { useAuth } from './authContext';

type LinkState<T> = { status: 'checking' } | { status: 'refused'; message: string } | { status: 'ok'; value: T };

/** Checks the link's token once; a refused link (expired, used, tampered) is a clear page, not a form. */
function useLinkCheck<T>(check: (token: string) => Promise<T>): { token: string; state: LinkState<T> } {
  const [token] = useState(tokenFromLocation);
  const [state, setState] = useState<LinkState<T>>({ status: 'checking' });
  const checkRef = useRef(check);
  useEffect(() => {
    if (!token) {
      setState({ status: 'refused', message: 'This link is incomplete. Open it again from the e-mail, whole.' });
      return;
    }
    checkRef.current(token).then(
      (value) => setState({ status: 'ok', value }),
      (error: unknown) => setState({ status: 'refused', message: toFormError(error).message }),
    );
  }, [token]);
  return { token, state };
}

function Refused({ title, message, children }: { title: string; message: string; children?: React.ReactNode }) {
  return (
    <div className="callout" data-testid="link-refused">
      <h2 className="callout-title">{title}</h2>
      {/* The API names the field ("token: …"); the page speaks of the link itself. */}
      <p>{message.replace(/^token: /, '')}</p>
      {children}
    </div>
  );
}

export function InvitePage() {
  useDocumentTitle('Accept invitation');
  const { setPerson } = useAuth();
  const navigate = useNavigate();
  const { token, state } = useLinkCheck(lookupInvitation);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, setError, run } = useAsyncAction();
  const formRef = useRef<HTMLFormElement>(null);
  useFocusOnFieldError(formRef, error);

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (name.trim() === '') return setError({ message: 'Enter your name.', field: 'name' });
    if (password === '') return setError({ message: 'Choose a password.', field: 'password' });
    void run(async () => {
      setPerson(await acceptInvitation({ token, name: name.trim(), password, timezone: browserTimeZone() }));
      navigate('/', { replace: true });
    });
  }
  const formError = formLevelError(error, ['name', 'password']);

  return (
    <div className="auth-card">
      <h1 className="auth-title">Join Convene</h1>
      {state.status === 'checking' ? <Loading /> : null}
      {state.status === 'refused' ? (
        <Refused title="This invitation cannot be used" message={state.message}>
          <p>
            <Link to="/signin">Sign in</Link> if you already have an account.
          </p>
        </Refused>
      ) : null}
      {state.status === 'ok' ? (
        <>
          <p className="auth-lede">
            You were invited as <strong data-testid="invited-email">{state.value.email}</strong>. Your address is
            already confirmed: choose your name and a password.
          </p>
          {formError ? <ErrorAlert>{formError.message}</ErrorAlert> : null}
          <form ref={formRef} className="form" onSubmit={handleSubmit} noValidate aria-label="Accept invitation">
            <TextField
              label="Your name"
              name="name"
              autoComplete="name"
              required
              value={name}
              onChange={(e) => setName(e.target.value)}
              error={fieldError(error, 'name')}
            />
            <TextField
              label="Password"
              name="password"
              type="password"
              autoComplete="new-password"
              hint="At least 8 characters, not a common password, not your name."
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              error={fieldError(error, 'password')}
            />
            <Button type="submit" variant="primary" busy={busy} className="btn-block">
              Create my account
            </Button>
          </form>
        </>
      ) : null}
    </div>
  );
}

export function ForgotPasswordPage() {
  useDocumentTitle('Forgot password');
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState<string | null>(null);
  const { busy, error, setError, run } = useAsyncAction();
  const formRef = useRef<HTMLFormElement>(null);
  useFocusOnFieldError(formRef, error);

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (email.trim() === '') return setError({ message: 'Enter your email address.', field: 'email' });
    void run(async () => {
      setSent((await forgotPassword(email.trim())).message);
    });
  }
  const formError = formLevelError(error, ['email']);

  return (
    <div className="auth-card">
      <h1 className="auth-title">Forgot your password?</h1>
      {sent ? (
        <Notice>
          <span data-testid="forgot-sent">{sent}</span>
        </Notice>
      ) : (
        <>
          <p className="auth-lede">
            Enter the email address of your account and we’ll send you a link to choose a new one.
          </p>
          {formError ? <ErrorAlert>{formError.message}</ErrorAlert> : null}
          <form ref={formRef} className="form" onSubmit={handleSubmit} noValidate aria-label="Forgot password">
            <TextField
              label="Email"
              name="email"
              type="email"
              autoComplete="email"
              inputMode="email"
              autoCapitalize="none"
              spellCheck={false}
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              error={fieldError(error, 'email')}
            />
            <Button type="submit" variant="primary" busy={busy} className="btn-block">
              Send me a link
            </Button>
          </form>
        </>
      )}
      <p className="auth-switch">
        Remembered it? <Link to="/signin">Sign in</Link>
      </p>
    </div>
  );
}

export function ResetPasswordPage() {
  useDocumentTitle('Choose a new password');
  const { person, signOut } = useAuth();
  const { token, state } = useLinkCheck(checkResetLink);
  const [password, setPassword] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const { busy, error, setError, run } = useAsyncAction();
  const formRef = useRef<HTMLFormElement>(null);
  useFocusOnFieldError(formRef, error);

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (password === '') return setError({ message: 'Choose a new password.', field: 'password' });
    void run(async () => {
      const { message } = await resetPassword(token, password);
      // Every session of the account ended, this browser's too.
      if (person) await signOut().catch(() => undefined);
      setDone(message);
    });
  }
  const formError = formLevelError(error, ['password']);

  return (
    <div className="auth-card">
      <h1 className="auth-title">Choose a new password</h1>
      {state.status === 'checking' ? <Loading /> : null}
      {state.status === 'refused' ? (
        <Refused title="This link cannot be used" message={state.message}>
          <p>
            <Link to="/forgot-password">Send a new link</Link>
          </p>
        </Refused>
      ) : null}
      {state.status === 'ok' && done ? (
        <Notice>
          <span data-testid="reset-done">{done}</span> <Link to="/signin">Sign in</Link>
        </Notice>
      ) : null}
      {state.status === 'ok' && !done ? (
        <>
          <p className="auth-lede">Choosing a new password signs your account out on every device.</p>
          {formError ? <ErrorAlert>{formError.message}</ErrorAlert> : null}
          <form ref={formRef} className="form" onSubmit={handleSubmit} noValidate aria-label="Choose a new password">
            <TextField
              label="New password"
              name="password"
              type="password"
              autoComplete="new-password"
              hint="At least 8 characters, not a common password, not your name."
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              error={fieldError(error, 'password')}
            />
            <Button type="submit" variant="primary" busy={busy} className="btn-block">
              Save the new password
            </Button>
          </form>
        </>
      ) : null}
    </div>
  );
}

export function VerifyEmailPage() {
  useDocumentTitle('Confirm your address');
  const { person, setPerson } = useAuth();
  const { state } = useLinkCheck(verifyEmail);
  useEffect(() => {
    if (state.status === 'ok' && person) setPerson(state.value);
  }, [state, person, setPerson]);
  return (
    <div className="auth-card">
      <h1 className="auth-title">Confirm your address</h1>
      {state.status === 'checking' ? <Loading /> : null}
      {state.status === 'refused' ? (
        <Refused title="This link cannot be used" message={state.message}>
          <p>
            <Link to="/profile">Go to your profile</Link> to ask for a new link.
          </p>
        </Refused>
      ) : null}
      {state.status === 'ok' ? (
        <Notice>
          <span data-testid="verified">Thank you: {state.value.email} is confirmed.</span>{' '}
          <Link to="/">Continue to Convene</Link>
        </Notice>
      ) : null}
    </div>
  );
}
