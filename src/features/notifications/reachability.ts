import type { Executor } from '../../db/database.js';
import type { NotificationChannel } from '../../db/schema.js';
import { nowIso } from '../../lib/time.js';
import { upcomingParticipations } from '../meetings/queries.js';
import { membershipOrigins } from '../mixers/memberOrigins.js';
import { CHANNEL_SPECS } from './channelAdmin.js';
import { parsePayload } from './payload.js';
import { loadWants, personalChannels } from './prefs.js';

export interface ReachPerson {
  id: string;
  name: string;
  email: string | null;
  /** Why no channel reaches them; empty for a person who is reachable. */
  reasons: string[];
  /** Channels that failed them while another one still reaches them. */
  warnings: string[];
}

export interface Reachability {
  /** People no channel reaches (in at least one group or meeting they are in). */
  people: ReachPerson[];
  total: number;
  /** People who are reachable, but not by every channel they chose. */
  warned: ReachPerson[];
  warnedTotal: number;
}

const LIST_LIMIT = 500;
/** How far back delivery results are read to learn which channels failed whom. */
const RECENT_RESULTS = 2000;

/**
 * Who Convene cannot reach: active group members, participants of upcoming meetings and people
 * recent messages were for. A person is unreachable where no channel that applies to them (on,
 * usable with their address, chosen in their settings) can reach them — including channels whose
 * latest message for them failed or did not find them. Each comes with the reasons, so an admin
 * knows what to fix.
 */
export async function listUnreachable(db: Executor): Promise<Reachability> {
  const now = nowIso();
  // person → the origins they get messages from ("group:…", "event:…"), or null for a meeting of none.
  const contexts = new Map<string, Set<string | null>>();
  const originNames = new Map<string, string>();
  const add = (personId: string, origin: string | null, name?: string | null) => {
    const set = contexts.get(personId) ?? new Set();
    contexts.set(personId, set);
    set.add(origin);
    if (origin && name) originNames.set(origin, name);
  };
  for (const m of await membershipOrigins(db, { activeOnly: true })) add(m.personId, m.origin, m.name);
  for (const p of await upcomingParticipations(db, now)) add(p.personId, p.origin, p.originName);
  const outcomes = await latestOutcomes(db, add);

  const ids = [...contexts.keys()];
  const people: Array<{ id: string; name: string; email: string | null }> = [];
  for (let i = 0; i < ids.length; i += 400) {
    people.push(
      ...(await db
        .selectFrom('people')
        .select(['id', 'name', 'email'])
        .where('id', 'in', ids.slice(i, i + 400))
        .where('enabled', '=', 1)
        .execute()),
    );
  }
  const channels = await personalChannels(db);
  const wants = await loadWants(
    db,
    people.map((p) => p.id),
  );

  const unreachable: ReachPerson[] = [];
  const warned: ReachPerson[] = [];
  for (const person of people) {
    const reasons: string[] = [];
    const where = [...(contexts.get(person.id) ?? [])];
    const usable = channels.filter((c) => person.email || !CHANNEL_SPECS[c].needsEmail);
    const failure = (c: NotificationChannel) => {
      const outcome = outcomes.get(`${c}|${person.id}`);
      if (!outcome || outcome.ok) return null;
      const label = CHANNEL_SPECS[c].label;
      const on = `(message of ${outcome.at.slice(0, 10)})`;
      return outcome.error === null
        ? `${label} found no account for ${person.email ?? 'their e-mail address'} ${on}.`
        : `${label} could not deliver: ${outcome.error} ${on}`;
    };
    const failing = new Set<NotificationChannel>();
    if (!channels.length) reasons.push('No channel that reaches people is turned on (Admin → Channels).');
    else if (!usable.length) {
      const names = channels.map((c) => CHANNEL_SPECS[c].label).join(', ');
      reasons.push(`Has no e-mail address, and every channel that is on (${names}) needs one.`);
    } else {
      const chosenNone: Array<string | null> = [];
      let allFailedSomewhere = false;
      for (const origin of where) {
        const chosen = usable.filter((c) => wants(person.id, origin, c));
        if (!chosen.length) chosenNone.push(origin);
        for (const c of chosen) if (failure(c)) failing.add(c);
        if (chosen.length && chosen.every((c) => failing.has(c))) allFailedSomewhere = true;
      }
      if (chosenNone.includes(null)) reasons.push('Their own settings turn every channel off.');
      const groups = chosenNone.filter((g): g is string => g !== null).map((g) => originNames.get(g) ?? g);
      if (groups.length) reasons.push(`Their own settings turn every channel off for ${groups.sort().join(', ')}.`);
      if (allFailedSomewhere) {
        reasons.push(...[...failing].map((c) => failure(c) as string));
        failing.clear();
      }
    }
    const entry = { ...person, reasons, warnings: [...failing].map((c) => failure(c) as string) };
    if (reasons.length) unreachable.push(entry);
    else if (entry.warnings.length) warned.push(entry);
  }
  const byName = (a: ReachPerson, b: ReachPerson) => a.name.localeCompare(b.name);
  unreachable.sort(byName);
  warned.sort(byName);
  return {
    people: unreachable.slice(0, LIST_LIMIT),
    total: unreachable.length,
    warned: warned.slice(0, LIST_LIMIT),
    warnedTotal: warned.length,
  };
}

/** ok, or the error (null: the chat found no account for them), and when it was decided. */
type Outcome = { ok: true } | { ok: false; error: string | null; at: string };

/**
 * "channel|person" → how the newest finished message for that person went on that channel. E-mail
 * rows are per person; a chat row lists its readers, says in its result whom it did not find, and a
 * failed one failed all its readers. A person a message failed is noted with the meeting's origin,
 * so someone only a past meeting tried to reach is checked too.
 */
async function latestOutcomes(
  db: Executor,
  add: (personId: string, origin: string | null, name?: string | null) => void,
): Promise<Map<string, Outcome>> {
  const rows = await db
    .selectFrom('notifications')
    .select([
      'notifications.channel',
      'notifications.person_id',
      'notifications.status',
      'notifications.payload',
      'notifications.result',
      'notifications.last_error',
      'notifications.updated_at',
      'notifications.origin',
      'notifications.origin_name',
    ])
    .where('notifications.status', 'in', ['sent', 'failed'])
    .where('notifications.channel', '!=', 'webhook')
    .orderBy('notifications.updated_at', 'desc')
    .limit(RECENT_RESULTS)
    .execute();
  const out = new Map<string, Outcome>();
  for (const row of rows) {
    let readers: string[];
    let notFound: string[];
    try {
      const payload = parsePayload(row.payload);
      readers = row.person_id ? [row.person_id] : (payload.readers ?? payload.participants.map((p) => p.id));
      const result = JSON.parse(row.result ?? '{}') as { notFound?: unknown };
      notFound = Array.isArray(result.notFound) ? result.notFound.map(String) : [];
    } catch {
      continue;
    }
    for (const reader of readers) {
      const key = `${row.channel}|${reader}`;
      // Only the newest message about each person counts: a later success clears an old failure.
      if (out.has(key)) continue;
      const outcome: Outcome =
        row.status === 'failed'
          ? { ok: false, error: row.last_error ?? 'failed', at: row.updated_at }
          : notFound.includes(reader)
            ? { ok: false, error: null, at: row.updated_at }
            : { ok: true };
      out.set(key, outcome);
      if (!outcome.ok) add(reader, row.origin, row.origin_name);
    }
  }
  return out;
}
