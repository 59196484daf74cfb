import type { XmlElement } from './xmlTree.js';

/**
 * The content model of the Frab/C3VOC "schedule.xml" as its published XSD (voc/schedule,
 * validator/xsd/schedule.xml.xsd) states it, restated as data so a test can hold our export to it
 * without the XSD file (its licence is not stated, so it is not vendored) or a native validator.
 * Unknown elements and attributes are errors, as they are for the XSD.
 */
interface Model {
  /** Child elements: name → [min, max] occurrences. */
  children: Record<string, [number, number]>;
  /** In this order (xs:sequence); otherwise any order (xs:all). */
  ordered?: boolean;
  attributes?: Record<string, { required?: boolean; pattern?: RegExp }>;
  text?: RegExp;
}

const MANY = Number.POSITIVE_INFINITY;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME_TZ = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{1,2}:\d{2})$/;
const HTTP_URI = /^https?:\/\/\S*$/;
const DURATION = /^([0-9]{1,2}:[0-9]{2}|[0-9]{1,2}:[0-9]{2}:[0-9]{1,2})$/;
const START = /^([0-2][0-9]:[0-5][0-9]|[0-2][0-9]:[0-5][0-9]:[0-5][0-9])$/;
const UUID = /^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$/;
const POSITIVE = /^[1-9][0-9]*$/;
const INTEGER = /^-?[0-9]+$/;
const BOOLEAN = /^(true|false|1|0)$/;
const leaf = (text?: RegExp): Model => ({ children: {}, text });
const textWithAttribute = (name: string, pattern?: RegExp): Model => ({
  children: {},
  attributes: { [name]: { pattern } },
});

const models: Record<string, Model> = {
  schedule: {
    ordered: true,
    children: { generator: [0, 1], version: [1, 1], conference: [1, 1], day: [1, MANY] },
  },
  generator: { children: {}, attributes: { name: {}, version: {} } },
  version: leaf(),
  conference: {
    children: {
      title: [1, 1],
      acronym: [1, 1],
      start: [0, 1],
      end: [0, 1],
      days: [0, 1],
      timeslot_duration: [0, 1],
      base_url: [0, 1],
      time_zone_name: [0, 1],
    },
  },
  'conference/start': leaf(DATE),
  'conference/end': leaf(DATE),
  'conference/days': leaf(INTEGER),
  'conference/timeslot_duration': leaf(DURATION),
  'conference/base_url': leaf(HTTP_URI),
  day: {
    children: { room: [0, MANY] },
    attributes: {
      date: { pattern: DATE },
      start: { pattern: DATE_TIME_TZ },
      end: { pattern: DATE_TIME_TZ },
      index: { pattern: POSITIVE },
    },
  },
  room: { children: { event: [0, MANY] }, attributes: { name: {} } },
  event: {
    children: {
      room: [1, 1],
      title: [1, 1],
      subtitle: [1, 1],
      type: [1, 1],
      date: [1, 1],
      start: [1, 1],
      duration: [1, 1],
      abstract: [1, 1],
      slug: [1, 1],
      track: [1, 1],
      logo: [0, 1],
      persons: [0, 1],
      language: [0, 1],
      description: [0, 1],
      recording: [0, 1],
      links: [0, 1],
      attachments: [0, 1],
      video_download_url: [0, 1],
      url: [0, 1],
    },
    attributes: { id: { required: true, pattern: POSITIVE }, guid: { required: true, pattern: UUID } },
  },
  'event/date': leaf(DATE_TIME_TZ),
  'event/start': leaf(START),
  'event/duration': leaf(DURATION),
  'event/url': leaf(HTTP_URI),
  'event/video_download_url': leaf(HTTP_URI),
  recording: { children: { license: [1, 1], optout: [1, 1] } },
  'recording/optout': leaf(BOOLEAN),
  persons: { ordered: true, children: { person: [0, MANY] } },
  person: textWithAttribute('id', POSITIVE),
  links: { ordered: true, children: { link: [0, MANY] } },
  link: textWithAttribute('href'),
  attachments: { ordered: true, children: { attachment: [0, MANY] } },
  attachment: textWithAttribute('href'),
};

function modelFor(element: XmlElement, parent: string | null): Model {
  return (parent ? models[`${parent}/${element.name}`] : undefined) ?? models[element.name] ?? leaf();
}

function check(element: XmlElement, parent: string | null, path: string, problems: string[]) {
  const model = modelFor(element, parent);
  for (const [name, value] of Object.entries(element.attributes)) {
    const rule = model.attributes?.[name];
    if (!rule) problems.push(`${path}: attribute ${name} is not in the schema`);
    else if (rule.pattern && !rule.pattern.test(value)) problems.push(`${path}/@${name}: "${value}" is not valid`);
  }
  for (const [name, rule] of Object.entries(model.attributes ?? {})) {
    if (rule.required && !(name in element.attributes)) problems.push(`${path}: attribute ${name} is required`);
  }
  const names = element.children.map((c) => c.name);
  for (const name of new Set(names)) {
    if (!model.children[name]) problems.push(`${path}: <${name}> is not allowed here`);
  }
  for (const [name, [min, max]] of Object.entries(model.children)) {
    const count = names.filter((n) => n === name).length;
    if (count < min || count > max) problems.push(`${path}: <${name}> occurs ${count} times (allowed ${min}–${max})`);
  }
  if (model.ordered) {
    const order = Object.keys(model.children);
    const positions = names.map((n) => order.indexOf(n));
    if (positions.some((p, i) => i > 0 && p < positions[i - 1]!)) problems.push(`${path}: children out of order`);
  }
  if (model.text && !model.text.test(element.text)) problems.push(`${path}: "${element.text}" is not valid`);
  if (!Object.keys(model.children).length && element.children.length === 0) return;
  element.children.forEach((child, i) => {
    check(child, element.name, `${path}/${child.name}[${i}]`, problems);
  });
}

/** Everything in `root` that the schedule.xml schema refuses, including its uniqueness rules. */
export function frabSchemaProblems(root: XmlElement): string[] {
  const problems: string[] = [];
  if (root.name !== 'schedule') return [`the root is <${root.name}>, not <schedule>`];
  check(root, null, 'schedule', problems);
  const days = root.children.filter((c) => c.name === 'day');
  const events = days.flatMap((d) =>
    d.children.filter((r) => r.name === 'room').flatMap((r) => r.children.filter((e) => e.name === 'event')),
  );
  const unique = (label: string, values: Array<string | undefined>) => {
    const seen = new Set<string>();
    for (const value of values) {
      if (value === undefined) continue;
      if (seen.has(value)) problems.push(`${label} "${value}" is not unique`);
      seen.add(value);
    }
  };
  unique(
    'event id',
    events.map((e) => e.attributes.id),
  );
  unique(
    'event guid',
    events.map((e) => e.attributes.guid),
  );
  unique(
    'event slug',
    events.map((e) => e.children.find((c) => c.name === 'slug')?.text),
  );
  unique(
    'day index',
    days.map((d) => d.attributes.index),
  );
  return problems;
}
