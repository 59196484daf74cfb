import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useCurrentPerson } from './authContext';

/** Renders children for admins; explains the restriction to everyone else. */
export function RequireAdmin({ children }: { children: ReactNode }) {
  const person = useCurrentPerson();
  if (person.role === 'admin') return <>{children}</>;
  return <AdminsOnly />;
}

function AdminsOnly() {
  useDocumentTitle('Admins only');
  return (
    <section className="empty-state" aria-labelledby="admins-only-title">
      <h1 id="admins-only-title">Admins only</h1>
      <p>This page is for your organisation’s Convene admins. If you need something changed, ask one of them.</p>
      <Link className="btn btn-secondary" to="/">
        Back to home
      </Link>
    </section>
  );
}
