import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link, Navigate, useLocation, useSearchParams } from 'react-router-dom';
import { getAuthOptions, signIn } from '../api/auth';
import { ErrorAlert, Notice } from '../ui/Alert';
import { Button } from '../ui/Button';
import { TextField } from '../ui/Field';
import { fieldError, formLevelError } from '../ui/formError';
import { useAsyncAction } from '../ui/useAsyncAction';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useFocusOnFieldError } from '../ui/useFocusOnFieldError';
import { useAuth } from './authContext';
import { safeNextPath, withNext } from './nextPath';
import type { SignInLocationState } from './RequireAuth';

const FIELDS = ['email', 'password'] as const;

function isSignInState(value: unknown): value is SignInLocationState {
  return typeof value === 'object' && value !== null;
}

export function SignInPage() {
  useDocumentTitle('Sign in');
  const { person, setPerson } = useAuth();
  const [params] = useSearchParams();
  const location = useLocation();
  const next = safeNextPath(params.get('next'));
  const sessionExpired = isSignInState(location.state) && location.state.sessionExpired === true;
  const accountDeleted = params.get('deleted') === '1';

  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [canReset, setCanReset] = useState(false);
  useEffect(() => {
    const controller = new AbortController();
    getAuthOptions(controller.signal).then(
      (options) => setCanReset(options.passwordReset),
      () => setCanReset(false),
    );
    return () => controller.abort();
  }, []);
  const { busy, error, setError, run } = useAsyncAction();
  const formRef = useRef<HTMLFormElement>(null);
  useFocusOnFieldError(formRef, error);

  if (person) return <Navigate to={next} replace />;

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (email.trim() === '') {
      setError({ message: 'Enter your email address or username.', field: 'email' });
      return;
    }
    if (password === '') {
      setError({ message: 'Enter your password.', field: 'password' });
      return;
    }
    void run(async () => {
      setPerson(await signIn({ email: email.trim(), password }));
    });
  }

  const formError = formLevelError(error, FIELDS);

  return (
    <div className="auth-card">
      <h1 className="auth-title">Sign in</h1>
      <p className="auth-lede">Welcome back. Sign in to see what’s happening in your organisation.</p>
      {sessionExpired && !error ? <Notice>Your session has ended. Please sign in again.</Notice> : null}
      {accountDeleted && !error ? <Notice>Your account has been deleted. Thank you for taking part.</Notice> : null}
      {formError ? <ErrorAlert>{formError.message}</ErrorAlert> : null}
      <form ref={formRef} className="form" onSubmit={handleSubmit} noValidate aria-label="Sign in">
        <TextField
          label="Email"
          name="email"
          type="text"
          autoComplete="username"
          inputMode="email"
          autoCapitalize="none"
          spellCheck={false}
          hint="Or your username, if your account has no email address."
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={fieldError(error, 'email')}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fieldError(error, 'password')}
        />
        <Button type="submit" variant="primary" busy={busy} className="btn-block">
          Sign in
        </Button>
      </form>
      {canReset ? (
        <p className="auth-switch">
          <Link to="/forgot-password">Forgot your password?</Link>
        </p>
      ) : null}
      <p className="auth-switch">
        New to Convene? <Link to={withNext('/signup', next)}>Create an account</Link>
      </p>
    </div>
  );
}
