import { Link } from 'react-router-dom';
import { useCurrentPerson } from '../auth/authContext';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { AreaIcon } from './AreaIcon';
import { AREAS } from './areas';

export function HomePage() {
  useDocumentTitle('Home');
  const person = useCurrentPerson();
  const firstName = (person.name || person.username).trim().split(/\s+/)[0] ?? '';

  return (
    <>
      <header className="page-header">
        <h1>Welcome{firstName ? `, ${firstName}` : ''}</h1>
        <p className="page-lede">Convene is where your organisation’s people meet. Pick a way to get together.</p>
      </header>
      <ul className="card-grid">
        {AREAS.map((area) => (
          <li key={area.id}>
            <Link to={area.path} className={`area-card area-${area.id}`}>
              <span className="area-card-icon">
                <AreaIcon id={area.id} />
              </span>
              <span className="area-card-title">{area.title}</span>
              <span className="area-card-summary">{area.summary}</span>
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}
