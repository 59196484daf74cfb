export type AreaId = 'mixers' | 'talks' | 'unconference' | 'meetings';

export interface Area {
  id: AreaId;
  path: string;
  title: string;
  /** One line for the home page card. */
  summary: string;
  /** What the area will do, for its "coming soon" page. */
  description: string;
}

export const AREAS: readonly Area[] = [
  {
    id: 'mixers',
    path: '/mixers',
    title: 'Mixers',
    summary: 'Meet someone new with a random pairing.',
    description:
      'Mixers will pair you at random with colleagues from across the organisation for short conversations, so you get to know people you wouldn’t otherwise meet.',
  },
  {
    id: 'talks',
    path: '/talks',
    title: 'Talks',
    summary: 'Propose lightning talks and vote on the ones you want.',
    description:
      'Talks will let you propose lightning talks and vote for the ones you most want to hear, so the best topics make it onto the programme.',
  },
  {
    id: 'unconference',
    path: '/unconference',
    title: 'Unconference',
    summary: 'Pitch sessions and shape the schedule together.',
    description:
      'Pitch sessions, say how interested you are in each, and the schedule is built so you can attend what matters most to you.',
  },
  {
    id: 'meetings',
    path: '/meetings',
    title: 'Meetings',
    summary: 'Plan meetings that work across time zones.',
    description:
      'Meetings will help you find times that suit everyone across time zones and keep the details in one place.',
  },
];

export function getArea(id: AreaId): Area {
  const area = AREAS.find((candidate) => candidate.id === id);
  if (!area) throw new Error(`Unknown area: ${id}`);
  return area;
}
