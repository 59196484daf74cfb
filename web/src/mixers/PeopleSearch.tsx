import { useEffect, useState } from 'react';
import { isAbortError } from '../api/client';
import { searchPeople } from '../api/mixers';
import type { AdminPerson } from '../api/types';
import { toFormError } from '../ui/formError';

const SEARCH_DELAY_MS = 250;

/**
 * Directory search as the query is typed: waits for a pause in typing, and drops the answer to a
 * query that has since changed. `results` is null until a query of `minLength` characters is given.
 */
export function usePeopleSearch(q: string, minLength = 1) {
  const [results, setResults] = useState<AdminPerson[] | null>(null);
  const [searching, setSearching] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const text = q.trim();
    if (text.length < Math.max(minLength, 1)) {
      setResults(null);
      setError(null);
      return;
    }
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      setSearching(true);
      setError(null);
      searchPeople(text, controller.signal).then(
        (page) => {
          setResults(page.people);
          setSearching(false);
        },
        (failure: unknown) => {
          if (isAbortError(failure)) return;
          setError(toFormError(failure).message);
          setSearching(false);
        },
      );
    }, SEARCH_DELAY_MS);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [q, minLength]);

  return { results, searching, error };
}

/** A found person as a search result shows them: name, username and team. */
export function PersonResultText({ person }: { person: AdminPerson }) {
  return (
    <span className="person-result-text">
      <span className="person-result-name">{person.name || person.username}</span>
      <span className="muted">
        @{person.username}
        {person.team ? ` · ${person.team}` : ''}
      </span>
    </span>
  );
}
