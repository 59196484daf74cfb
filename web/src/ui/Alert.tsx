import type { ReactNode } from 'react';

interface AlertProps {
  children: ReactNode;
  id?: string;
  action?: ReactNode;
}

/** An error message announced to assistive technology as soon as it appears. */
export function ErrorAlert({ children, id, action }: AlertProps) {
  return (
    <div className="alert alert-error" role="alert" id={id}>
      <svg className="alert-icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
        <circle cx="10" cy="10" r="8.25" fill="none" stroke="currentColor" strokeWidth="1.5" />
        <path d="M10 5.75v5.5" stroke="currentColor" strokeWidth="1.75" strokeLinecap="round" />
        <circle cx="10" cy="14" r="1.05" fill="currentColor" />
      </svg>
      <div className="alert-body">{children}</div>
      {action ? <div className="alert-action">{action}</div> : null}
    </div>
  );
}

interface NoticeProps {
  children: ReactNode;
}

/** A neutral, non-urgent note. */
export function Notice({ children }: NoticeProps) {
  return <div className="alert alert-info">{children}</div>;
}
