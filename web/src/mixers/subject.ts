import { useCallback } from 'react';
import { useSearchParams } from 'react-router-dom';

/** The search parameter naming whose mixers an assistant is managing. */
export const FOR_PARAM = 'for';

/**
 * Whose mixers the page shows: undefined for one's own, or the id of someone who named the
 * signed-in person their assistant (kept in the URL so reloads and links keep it).
 */
export function useManagedPersonId(): [string | undefined, (personId: string | undefined) => void] {
  const [params, setParams] = useSearchParams();
  const personId = params.get(FOR_PARAM) || undefined;
  const setPersonId = useCallback(
    (next: string | undefined) => {
      setParams(
        (current) => {
          const updated = new URLSearchParams(current);
          if (next) updated.set(FOR_PARAM, next);
          else updated.delete(FOR_PARAM);
          return updated;
        },
        { replace: true },
      );
    },
    [setParams],
  );
  return [personId, setPersonId];
}

/** A link to a member page that keeps whom the assistant is managing. */
export function withManaged(path: string, personId: string | undefined): string {
  return personId ? `${path}?${FOR_PARAM}=${encodeURIComponent(personId)}` : path;
}
