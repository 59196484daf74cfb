import { createHash } from 'node:crypto';
import type { PublishedSchedule, PublishedSession } from './publishedSchedule.js';

/**
 * The published schedule in the Frab/Pentabarf "schedule.xml" shape and its JSON twin (C3VOC's
 * schedule.json), as Giggity, ConfClerk and the video teams' tools read them: conference → day →
 * room → event, times in the event's timezone with their UTC offset, each event with a stable
 * positive integer id and a UUID guid derived from the proposal, so a moved session stays the same
 * event in the apps. The XML holds only what the published schema (voc/schedule validator) allows:
 * every event has room, title, subtitle, type, date, start, duration, abstract, slug and track
 * (test/helpers/frabSchema.ts restates that schema and the tests hold the export to it).
 */

export interface FrabOptions {
  publicUrl: string;
  sessionUrl: (id: string) => string;
  /** The descriptions attendees see (HTML), by session id. */
  descriptions: ReadonlyMap<string, string>;
}

/** One formatter per timezone: making an Intl.DateTimeFormat costs far more than using one. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    });
    if (formatters.size > 100) formatters.clear();
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Parts of an instant in a timezone: date, HH:MM:SS and the offset (+01:00, or Z for UTC). */
export function zonedParts(iso: string, timeZone: string): { date: string; time: string; offset: string } {
  const parts = formatterFor(timeZone).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const zone = get('timeZoneName'); // "GMT+01:00", or "GMT" for UTC
  const offset = zone === 'GMT' ? 'Z' : zone.replace('GMT', '');
  return {
    date: `${get('year')}-${get('month')}-${get('day')}`,
    time: `${get('hour')}:${get('minute')}:${get('second')}`,
    offset,
  };
}

/** 2027-03-01T10:00:00+01:00 */
export function zonedIso(iso: string, timeZone: string): string {
  const p = zonedParts(iso, timeZone);
  return `${p.date}T${p.time}${p.offset}`;
}

const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
const minutesBetween = (from: string, to: string) =>
  Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 60_000));

export function slugify(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48)
      .replace(/-+$/g, '') || 'session'
  );
}

/** A UUID (version 5 layout) from a name: the same proposal always gets the same guid. */
export function stableGuid(name: string): string {
  const h = createHash('sha256').update(`convene-unconference:${name}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** Positive integer ids, stable per proposal and unique in the schedule (a rare clash takes the next free). */
export function stableIds(ids: readonly string[]): Map<string, number> {
  const used = new Set<number>();
  const result = new Map<string, number>();
  for (const id of [...ids].sort()) {
    let n = (createHash('sha256').update(id).digest().readUInt32BE(0) % 2_000_000_000) + 1;
    while (used.has(n)) n = (n % 2_000_000_000) + 1;
    used.add(n);
    result.set(id, n);
  }
  return result;
}

/** HTML → plain text for the abstract: tags out, the common entities back. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(br|\/p|\/li|\/h[1-6]|\/pre|\/blockquote)\s*\/?>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

interface FrabEvent {
  id: number;
  guid: string;
  date: string;
  start: string;
  duration: string;
  room: string;
  slug: string;
  url: string;
  title: string;
  abstract: string;
  description: string;
  persons: Array<{ name: string; guid: string }>;
}

interface FrabDay {
  index: number;
  date: string;
  start: string;
  end: string;
  rooms: Array<{ name: string; guid: string; events: FrabEvent[] }>;
}

interface FrabModel {
  acronym: string;
  title: string;
  start: string;
  end: string;
  days: FrabDay[];
  timeslotDuration: string;
  timezone: string;
  version: string;
  rooms: Array<{ name: string; guid: string }>;
}

function buildModel(schedule: PublishedSchedule, options: FrabOptions): FrabModel {
  const tz = schedule.event.timezone;
  const acronym = slugify(schedule.event.name);
  const ids = stableIds(schedule.sessions.map((s) => s.id));
  const slotsById = new Map(schedule.slots.map((s) => [s.id, s]));
  const roomOrder = new Map(schedule.rooms.map((r, i) => [r.id, i]));
  const durations = schedule.slots.filter((s) => !s.isBreak).map((s) => minutesBetween(s.startsAt, s.endsAt));
  const event = (s: PublishedSession): FrabEvent => {
    const id = ids.get(s.id)!;
    const html = options.descriptions.get(s.id) ?? '';
    const text = htmlToText(html);
    return {
      id,
      guid: stableGuid(s.id),
      date: zonedIso(s.startsAt, tz),
      start: zonedParts(s.startsAt, tz).time.slice(0, 5),
      duration: hhmm(minutesBetween(s.startsAt, s.endsAt)),
      room: s.roomName,
      slug: `${acronym}-${id}-${slugify(s.title)}`,
      url: options.sessionUrl(s.id),
      title: s.title,
      abstract: text.split('\n\n')[0] ?? '',
      description: text,
      persons: s.owners.map((o) => ({ name: o.name, guid: stableGuid(`person:${o.id}`) })),
    };
  };
  const days = schedule.days
    .map((day) => {
      const slots = schedule.slots.filter((s) => s.dayId === day.id);
      const sessions = schedule.sessions.filter((s) => slotsById.get(s.slotId)?.dayId === day.id);
      const roomIds = [...new Set(sessions.map((s) => s.roomId))].sort(
        (a, b) => (roomOrder.get(a) ?? 1e9) - (roomOrder.get(b) ?? 1e9),
      );
      return { day, slots, sessions, roomIds };
    })
    .filter((d) => d.slots.length > 0)
    .map(({ day, slots, sessions, roomIds }, i) => ({
      index: i + 1,
      date: day.date,
      start: zonedIso(slots[0]!.startsAt, tz),
      end: zonedIso(
        slots.reduce((end, s) => (s.endsAt > end ? s.endsAt : end), slots[0]!.endsAt),
        tz,
      ),
      rooms: roomIds.map((roomId) => {
        const inRoom = sessions.filter((s) => s.roomId === roomId).sort((a, b) => a.startsAt.localeCompare(b.startsAt));
        return {
          name: inRoom[0]!.roomName,
          guid: stableGuid(`room:${roomId}`),
          events: inRoom.map(event),
        };
      }),
    }));
  const rooms = schedule.rooms
    .filter((r) => schedule.sessions.some((s) => s.roomId === r.id))
    .map((r) => ({ name: r.name, guid: stableGuid(`room:${r.id}`) }));
  return {
    acronym,
    title: schedule.event.name,
    start: days[0]?.date ?? schedule.days[0]?.date ?? '',
    end: days.at(-1)?.date ?? schedule.days.at(-1)?.date ?? '',
    days,
    timeslotDuration: hhmm(durations.length ? Math.min(...durations) : 30),
    timezone: tz,
    version: String(schedule.version.number),
    rooms,
  };
}

/** XML 1.0 text: the five escapes, and characters XML cannot carry at all dropped. */
export function xmlEscape(value: string): string {
  return value
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const el = (name: string, value: string) => (value === '' ? `<${name}/>` : `<${name}>${xmlEscape(value)}</${name}>`);

export function frabXml(schedule: PublishedSchedule, options: FrabOptions): string {
  const m = buildModel(schedule, options);
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>', '<schedule>'];
  out.push('  <generator name="convene" version="1"/>');
  out.push(`  ${el('version', m.version)}`);
  out.push('  <conference>');
  out.push(`    ${el('acronym', m.acronym)}`);
  out.push(`    ${el('title', m.title)}`);
  if (m.start) out.push(`    ${el('start', m.start)}`, `    ${el('end', m.end)}`);
  out.push(`    ${el('days', String(m.days.length))}`);
  out.push(`    ${el('timeslot_duration', m.timeslotDuration)}`);
  out.push(`    ${el('base_url', `${options.publicUrl}/`)}`);
  out.push(`    ${el('time_zone_name', m.timezone)}`);
  out.push('  </conference>');
  for (const day of m.days) {
    out.push(
      `  <day index="${day.index}" date="${day.date}" start="${xmlEscape(day.start)}" end="${xmlEscape(day.end)}">`,
    );
    for (const room of day.rooms) {
      // The XML schema allows a room only its name (the JSON twin carries the room's guid).
      out.push(`    <room name="${xmlEscape(room.name)}">`);
      for (const e of room.events) {
        out.push(`      <event guid="${e.guid}" id="${e.id}">`);
        out.push(
          `        ${el('date', e.date)}`,
          `        ${el('start', e.start)}`,
          `        ${el('duration', e.duration)}`,
          `        ${el('room', e.room)}`,
          `        ${el('slug', e.slug)}`,
          `        ${el('url', e.url)}`,
          `        ${el('title', e.title)}`,
          '        <subtitle/>',
          `        ${el('track', 'Unconference')}`,
          `        ${el('type', 'session')}`,
          '        <language/>',
          `        ${el('abstract', e.abstract)}`,
          `        ${el('description', e.description)}`,
        );
        out.push('        <persons>');
        for (const p of e.persons) out.push(`          ${el('person', p.name)}`);
        out.push('        </persons>');
        out.push('        <links>');
        out.push(`          <link href="${xmlEscape(e.url)}">Session page</link>`);
        out.push('        </links>');
        out.push('      </event>');
      }
      out.push('    </room>');
    }
    out.push('  </day>');
  }
  out.push('</schedule>', '');
  return out.join('\n');
}

export function frabJson(schedule: PublishedSchedule, options: FrabOptions) {
  const m = buildModel(schedule, options);
  return {
    $schema: 'https://c3voc.de/schedule/schema.json',
    generator: { name: 'convene', version: '1' },
    schedule: {
      version: m.version,
      base_url: `${options.publicUrl}/`,
      conference: {
        acronym: m.acronym,
        title: m.title,
        start: m.days[0]?.start ?? m.start,
        end: m.days.at(-1)?.end ?? m.end,
        daysCount: m.days.length,
        timeslot_duration: m.timeslotDuration,
        time_zone_name: m.timezone,
        url: options.publicUrl,
        rooms: m.rooms,
        days: m.days.map((day) => ({
          index: day.index - 1,
          date: day.date,
          day_start: day.start,
          day_end: day.end,
          rooms: Object.fromEntries(
            day.rooms.map((room) => [
              room.name,
              room.events.map((e) => ({
                guid: e.guid,
                id: e.id,
                date: e.date,
                start: e.start,
                duration: e.duration,
                room: e.room,
                slug: e.slug,
                url: e.url,
                title: e.title,
                subtitle: '',
                track: 'Unconference',
                type: 'session',
                language: 'en',
                abstract: e.abstract,
                description: e.description,
                recording_license: '',
                do_not_record: true,
                persons: e.persons.map((p) => ({ guid: p.guid, public_name: p.name, name: p.name })),
                links: [{ url: e.url, title: 'Session page' }],
                attachments: [],
              })),
            ]),
          ),
        })),
      },
    },
  };
}
