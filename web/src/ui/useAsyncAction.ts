import { useCallback, useRef, useState } from 'react';
import { type FormError, toFormError } from './formError';

export interface AsyncAction {
  busy: boolean;
  error: FormError | null;
  setError: (error: FormError | null) => void;
  /** Runs `task`, tracking busy state and turning a thrown error into `error`. Returns true on success. */
  run: (task: () => Promise<void>) => Promise<boolean>;
}

export function useAsyncAction(): AsyncAction {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FormError | null>(null);
  const inFlight = useRef(false);

  const run = useCallback(async (task: () => Promise<void>) => {
    if (inFlight.current) return false;
    inFlight.current = true;
    setBusy(true);
    setError(null);
    try {
      await task();
      return true;
    } catch (caught) {
      setError(toFormError(caught));
      return false;
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  }, []);

  return { busy, error, setError, run };
}
