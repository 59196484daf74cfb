import { useAuth } from '../auth/authContext';
import { browserTimeZone } from '../profile/timezones';
import { safeTimeZone } from './dates';

/**
 * The zone to show moments in: the signed-in person's chosen one (their profile's), which may
 * differ from the browser's (a laptop left on home time while travelling, an admin abroad). Signed
 * out there is no choice to honour, so the browser's. Always one Intl knows (see `safeTimeZone`).
 */
export function useTimeZone(): string {
  const { person } = useAuth();
  return safeTimeZone(person?.timezone ?? browserTimeZone());
}
