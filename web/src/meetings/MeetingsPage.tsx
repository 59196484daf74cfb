import { ComingSoon } from '../shell/ComingSoon';

export function MeetingsPage() {
  return <ComingSoon areaId="meetings" />;
}
