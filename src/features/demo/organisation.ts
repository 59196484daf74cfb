/**
 * A made-up organisation for `convene demo`: teams with a manager each, a leadership layer, and
 * talk proposals people there might make. Everything here is invented.
 */

export interface DemoPerson {
  first: string;
  last: string;
  title: string;
  team: string;
  /** Index in `people` of their manager. */
  manager: number | null;
  isManager: boolean;
  timezone: string;
}

interface TeamPlan {
  team: string;
  lead: string;
  roles: string[];
  timezone: string;
}

const firstNames = [
  'Amara',
  'Björn',
  'Chloé',
  'Dmitri',
  'Esperanza',
  'Farid',
  'Greta',
  'Hiroshi',
  'Ines',
  'Jonah',
  'Kwame',
  'Lucía',
  'Malik',
  'Noor',
  'Oskar',
  'Priya',
  'Quentin',
  'Rosa',
  'Sanjay',
  'Tamsin',
  'Uma',
  'Viktor',
  'Wen',
  'Ximena',
  'Yusuf',
  'Zofia',
  'Aiko',
  'Bruno',
  'Camille',
  'Diego',
  'Elif',
  'Finn',
  'Gabriela',
  'Hamza',
  'Ingrid',
  'Jae-won',
  'Kalinda',
  'Leon',
  'Mei',
  'Nikolai',
  'Olu',
  'Paloma',
  'Rafael',
  'Saoirse',
  'Tobias',
  'Valentina',
  'Wiremu',
  'Yara',
];
const lastNames = [
  'Okafor',
  'Lindqvist',
  'Moreau',
  'Volkov',
  'Ruiz',
  'Haddad',
  'Becker',
  'Tanaka',
  'Ferreira',
  'Whitfield',
  'Mensah',
  'Navarro',
  'Rahman',
  'Aziz',
  'Nilsson',
  'Iyer',
  'Lefèvre',
  'Castillo',
  'Gupta',
  'Pryce',
  'Devi',
  'Petrov',
  'Zhang',
  'Herrera',
  'Demir',
  'Kowalska',
  'Sato',
  'Costa',
  'Dubois',
  'Vargas',
  'Yilmaz',
  'Murphy',
  'Santos',
  'Khan',
  'Olsen',
  'Park',
  'Walker',
  'Fischer',
  'Chen',
  'Ivanov',
  'Adeyemi',
  'Romero',
  'Almeida',
  'Byrne',
  'Schmidt',
  'Rossi',
  'Ngata',
  'Saleh',
];

const teams: TeamPlan[] = [
  {
    team: 'Platform',
    lead: 'Engineering Manager, Platform',
    roles: [
      'Staff Engineer',
      'Senior Engineer',
      'Site Reliability Engineer',
      'Engineer',
      'Engineer',
      'Security Engineer',
    ],
    timezone: 'Europe/Berlin',
  },
  {
    team: 'Product',
    lead: 'Engineering Manager, Product',
    roles: ['Senior Engineer', 'Frontend Engineer', 'Frontend Engineer', 'Engineer', 'Mobile Engineer', 'QA Engineer'],
    timezone: 'Europe/London',
  },
  {
    team: 'Design',
    lead: 'Design Manager',
    roles: ['Senior Product Designer', 'Product Designer', 'UX Researcher', 'Content Designer', 'Illustrator'],
    timezone: 'Europe/Paris',
  },
  {
    team: 'Data',
    lead: 'Data Science Manager',
    roles: ['Data Scientist', 'Data Engineer', 'Analytics Engineer', 'Machine Learning Engineer', 'Data Analyst'],
    timezone: 'America/New_York',
  },
  {
    team: 'Customer Success',
    lead: 'Customer Success Manager',
    roles: ['Support Specialist', 'Support Specialist', 'Solutions Engineer', 'Technical Writer', 'Onboarding Lead'],
    timezone: 'America/Chicago',
  },
  {
    team: 'People',
    lead: 'People Operations Manager',
    roles: ['Recruiter', 'People Partner', 'Office Coordinator', 'Learning & Development Lead'],
    timezone: 'Europe/London',
  },
];

/** Leadership first (0: CEO, 1: CTO, 2: COO), then each team's manager and members. */
export function demoPeople(): DemoPerson[] {
  const people: DemoPerson[] = [];
  let n = 0;
  const next = (title: string, team: string, manager: number | null, isManager: boolean, timezone: string) => {
    people.push({
      first: firstNames[n % firstNames.length]!,
      last: lastNames[(n * 7) % lastNames.length]!,
      title,
      team,
      manager,
      isManager,
      timezone,
    });
    n++;
    return people.length - 1;
  };
  const ceo = next('Chief Executive Officer', 'Leadership', null, true, 'Europe/London');
  const cto = next('Chief Technology Officer', 'Leadership', ceo, true, 'Europe/Berlin');
  const coo = next('Chief Operating Officer', 'Leadership', ceo, true, 'America/New_York');
  for (const plan of teams) {
    const director = ['Platform', 'Product', 'Data'].includes(plan.team) ? cto : coo;
    const lead = next(plan.lead, plan.team, director, true, plan.timezone);
    for (const role of plan.roles) next(role, plan.team, lead, false, plan.timezone);
  }
  return people;
}

export interface DemoTalk {
  title: string;
  description: string;
  /** How much the organisation wants to hear it: drives the demo votes. */
  appeal: number;
}

export const demoTalks: DemoTalk[] = [
  {
    title: 'What I learned from 100 postmortems',
    description:
      'Patterns from two years of incident reviews: the **three causes** behind most outages, and the cheap habits that prevent them.',
    appeal: 9,
  },
  {
    title: 'Accessibility in five minutes a day',
    description:
      'Small checks anyone can do before shipping:\n\n- keyboard only for one flow\n- zoom to 200 %\n- read it with a screen reader',
    appeal: 8,
  },
  {
    title: 'SQLite is enough (until it is not)',
    description: 'When an embedded database beats a server, and the *exact* signs that you have outgrown it.',
    appeal: 7,
  },
  {
    title: 'Writing docs people actually read',
    description: 'Start with the task, not the feature. Examples from our own help centre, before and after.',
    appeal: 6,
  },
  {
    title: 'Dashboards that lie',
    description: 'Averages, missing zeros and truncated axes: five charts from our wiki and how to fix each one.',
    appeal: 7,
  },
  {
    title: 'The onboarding buddy experiment',
    description: 'We paired every new joiner with a buddy from another team for three months. Here is what changed.',
    appeal: 5,
  },
  {
    title: 'Feature flags without the mess',
    description: 'Naming, owners and expiry dates: how we went from 400 stale flags to 35.',
    appeal: 6,
  },
  {
    title: 'A designer learns Git',
    description: 'Branches, merges and one very long afternoon. A survival guide from the other side.',
    appeal: 5,
  },
  {
    title: 'How our support queue taught us product',
    description:
      'Tagging every ticket for a quarter showed us which features confuse people. [Our tag list](https://example.org/tags).',
    appeal: 6,
  },
  {
    title: 'Sourdough and systems thinking',
    description: 'Feedback loops, delays and starters: what baking bread every week taught me about capacity planning.',
    appeal: 4,
  },
  {
    title: 'Interviewing without trick questions',
    description: 'Work-sample interviews: fairer for candidates, more signal for us. Our rubric, shared.',
    appeal: 5,
  },
  {
    title: 'Five keyboard shortcuts that saved me a week',
    description: 'A fast, fun one. `Ctrl`-heavy.',
    appeal: 3,
  },
  {
    title: 'Forecasting with very little data',
    description: 'Reference classes and ranges instead of single numbers: better estimates for projects and hiring.',
    appeal: 4,
  },
  {
    title: 'Our carbon footprint, honestly',
    description: 'Where the emissions of a software company really come from, and the two changes that mattered.',
    appeal: 3,
  },
];
