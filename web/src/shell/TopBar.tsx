import { useEffect, useId, useState } from 'react';
import { Link, NavLink, useLocation, useNavigate } from 'react-router-dom';
import { useAuth, useCurrentPerson } from '../auth/authContext';
import { Button } from '../ui/Button';
import { toFormError } from '../ui/formError';
import { initials } from '../ui/initials';
import { useAsyncAction } from '../ui/useAsyncAction';
import { AREAS } from './areas';
import { Wordmark } from './Wordmark';

export function TopBar({ onSignOutError }: { onSignOutError: (message: string | null) => void }) {
  const person = useCurrentPerson();
  const { signOut } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const menuId = useId();
  const { busy, run } = useAsyncAction();

  // Close the small-screen menu whenever the page changes.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on navigation on purpose.
  useEffect(() => {
    setMenuOpen(false);
  }, [location.pathname]);

  useEffect(() => {
    if (!menuOpen) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setMenuOpen(false);
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [menuOpen]);

  function handleSignOut() {
    onSignOutError(null);
    void run(async () => {
      try {
        await signOut();
        navigate('/signin', { replace: true });
      } catch (error) {
        onSignOutError(toFormError(error).message);
      }
    });
  }

  return (
    <header className="topbar">
      <div className="topbar-inner">
        <Wordmark />
        <button
          type="button"
          className="menu-button"
          aria-expanded={menuOpen}
          aria-controls={menuId}
          onClick={() => setMenuOpen((open) => !open)}
        >
          <svg viewBox="0 0 20 20" aria-hidden="true" focusable="false">
            {menuOpen ? (
              <path d="M5 5l10 10M15 5L5 15" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
            ) : (
              <path d="M3 6h14M3 10h14M3 14h14" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
            )}
          </svg>
          <span>Menu</span>
        </button>
        <div className={menuOpen ? 'topbar-menu is-open' : 'topbar-menu'} id={menuId}>
          <nav className="nav" aria-label="Main">
            <ul className="nav-list">
              {AREAS.map((area) => (
                <li key={area.id}>
                  <NavLink to={area.path} className="nav-link">
                    {area.title}
                  </NavLink>
                </li>
              ))}
              {person.role === 'admin' ? (
                <li>
                  <NavLink to="/admin" className="nav-link">
                    Admin
                  </NavLink>
                </li>
              ) : null}
            </ul>
          </nav>
          <div className="account">
            <Link to="/profile" className="account-name" title="Your profile">
              {person.avatarUrl ? (
                <img className="avatar mixer-avatar" src={person.avatarUrl} alt="" />
              ) : (
                <span className="avatar" aria-hidden="true">
                  {initials(person.name || person.username)}
                </span>
              )}
              <span className="account-name-text">{person.name || person.username}</span>
            </Link>
            <Button size="sm" variant="ghost" busy={busy} onClick={handleSignOut}>
              Sign out
            </Button>
          </div>
        </div>
      </div>
    </header>
  );
}
