import { type FormEvent, useRef, useState } from 'react';
import { type Assisting, setAssistant } from '../api/mixers';
import { ErrorAlert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { TextField } from '../ui/Field';
import { fieldError, formLevelError } from '../ui/formError';
import { LoadError } from '../ui/LoadError';
import { Loading } from '../ui/Spinner';
import { StatusMessage } from '../ui/StatusMessage';
import { useAsyncAction } from '../ui/useAsyncAction';
import { useFocusOnFieldError } from '../ui/useFocusOnFieldError';
import type { Loaded } from '../ui/useLoad';
import { tidyFieldError } from './fieldErrors';

/** Naming (or removing) the assistant who may manage one's mixers. */
export function AssistantCard({ assisting }: { assisting: Loaded<Assisting> }) {
  const [username, setUsername] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const { busy, error: rawError, setError, run } = useAsyncAction();
  const error = tidyFieldError(rawError);
  const remove = useAsyncAction();
  const formRef = useRef<HTMLFormElement>(null);
  useFocusOnFieldError(formRef, error);
  const current = assisting.data?.assistant ?? null;

  function save(next: string | null) {
    return async () => {
      const assistant = await setAssistant(next);
      assisting.setData((data) => (data ? { ...data, assistant } : data));
      setUsername('');
      setSaved(assistant ? `${assistant.name || assistant.username} is now your assistant.` : 'Assistant removed.');
    };
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(null);
    remove.setError(null);
    const name = username.trim();
    if (name === '') {
      setError({ message: 'Enter your assistant’s username.', field: 'username' });
      return;
    }
    void run(save(name));
  }

  const formError = formLevelError(error, ['username']);

  return (
    <section className="card" aria-labelledby="assistant-title">
      <h2 id="assistant-title" className="card-title">
        Your assistant
      </h2>
      <p className="card-lede">
        Someone you trust to join, pause or skip mixers for you. They see your groups and matches, nothing else.
      </p>
      {assisting.error ? (
        <LoadError what="your assistant" message={assisting.error} onRetry={assisting.reload} />
      ) : null}
      {!assisting.data && assisting.loading ? <Loading label="Loading…" /> : null}
      {assisting.data ? (
        <>
          {current ? (
            <div className="assistant-current">
              <p>
                <span className="muted">Current assistant:</span> <strong>{current.name || current.username}</strong>{' '}
                <span className="muted">@{current.username}</span>
              </p>
              <Button
                size="sm"
                variant="danger"
                busy={remove.busy}
                disabled={busy}
                onClick={() => {
                  setSaved(null);
                  setError(null);
                  void remove.run(save(null));
                }}
              >
                Remove assistant
              </Button>
            </div>
          ) : (
            <p className="muted">You haven’t named an assistant.</p>
          )}
          {remove.error ? <ErrorAlert>Couldn’t remove your assistant: {remove.error.message}</ErrorAlert> : null}
          <form
            ref={formRef}
            className="assistant-form"
            onSubmit={handleSubmit}
            noValidate
            aria-label="Name your assistant"
          >
            {formError ? <ErrorAlert>{formError.message}</ErrorAlert> : null}
            <TextField
              label={current ? 'New assistant’s username' : 'Assistant’s username'}
              name="username"
              autoComplete="off"
              spellCheck={false}
              value={username}
              onChange={(e) => {
                setUsername(e.target.value);
                setSaved(null);
              }}
              error={fieldError(error, 'username')}
            />
            <div className="form-actions">
              <Button type="submit" variant="primary" busy={busy} disabled={remove.busy}>
                {current ? 'Change assistant' : 'Save assistant'}
              </Button>
              <StatusMessage>{saved}</StatusMessage>
            </div>
          </form>
        </>
      ) : null}
    </section>
  );
}
