import type { Executor } from '../../db/database.js';
import type { NotificationChannel } from '../../db/schema.js';
import { nowIso } from '../../lib/time.js';
import { CHANNEL_SPECS } from './channelAdmin.js';
import { parsePayload } from './payload.js';
import { loadPrefs, personalChannels, wants } from './prefs.js';

export interface UnreachablePerson {
  id: string;
  name: string;
  email: string | null;
  reasons: string[];
}

const LIST_LIMIT = 500;
/** How far back delivery results are read to learn who a chat could not find. */
const RECENT_RESULTS = 2000;

/**
 * People Convene should reach but cannot: active group members and participants of upcoming
 * meetings for whom no enabled channel applies, and people a chat said it could not find the last
 * time it was asked. Each comes with the reasons, so an admin knows what to fix.
 */
export async function listUnreachable(db: Executor): Promise<{ people: UnreachablePerson[]; total: number }> {
  const now = nowIso();
  // person → the contexts they get messages in: a group id, or null for a meeting outside groups.
  const contexts = new Map<string, Set<string | null>>();
  const add = (personId: string, groupId: string | null) => {
    const set = contexts.get(personId) ?? new Set();
    contexts.set(personId, set);
    set.add(groupId);
  };
  const members = await db
    .selectFrom('group_members')
    .innerJoin('groups', 'groups.id', 'group_members.group_id')
    .select(['group_members.person_id', 'group_members.group_id'])
    .where('group_members.status', '=', 'active')
    .where('groups.archived', '=', 0)
    .execute();
  for (const m of members) add(m.person_id, m.group_id);
  const upcoming = await db
    .selectFrom('meeting_participants')
    .innerJoin('meetings', 'meetings.id', 'meeting_participants.meeting_id')
    .select(['meeting_participants.person_id', 'meetings.group_id'])
    .where('meetings.status', 'in', ['scheduled', 'rescheduled'])
    .where('meetings.starts_at', '>=', now)
    .execute();
  for (const p of upcoming) add(p.person_id, p.group_id);

  const missing = await notFoundByChats(db);
  const ids = [...new Set([...contexts.keys(), ...missing.keys()])];
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
  const groupNames = new Map(
    (await db.selectFrom('groups').select(['id', 'name']).execute()).map((g) => [g.id, g.name] as const),
  );
  const channels = await personalChannels(db);
  const prefs = await loadPrefs(
    db,
    people.map((p) => p.id),
  );

  const out: UnreachablePerson[] = [];
  for (const person of people) {
    const reasons: string[] = [];
    const where = contexts.get(person.id);
    if (where) {
      const usable = channels.filter((c) => person.email || !CHANNEL_SPECS[c].needsEmail);
      if (!channels.length) reasons.push('No channel that reaches people is turned on.');
      else if (!usable.length) {
        const names = channels.map((c) => CHANNEL_SPECS[c].label).join(', ');
        reasons.push(`Has no e-mail address, and every channel that is on (${names}) needs one.`);
      } else {
        const blocked = [...where].filter((g) => !usable.some((c) => wants(prefs.get(person.id), g, c)));
        if (blocked.includes(null)) reasons.push('Their own settings turn every channel off.');
        const groups = blocked.filter((g): g is string => g !== null).map((g) => groupNames.get(g) ?? g);
        if (groups.length) reasons.push(`Their own settings turn every channel off for ${groups.sort().join(', ')}.`);
      }
    }
    for (const [channel, at] of missing.get(person.id) ?? []) {
      reasons.push(
        `${CHANNEL_SPECS[channel].label} found no account for ${person.email ?? 'their e-mail address'} (message of ${at.slice(0, 10)}).`,
      );
    }
    if (reasons.length) out.push({ ...person, reasons });
  }
  out.sort((a, b) => a.name.localeCompare(b.name));
  return { people: out.slice(0, LIST_LIMIT), total: out.length };
}

/** person → channel → when, for people whose latest delivered chat message did not find them. */
async function notFoundByChats(db: Executor): Promise<Map<string, Map<NotificationChannel, string>>> {
  const rows = await db
    .selectFrom('notifications')
    .select(['channel', 'person_id', 'payload', 'result', 'sent_at', 'updated_at'])
    .where('status', '=', 'sent')
    .where('result', 'is not', null)
    .where('channel', 'in', ['slack', 'mattermost'])
    .orderBy('updated_at', 'desc')
    .limit(RECENT_RESULTS)
    .execute();
  const decided = new Set<string>();
  const out = new Map<string, Map<NotificationChannel, string>>();
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
      // Only the newest message about each person counts: a later success clears an old miss.
      if (decided.has(key)) continue;
      decided.add(key);
      if (!notFound.includes(reader)) continue;
      const person = out.get(reader) ?? new Map();
      out.set(reader, person);
      person.set(row.channel, row.sent_at ?? row.updated_at);
    }
  }
  return out;
}
