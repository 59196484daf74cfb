import { Link } from 'react-router-dom';
import { useAuth } from '../auth/authContext';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { AppLayout } from './AppLayout';
import { PublicLayout } from './PublicLayout';

function NotFound({ signedIn }: { signedIn: boolean }) {
  useDocumentTitle('Page not found');
  return (
    <section className="empty-state" aria-labelledby="not-found-title">
      <p className="empty-state-code" aria-hidden="true">
        404
      </p>
      <h1 id="not-found-title">Page not found</h1>
      <p>We couldn’t find that page. It may have moved, or the link may be mistyped.</p>
      <Link className="btn btn-primary" to={signedIn ? '/' : '/signin'}>
        {signedIn ? 'Go to home' : 'Go to sign in'}
      </Link>
    </section>
  );
}

/** Catch-all route: a 404 inside whichever layout fits the visitor. */
export function NotFoundPage() {
  const { person } = useAuth();
  return person ? (
    <AppLayout>
      <NotFound signedIn />
    </AppLayout>
  ) : (
    <PublicLayout>
      <NotFound signedIn={false} />
    </PublicLayout>
  );
}
