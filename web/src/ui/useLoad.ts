import { useCallback, useEffect, useRef, useState } from 'react';
import { isAbortError } from '../api/client';
import { toFormError } from './formError';

export interface Loaded<T> {
  /** The last data loaded; kept while a reload is under way so the page doesn't flash. */
  data: T | undefined;
  loading: boolean;
  error: string | null;
  reload: () => void;
  setData: (update: (current: T | undefined) => T | undefined) => void;
}

/**
 * Loads `load()` whenever `key` changes (and on `reload()`), aborting the previous request.
 * `key` names everything the request depends on, e.g. the group id and whose mixers.
 */
export function useLoad<T>(key: string, load: (signal: AbortSignal) => Promise<T>): Loaded<T> {
  const [data, setDataState] = useState<T | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const loadedKey = useRef<string | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` and `attempt` are the deliberate triggers.
  useEffect(() => {
    const controller = new AbortController();
    // Data for another key is not shown while the new one loads.
    if (loadedKey.current !== key) setDataState(undefined);
    setLoading(true);
    setError(null);
    loadRef.current(controller.signal).then(
      (value) => {
        loadedKey.current = key;
        setDataState(value);
        setLoading(false);
      },
      (caught: unknown) => {
        if (isAbortError(caught)) return;
        setError(toFormError(caught).message);
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [key, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const setData = useCallback((update: (current: T | undefined) => T | undefined) => setDataState(update), []);
  return { data, loading, error, reload, setData };
}
