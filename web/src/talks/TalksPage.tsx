import { ComingSoon } from '../shell/ComingSoon';

export function TalksPage() {
  return <ComingSoon areaId="talks" />;
}
