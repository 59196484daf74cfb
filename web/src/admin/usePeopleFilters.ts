import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { PersonState, Role } from '../api/types';
import { pageFrom } from '../ui/Pagination';

export const PAGE_SIZE = 50;

export interface PeopleFilters {
  q: string;
  role: Role | '';
  state: PersonState | '';
  page: number;
}

function parseRole(value: string | null): Role | '' {
  return value === 'admin' || value === 'member' ? value : '';
}

function parseState(value: string | null): PersonState | '' {
  return value === 'enabled' || value === 'disabled' ? value : '';
}

/** People-table filters kept in the URL, so they survive reloads and work with Back/Forward. */
export function usePeopleFilters(): [PeopleFilters, (patch: Partial<Omit<PeopleFilters, 'page'>>) => void] {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const role = parseRole(params.get('role'));
  const state = parseState(params.get('state'));
  const page = pageFrom(params);
  const filters = useMemo(() => ({ q, role, state, page }), [q, role, state, page]);

  const update = useCallback(
    (patch: Partial<Omit<PeopleFilters, 'page'>>) => {
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          const apply = (key: string, value: string) => {
            if (value === '') next.delete(key);
            else next.set(key, value);
          };
          if (patch.q !== undefined) apply('q', patch.q);
          if (patch.role !== undefined) apply('role', patch.role);
          if (patch.state !== undefined) apply('state', patch.state);
          // The page is Pagination's; changing any filter starts again from the first page.
          next.delete('page');
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );

  return [filters, update];
}
