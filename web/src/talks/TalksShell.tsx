import type { ReactNode } from 'react';
import { useAuth } from '../auth/authContext';
import { AppLayout } from '../shell/AppLayout';
import { PublicLayout } from '../shell/PublicLayout';

/** Talks pages are public: signed-in people see them in the app, visitors in the public layout. */
export function TalksShell({ children }: { children: ReactNode }) {
  const { person } = useAuth();
  return person ? <AppLayout>{children}</AppLayout> : <PublicLayout page>{children}</PublicLayout>;
}
