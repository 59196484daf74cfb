import type { ReactNode } from 'react';
import { Link, Outlet, useLocation } from 'react-router-dom';
import { useAuth } from '../auth/authContext';
import { Notice } from '../ui/Alert';
import { Wordmark } from './Wordmark';

/**
 * The layout for signed-out visitors. Forms (sign-in, sign-up) sit in a calm, centred column;
 * pages a visitor reads (`page`: the public talks) get the app's content column and a way to sign in.
 */
export function PublicLayout({ children, page = false }: { children?: ReactNode; page?: boolean }) {
  const { pathname, search } = useLocation();
  const { signedOutReason } = useAuth();
  const signIn = `/signin?next=${encodeURIComponent(pathname + search)}`;
  return (
    <div className="public">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className={page ? 'public-header public-header-page' : 'public-header'}>
        <Wordmark />
        {page && (
          <Link className="btn btn-secondary" to={signIn}>
            Sign in
          </Link>
        )}
      </header>
      <main id="main" className={page ? 'public-main public-main-page' : 'public-main'} tabIndex={-1}>
        {page && signedOutReason === 'expired' && (
          // The page has just fallen back to the visitor's view: say why, and that the last change was lost.
          <Notice>
            <span>
              Your session has ended, so your last change was not saved. <Link to={signIn}>Sign in again</Link> to carry
              on.
            </span>
          </Notice>
        )}
        {children ?? <Outlet />}
      </main>
      <footer className="public-footer">Convene · where your organisation’s people meet</footer>
    </div>
  );
}
