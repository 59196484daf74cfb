import type { ReactNode } from 'react';

interface StatusMessageProps {
  children?: ReactNode;
  className?: string;
}

/**
 * A polite live region. It is always rendered (even when empty) so screen readers
 * announce the message when it appears.
 */
export function StatusMessage({ children, className }: StatusMessageProps) {
  const hasMessage = children !== undefined && children !== null && children !== false && children !== '';
  return (
    <p
      role="status"
      className={['status', hasMessage ? 'status-success' : '', className ?? ''].filter(Boolean).join(' ')}
    >
      {hasMessage ? (
        <>
          <svg className="status-icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
            <path
              d="M4.5 10.5l3.5 3.5 7.5-8"
              fill="none"
              stroke="currentColor"
              strokeWidth="2"
              strokeLinecap="round"
              strokeLinejoin="round"
            />
          </svg>
          <span>{children}</span>
        </>
      ) : null}
    </p>
  );
}
