import { useEffect } from 'react';
import { useLocation } from 'react-router-dom';

/** Starts each new page at the top, as a full page load would. */
export function ScrollToTop() {
  const { pathname } = useLocation();
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on navigation on purpose.
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [pathname]);
  return null;
}
