import { type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import { getMe, signOut as signOutRequest } from '../api/auth';
import { isAbortError, setUnauthorizedListener } from '../api/client';
import type { Person } from '../api/types';
import { ErrorAlert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { toFormError } from '../ui/formError';
import { Loading } from '../ui/Spinner';
import { AuthContext, type AuthContextValue, type SignedOutReason } from './authContext';

type SessionState =
  | { status: 'loading' }
  | { status: 'failed'; message: string }
  | { status: 'ready'; person: Person | null; reason: SignedOutReason };

export function AuthProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is a deliberate retry trigger.
  useEffect(() => {
    const controller = new AbortController();
    setSession({ status: 'loading' });
    getMe(controller.signal).then(
      (person) => setSession({ status: 'ready', person, reason: 'initial' }),
      (error: unknown) => {
        if (isAbortError(error)) return;
        setSession({ status: 'failed', message: toFormError(error).message });
      },
    );
    return () => controller.abort();
  }, [attempt]);

  // Any API call that finds the session gone sends the person back to sign in.
  useEffect(() => {
    setUnauthorizedListener(() => {
      setSession((current) =>
        current.status === 'ready' && current.person ? { status: 'ready', person: null, reason: 'expired' } : current,
      );
    });
    return () => setUnauthorizedListener(null);
  }, []);

  const setPerson = useCallback((person: Person) => {
    setSession({ status: 'ready', person, reason: 'initial' });
  }, []);

  const signOut = useCallback(async () => {
    await signOutRequest();
    setSession({ status: 'ready', person: null, reason: 'signed-out' });
  }, []);

  const value = useMemo<AuthContextValue | null>(
    () =>
      session.status === 'ready'
        ? { person: session.person, signedOutReason: session.reason, setPerson, signOut }
        : null,
    [session, setPerson, signOut],
  );

  if (session.status === 'loading') {
    return (
      <div className="boot">
        <Loading label="Loading Convene…" />
      </div>
    );
  }
  if (session.status === 'failed' || !value) {
    return (
      <div className="boot">
        <div className="boot-card">
          <h1 className="boot-title">Convene isn’t responding</h1>
          <ErrorAlert>{session.status === 'failed' ? session.message : 'Something went wrong.'}</ErrorAlert>
          <Button variant="primary" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </Button>
        </div>
      </div>
    );
  }
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
