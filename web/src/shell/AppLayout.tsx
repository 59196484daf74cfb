import { type ReactNode, useState } from 'react';
import { Outlet } from 'react-router-dom';
import { ErrorAlert } from '../ui/Alert';
import { TimezonePrompt } from './TimezonePrompt';
import { TopBar } from './TopBar';

/** The signed-in shell: top bar plus the page. Renders `children`, or the matched child route. */
export function AppLayout({ children }: { children?: ReactNode }) {
  const [signOutError, setSignOutError] = useState<string | null>(null);
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <TopBar onSignOutError={setSignOutError} />
      <main id="main" className="main" tabIndex={-1}>
        {signOutError ? <ErrorAlert>Couldn’t sign out: {signOutError}</ErrorAlert> : null}
        <TimezonePrompt />
        {children ?? <Outlet />}
      </main>
    </div>
  );
}
