import { createContext, useContext } from 'react';
import type { Person } from '../api/types';

/** Why nobody is signed in: never was, chose to sign out, or the session ended underneath us. */
export type SignedOutReason = 'initial' | 'signed-out' | 'expired';

export interface AuthContextValue {
  person: Person | null;
  signedOutReason: SignedOutReason;
  /** Call after a successful sign-in, sign-up or profile update. */
  setPerson: (person: Person) => void;
  /** Signs out on the server, then forgets the person. Throws on failure. */
  signOut: () => Promise<void>;
}

export const AuthContext = createContext<AuthContextValue | null>(null);

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}

/** The signed-in person. Only for components rendered under <RequireAuth>. */
export function useCurrentPerson(): Person {
  const { person } = useAuth();
  if (!person) throw new Error('useCurrentPerson needs a signed-in person (wrap the route in <RequireAuth>)');
  return person;
}
