import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { useAuth } from './authContext';
import { withNext } from './nextPath';

export interface SignInLocationState {
  sessionExpired?: boolean;
}

/** Renders children for a signed-in person; otherwise sends the visitor to /signin?next=… */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { person, signedOutReason } = useAuth();
  const location = useLocation();
  if (person) return <>{children}</>;
  if (signedOutReason === 'signed-out') return <Navigate to="/signin" replace />;
  const here = `${location.pathname}${location.search}${location.hash}`;
  const state: SignInLocationState = { sessionExpired: signedOutReason === 'expired' };
  return <Navigate to={withNext('/signin', here)} replace state={state} />;
}
