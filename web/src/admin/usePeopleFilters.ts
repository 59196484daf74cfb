import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { PersonState, Role } from '../api/types';

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

function parsePage(value: string | null): number {
  const page = Number.parseInt(value ?? '', 10);
  return Number.isFinite(page) && page > 0 ? page : 1;
}

/** People-table filters kept in the URL, so they survive reloads and work with Back/Forward. */
export function usePeopleFilters(): [PeopleFilters, (patch: Partial<PeopleFilters>) => void] {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const role = parseRole(params.get('role'));
  const state = parseState(params.get('state'));
  const page = parsePage(params.get('page'));
  const filters = useMemo(() => ({ q, role, state, page }), [q, role, state, page]);

  const update = useCallback(
    (patch: Partial<PeopleFilters>) => {
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
          // Changing any filter starts again from the first page.
          const page = patch.page ?? 1;
          apply('page', page > 1 ? String(page) : '');
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );

  return [filters, update];
}
