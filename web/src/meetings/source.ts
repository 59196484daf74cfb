/** Where meetings come from: Convene's own sources by name, any other is an API caller's. */
import { CONVENE_SOURCES, MEETING_SOURCE_PATTERN } from '@contract/meetings';

const OWN_SOURCES: ReadonlySet<string> = new Set(CONVENE_SOURCES);

const LABELS: Record<(typeof CONVENE_SOURCES)[number], string> = {
  round: 'Mixer round',
  manual: 'Created here',
  unconference: 'Unconference',
  intra42: '42 intranet',
};

/** A source as a reader knows it: "42 intranet", or an API caller's name marked as such. */
export function sourceLabel(source: string): string {
  return OWN_SOURCES.has(source) ? LABELS[source as keyof typeof LABELS] : `${source} (API)`;
}

/** Meetings another system sends (the 42 intranet, an API caller), not made here. */
export const fromOutside = (source: string) => source === 'intra42' || !OWN_SOURCES.has(source);

/** A source name as the API accepts it, else '' (no filter): what a hand-edited address may hold. */
export const validSource = (value: string | null) => (value && MEETING_SOURCE_PATTERN.test(value) ? value : '');
