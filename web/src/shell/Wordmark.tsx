import { Link } from 'react-router-dom';

export function Wordmark() {
  return (
    <Link to="/" className="wordmark">
      <svg className="wordmark-mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
        <rect width="32" height="32" rx="8" fill="currentColor" />
        <circle cx="12" cy="16" r="6" fill="none" stroke="#fff" strokeWidth="2.5" />
        <circle cx="20" cy="16" r="6" fill="none" stroke="#fff" strokeWidth="2.5" />
      </svg>
      <span className="wordmark-text">Convene</span>
    </Link>
  );
}
