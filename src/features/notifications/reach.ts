import type { Executor } from '../../db/database.js';
import type { NotificationChannel, NotificationKind, NotificationStatus } from '../../db/schema.js';
import { CHANNEL_SPECS } from './channelAdmin.js';
import { parsePayload } from './payload.js';
import { loadWants, personalChannels } from './prefs.js';

const CHUNK = 400;

/**
 * Which channels would reach each person now about a meeting of `origin`: on, usable with their
 * address, and chosen in their settings — the rule the queue applies when it writes messages.
 * An empty list: nothing Convene sends would reach them.
 */
export async function channelsReaching(
  db: Executor,
  people: Array<{ id: string; email: string | null }>,
  origin: string | null,
): Promise<Map<string, NotificationChannel[]>> {
  const channels = await personalChannels(db);
  const wants = await loadWants(
    db,
    people.map((p) => p.id),
  );
  return new Map(
    people.map((p) => [
      p.id,
      channels.filter((c) => (p.email || !CHANNEL_SPECS[c].needsEmail) && wants(p.id, origin, c)),
    ]),
  );
}

/**
 * Per meeting, the people an intro about it reached (`sent`, and not reported unknown by the chat)
 * or is on its way to (`pending`, `sending`), as `statuses` asks: whom an announcement need not
 * tell again. With more `kinds`, any of those messages (whom a cancellation must tell).
 */
export async function introRecipients(
  db: Executor,
  meetingIds: string[],
  statuses: NotificationStatus[],
  kinds: NotificationKind[] = ['intro'],
): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (let i = 0; i < meetingIds.length; i += CHUNK) {
    const rows = await db
      .selectFrom('notifications')
      .select(['meeting_id', 'person_id', 'status', 'payload', 'result'])
      .where('meeting_id', 'in', meetingIds.slice(i, i + CHUNK))
      .where('kind', 'in', kinds)
      .where('channel', '!=', 'webhook')
      .where('status', 'in', statuses)
      .execute();
    for (const row of rows) {
      if (!row.meeting_id) continue;
      const told = out.get(row.meeting_id) ?? new Set<string>();
      out.set(row.meeting_id, told);
      if (row.person_id) {
        told.add(row.person_id);
        continue;
      }
      let readers: string[] = [];
      let unknown: string[] = [];
      try {
        readers = parsePayload(row.payload).readers ?? [];
        const result = JSON.parse(row.result ?? '{}') as { notFound?: unknown };
        unknown = row.status === 'sent' && Array.isArray(result.notFound) ? result.notFound.map(String) : [];
      } catch {
        continue;
      }
      for (const reader of readers) if (!unknown.includes(reader)) told.add(reader);
    }
  }
  return out;
}
