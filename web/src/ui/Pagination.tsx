import type { ReactNode } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Button } from './Button';

/**
 * The page a list shows, from the address (`?page=`), so that a reload, Back and a shared link keep
 * it. Anything but a whole number above 0 is page 1 rather than a request the API would refuse.
 */
export function pageFrom(params: URLSearchParams): number {
  const page = Number(params.get('page'));
  return Number.isSafeInteger(page) && page > 0 ? page : 1;
}

/**
 * How far the list goes: counted (`total` rows, `pageSize` a page), or, for a log too large to count
 * cheaply on every view, only whether another page follows this one (`hasMore`).
 */
type Extent =
  | { total: number; pageSize: number; hasMore?: never }
  | { hasMore: boolean; total?: never; pageSize?: never };

type PaginationProps = Extent & {
  /** The page shown (from `pageFrom`). */
  page: number;
  /** How many rows this page shows. */
  shown: number;
  /** What to say when the list has nothing at all (shown on page 1; later pages are past its end). */
  empty: ReactNode;
};

/**
 * Below every paged list (the admin console's, My meetings): "Previous · Page N of M · Next"
 * ("Page N" when the list is not counted), kept in the address. A page with no rows is the list's
 * empty state on page 1, and past its end on any later page (an old link, a reload after rows went
 * away), with the way back.
 */
export function Pagination({ page, shown, empty, ...extent }: PaginationProps) {
  const [, setParams] = useSearchParams();
  const go = (to: number, replace = false) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (to > 1) next.set('page', String(to));
        else next.delete('page');
        return next;
      },
      // Each page turned is a step Back returns to; correcting an address past the end is not.
      { replace },
    );
  const pages = extent.total === undefined ? null : Math.max(1, Math.ceil(extent.total / extent.pageSize));

  if (shown === 0) {
    if (page <= 1) return <>{empty}</>;
    const target = pages ?? 1;
    const end =
      pages === null
        ? 'the list ends before it'
        : extent.total
          ? `the list ends on page ${pages}`
          : 'the list is empty';
    return (
      <div className="empty-inline">
        <p>
          There is nothing on page {page}: {end}.
        </p>
        <Button size="sm" onClick={() => go(target, true)}>
          Go to page {target}
        </Button>
      </div>
    );
  }

  const hasNext = pages === null ? Boolean(extent.hasMore) : page < pages;
  if (page <= 1 && !hasNext) return null;
  return (
    <nav className="pagination" aria-label="Pagination">
      <Button size="sm" disabled={page <= 1} onClick={() => go(page - 1)}>
        Previous
      </Button>
      <span className="pagination-status">
        Page {page}
        {pages === null ? null : ` of ${pages}`}
      </span>
      <Button size="sm" disabled={!hasNext} onClick={() => go(page + 1)}>
        Next
      </Button>
    </nav>
  );
}
