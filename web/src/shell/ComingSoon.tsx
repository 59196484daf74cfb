import { Link } from 'react-router-dom';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { AreaIcon } from './AreaIcon';
import { type AreaId, getArea } from './areas';

/** Placeholder page for an area that hasn't been built yet. */
export function ComingSoon({ areaId }: { areaId: AreaId }) {
  const area = getArea(areaId);
  useDocumentTitle(area.title);
  return (
    <>
      <header className="page-header">
        <h1>{area.title}</h1>
      </header>
      <section className={`empty-state area-${area.id}`} aria-labelledby="coming-soon-title">
        <span className="empty-state-icon">
          <AreaIcon id={area.id} />
        </span>
        <h2 id="coming-soon-title">Coming soon</h2>
        <p>{area.description}</p>
        <Link className="btn btn-secondary" to="/">
          Back to home
        </Link>
      </section>
    </>
  );
}
