import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { getAdminSettings, updateAdminSettings } from '../api/admin';
import { isAbortError } from '../api/client';
import type { AdminSettings, RegistrationPolicy } from '../api/types';
import { ErrorAlert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { TextField } from '../ui/Field';
import { fieldError, fieldMessage, formLevelError, toFormError } from '../ui/formError';
import { Loading } from '../ui/Spinner';
import { StatusMessage } from '../ui/StatusMessage';
import { useAsyncAction } from '../ui/useAsyncAction';
import { useFocusOnFieldError } from '../ui/useFocusOnFieldError';
import { generateVerificationCode } from './verificationCode';

type LoadState =
  | { status: 'loading' }
  | { status: 'failed'; message: string }
  | { status: 'ready'; settings: AdminSettings };

export function SettingsPanel() {
  const [state, setState] = useState<LoadState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is a deliberate retry trigger.
  useEffect(() => {
    const controller = new AbortController();
    setState({ status: 'loading' });
    getAdminSettings(controller.signal).then(
      (settings) => setState({ status: 'ready', settings }),
      (error: unknown) => {
        if (!isAbortError(error)) setState({ status: 'failed', message: toFormError(error).message });
      },
    );
    return () => controller.abort();
  }, [attempt]);

  return (
    <section className="card" aria-labelledby="settings-title">
      <h2 id="settings-title" className="card-title">
        Sign-up settings
      </h2>
      {state.status === 'loading' ? <Loading label="Loading settings…" /> : null}
      {state.status === 'failed' ? (
        <ErrorAlert
          action={
            <Button size="sm" onClick={() => setAttempt((n) => n + 1)}>
              Try again
            </Button>
          }
        >
          Couldn’t load settings: {state.message}
        </ErrorAlert>
      ) : null}
      {state.status === 'ready' ? <SettingsForm initial={state.settings} /> : null}
    </section>
  );
}

const POLICIES: ReadonlyArray<{ value: RegistrationPolicy; label: string; description: string }> = [
  { value: 'open', label: 'Open', description: 'Anyone who can reach Convene can create an account.' },
  {
    value: 'code',
    label: 'Requires verification code',
    description: 'People need the code below to create an account.',
  },
  { value: 'closed', label: 'Closed', description: 'Nobody can create an account on their own.' },
];

const FIELDS = ['registration', 'verificationCode'] as const;

function SettingsForm({ initial }: { initial: AdminSettings }) {
  const [saved, setSaved] = useState<AdminSettings>(initial);
  const [registration, setRegistration] = useState<RegistrationPolicy>(initial.registration);
  const [onlyVerified, setOnlyVerified] = useState(initial.onlyVerifiedTakePart);
  const [verificationCode, setVerificationCode] = useState(initial.verificationCode);
  const [justSaved, setJustSaved] = useState(false);
  const { busy, error, setError, run } = useAsyncAction();
  const formRef = useRef<HTMLFormElement>(null);
  useFocusOnFieldError(formRef, error);
  const baseId = useId();

  function edit<T>(setter: (value: T) => void) {
    return (value: T) => {
      setter(value);
      setJustSaved(false);
    };
  }
  const changeRegistration = edit(setRegistration);
  const changeCode = edit(setVerificationCode);

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setJustSaved(false);
    const code = verificationCode.trim();
    if (registration === 'code' && code === '') {
      setError({
        message: 'Enter a verification code, or choose another registration policy.',
        field: 'verificationCode',
      });
      return;
    }
    const update: Partial<AdminSettings> = { registration, onlyVerifiedTakePart: onlyVerified };
    if (code !== saved.verificationCode) update.verificationCode = code;
    void run(async () => {
      const next = await updateAdminSettings(update);
      setSaved(next);
      setRegistration(next.registration);
      setOnlyVerified(next.onlyVerifiedTakePart);
      setVerificationCode(next.verificationCode);
      setJustSaved(true);
    });
  }

  const formError = formLevelError(error, FIELDS);
  const registrationError = fieldError(error, 'registration');

  return (
    <form ref={formRef} className="form" onSubmit={handleSubmit} noValidate aria-label="Sign-up settings">
      {formError ? <ErrorAlert>{formError.message}</ErrorAlert> : null}
      <fieldset
        className={registrationError ? 'fieldset has-error' : 'fieldset'}
        aria-describedby={registrationError ? `${baseId}-registration-error` : undefined}
      >
        <legend className="field-label">Registration</legend>
        <div className="radio-group">
          {POLICIES.map((policy) => {
            const id = `${baseId}-${policy.value}`;
            return (
              <div key={policy.value} className="radio">
                <input
                  type="radio"
                  id={id}
                  name="registration"
                  value={policy.value}
                  checked={registration === policy.value}
                  onChange={() => changeRegistration(policy.value)}
                  aria-describedby={`${id}-description`}
                />
                <label htmlFor={id}>{policy.label}</label>
                <p className="radio-description" id={`${id}-description`}>
                  {policy.description}
                </p>
              </div>
            );
          })}
        </div>
        {registrationError ? (
          <p className="field-error" id={`${baseId}-registration-error`} role="alert">
            {fieldMessage(registrationError.message, 'registration', 'Registration')}
          </p>
        ) : null}
      </fieldset>
      <div className="code-row">
        <TextField
          label="Verification code"
          name="verificationCode"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          className="input-code"
          hint={
            saved.verificationCodeWeak && verificationCode === saved.verificationCode
              ? 'This code is easy to guess: generate a new one and save it.'
              : registration === 'code'
                ? 'Share this code with the people you want to let in.'
                : 'Only needed when registration requires a verification code.'
          }
          value={verificationCode}
          onChange={(e) => changeCode(e.target.value)}
          error={fieldError(error, 'verificationCode')}
        />
        <Button size="sm" className="code-generate" onClick={() => changeCode(generateVerificationCode())}>
          Generate new code
        </Button>
      </div>
      <div className="field">
        <label className="checkbox">
          <input
            type="checkbox"
            name="onlyVerifiedTakePart"
            checked={onlyVerified}
            onChange={(e) => {
              setOnlyVerified(e.target.checked);
              setJustSaved(false);
            }}
          />{' '}
          Only verified members can join groups and propose
        </label>
        <p className="field-hint">
          {saved.emailConfigured
            ? 'Members who signed up on their own confirm their address by the link e-mailed to them; you can also Verify them below.'
            : 'E-mail is not configured, so members cannot confirm their address themselves: Verify them below.'}
        </p>
      </div>
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={busy}>
          Save settings
        </Button>
        <StatusMessage>{justSaved ? 'Saved' : null}</StatusMessage>
      </div>
    </form>
  );
}
