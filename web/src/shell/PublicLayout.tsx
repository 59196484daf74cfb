import type { ReactNode } from 'react';
import { Outlet } from 'react-router-dom';
import { Wordmark } from './Wordmark';

/** The layout for signed-out visitors: a calm, centred column. */
export function PublicLayout({ children }: { children?: ReactNode }) {
  return (
    <div className="public">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="public-header">
        <Wordmark />
      </header>
      <main id="main" className="public-main" tabIndex={-1}>
        {children ?? <Outlet />}
      </main>
      <footer className="public-footer">Convene · where your organisation’s people meet</footer>
    </div>
  );
}
