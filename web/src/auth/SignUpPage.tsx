import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link, Navigate, useSearchParams } from 'react-router-dom';
import { getAuthOptions, signUp } from '../api/auth';
import { isAbortError } from '../api/client';
import type { AuthOptions, SignUpInput } from '../api/types';
import { browserTimeZone } from '../profile/timezones';
import { ErrorAlert, Notice } from '../ui/Alert';
import { Button } from '../ui/Button';
import { TextField } from '../ui/Field';
import { type FormError, fieldError, formLevelError, toFormError } from '../ui/formError';
import { Loading } from '../ui/Spinner';
import { useAsyncAction } from '../ui/useAsyncAction';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useFocusOnFieldError } from '../ui/useFocusOnFieldError';
import { useAuth } from './authContext';
import { safeNextPath, withNext } from './nextPath';

type OptionsState =
  | { status: 'loading' }
  | { status: 'failed'; message: string }
  | { status: 'ready'; options: AuthOptions };

export function SignUpPage() {
  useDocumentTitle('Create account');
  const { person } = useAuth();
  const [params] = useSearchParams();
  const next = safeNextPath(params.get('next'));
  const [state, setState] = useState<OptionsState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is a deliberate retry trigger.
  useEffect(() => {
    const controller = new AbortController();
    setState({ status: 'loading' });
    getAuthOptions(controller.signal).then(
      (options) => setState({ status: 'ready', options }),
      (error: unknown) => {
        if (!isAbortError(error)) setState({ status: 'failed', message: toFormError(error).message });
      },
    );
    return () => controller.abort();
  }, [attempt]);

  if (person) return <Navigate to={next} replace />;

  return (
    <div className="auth-card">
      <h1 className="auth-title">Create your account</h1>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'failed' ? (
        <ErrorAlert
          action={
            <Button size="sm" onClick={() => setAttempt((n) => n + 1)}>
              Try again
            </Button>
          }
        >
          {state.message}
        </ErrorAlert>
      ) : null}
      {state.status === 'ready' && !canRegister(state.options) ? <RegistrationClosed /> : null}
      {state.status === 'ready' && canRegister(state.options) ? <SignUpForm options={state.options} /> : null}
      <p className="auth-switch">
        Already have an account? <Link to={withNext('/signin', next)}>Sign in</Link>
      </p>
    </div>
  );
}

/** Closed registration still lets in someone the SSO proxy vouches for. */
function canRegister(options: AuthOptions): boolean {
  return options.registration !== 'closed' || options.sso !== null;
}

function RegistrationClosed() {
  return (
    <div className="callout" data-testid="registration-closed">
      <h2 className="callout-title">Registration is closed</h2>
      <p>New accounts can’t be created right now. Ask an admin of your organisation’s Convene to let you in.</p>
    </div>
  );
}

const FIELDS = ['email', 'name', 'password', 'verificationCode'] as const;

function SignUpForm({ options }: { options: AuthOptions }) {
  const { setPerson } = useAuth();
  const sso = options.sso;
  // Someone vouched for by the SSO proxy needs neither a code nor a password.
  const needsCode = options.registration === 'code' && !sso;
  const [email, setEmail] = useState(sso?.email ?? '');
  const [name, setName] = useState(sso?.name ?? '');
  const [password, setPassword] = useState('');
  const [verificationCode, setVerificationCode] = useState('');
  const { busy, error, setError, run } = useAsyncAction();
  const formRef = useRef<HTMLFormElement>(null);
  useFocusOnFieldError(formRef, error);

  function validate(): FormError | null {
    if (email.trim() === '') return { message: 'Enter your email address.', field: 'email' };
    if (name.trim() === '') return { message: 'Enter your name.', field: 'name' };
    if (!sso && password === '') return { message: 'Choose a password.', field: 'password' };
    if (needsCode && verificationCode.trim() === '') {
      return { message: 'Enter the verification code your admin gave you.', field: 'verificationCode' };
    }
    return null;
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const problem = validate();
    if (problem) {
      setError(problem);
      return;
    }
    const input: SignUpInput = { email: email.trim(), name: name.trim(), timezone: browserTimeZone() };
    if (password !== '') input.password = password;
    if (needsCode) input.verificationCode = verificationCode.trim();
    void run(async () => {
      setPerson(await signUp(input));
    });
  }

  const formError = formLevelError(error, needsCode ? FIELDS : FIELDS.filter((f) => f !== 'verificationCode'));

  return (
    <>
      {sso ? (
        <Notice>
          You’re signed in through your organisation as <strong>{sso.username}</strong>. Finish setting up your Convene
          account below.
        </Notice>
      ) : (
        <p className="auth-lede">Join your colleagues for mixers, lightning talks, unconferences and meetings.</p>
      )}
      {formError ? <ErrorAlert>{formError.message}</ErrorAlert> : null}
      <form ref={formRef} className="form" onSubmit={handleSubmit} noValidate aria-label="Create account">
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
        <TextField
          label="Name"
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
          hint={
            sso
              ? 'Optional: you can already sign in through your organisation. At least 8 characters.'
              : 'At least 8 characters.'
          }
          required={!sso}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fieldError(error, 'password')}
        />
        {needsCode ? (
          <TextField
            label="Verification code"
            name="verificationCode"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            hint="Your organisation’s admins can give you this code."
            required
            value={verificationCode}
            onChange={(e) => setVerificationCode(e.target.value)}
            error={fieldError(error, 'verificationCode')}
          />
        ) : null}
        <Button type="submit" variant="primary" busy={busy} className="btn-block">
          Create account
        </Button>
      </form>
    </>
  );
}
