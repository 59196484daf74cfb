import { ComingSoon } from '../shell/ComingSoon';

export function MixersPage() {
  return <ComingSoon areaId="mixers" />;
}
