import { useCallback, useEffect, useRef, useState } from 'react';
import { useParams, useSearchParams } from 'react-router-dom';
import { ApiError, api } from '../api/client';
import { ErrorAlert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { Loading } from '../ui/Spinner';
import { useDocumentTitle } from '../ui/useDocumentTitle';

type Answer = 'yes' | 'no';
const isAnswer = (value: string | null): value is Answer => value === 'yes' || value === 'no';

/**
 * Where a follow-up e-mail's one-click "Did you meet?" link lands. Opening the link records
 * nothing by itself (mail scanners open links too): this page, run by a browser, posts the answer
 * with the link's token, and then offers the other answer in case the click was a slip.
 */
export function AnswerPage() {
  useDocumentTitle('Did you meet?');
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const person = params.get('person') ?? '';
  const token = params.get('token') ?? '';
  const first = params.get('answer');
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // A link refused as invalid stays invalid: offering "Try again" would only fail again.
  const [dead, setDead] = useState(false);
  const sent = useRef(false);

  const send = useCallback(
    async (value: Answer) => {
      setBusy(true);
      setError(null);
      try {
        // Any API call hands out the CSRF cookie a signed-in browser's POST needs.
        await api.get('/api/v1/auth/options');
        await api.post(
          `/api/v1/meetings/${encodeURIComponent(id)}/feedback`,
          { person, token, answer: value },
          { expectUnauthorized: true },
        );
        setAnswer(value);
      } catch (caught) {
        setDead(caught instanceof ApiError && caught.status === 403);
        setError(
          caught instanceof ApiError && caught.status === 403
            ? 'This link does not work any more. Open the latest “Did you meet?” message and try again.'
            : caught instanceof Error
              ? caught.message
              : 'Something went wrong.',
        );
      } finally {
        setBusy(false);
      }
    },
    [id, person, token],
  );

  useEffect(() => {
    if (sent.current || !isAnswer(first) || !person || !token) return;
    sent.current = true;
    void send(first);
  }, [first, person, token, send]);

  if (!isAnswer(first) || !person || !token) {
    return (
      <section className="card answer-card">
        <h1 className="card-title">Did you meet?</h1>
        <ErrorAlert>This link is incomplete. Use the Yes or No link from your “Did you meet?” e-mail.</ErrorAlert>
      </section>
    );
  }
  if (!answer && !error) {
    return (
      <section className="card answer-card">
        <Loading label="Saving your answer…" />
      </section>
    );
  }
  const other: Answer = answer === 'yes' ? 'no' : 'yes';
  return (
    <section className="card answer-card" aria-live="polite">
      <h1 className="card-title">Did you meet?</h1>
      {error ? <ErrorAlert>{error}</ErrorAlert> : null}
      {answer ? (
        <>
          <p className="answer-thanks">
            Thanks — we noted <strong>{answer === 'yes' ? 'yes, you met' : 'no, you didn’t meet'}</strong>. You can
            change your answer.
          </p>
          <Button variant="secondary" busy={busy} onClick={() => void send(other)}>
            {other === 'yes' ? 'Actually, we met' : 'Actually, we didn’t meet'}
          </Button>
        </>
      ) : dead ? null : (
        <Button variant="primary" busy={busy} onClick={() => void send(first)}>
          Try again
        </Button>
      )}
    </section>
  );
}
