import { ComingSoon } from '../shell/ComingSoon';

export function UnconferencePage() {
  return <ComingSoon areaId="unconference" />;
}
