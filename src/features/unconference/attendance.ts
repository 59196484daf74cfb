import { buildModel } from '../../core/scheduling/model.js';
import { slotAudience } from '../../core/scheduling/rooms.js';
import type { SchedulingInstance } from '../../core/scheduling/types.js';
import type { Executor } from '../../db/database.js';
import type { PublishedSchedule } from './publishedSchedule.js';

/**
 * Estimated attendance per published session, by the scheduling engine's own audience model
 * (`core/scheduling/rooms.ts slotAudience`): in each slot every person goes to the session they rate
 * highest (owners 100 in their own), split equally between ties; people who rate none stay out.
 *
 * Cache rule: one entry per published version, kept beside this function and nowhere else. A
 * version's placements never change, so an entry is only ever stale by ratings given after
 * publication; it is recomputed when it is older than REFRESH_MS. A new version is a new key.
 */

const REFRESH_MS = 60_000;
const MAX_ENTRIES = 64;

interface Entry {
  at: number;
  value: Promise<Map<string, number>>;
}

const cache = new Map<string, Entry>();

/** Empties the cache (tests, test-mode fill and clear, which change ratings wholesale). */
export function forgetAttendance(versionId?: string): void {
  if (versionId) cache.delete(versionId);
  else cache.clear();
}

export function attendanceOf(db: Executor, schedule: PublishedSchedule): Promise<Map<string, number>> {
  const key = schedule.version.id;
  const found = cache.get(key);
  if (found && Date.now() - found.at < REFRESH_MS) return found.value;
  const value = estimateAttendance(db, schedule);
  cache.set(key, { at: Date.now(), value });
  value.catch(() => cache.delete(key));
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  return value;
}

/** Computed afresh: the ratings of the event's sessions read once, then the model per slot. */
export async function estimateAttendance(db: Executor, schedule: PublishedSchedule): Promise<Map<string, number>> {
  const sessionIds = new Set(schedule.sessions.map((s) => s.id));
  const result = new Map<string, number>();
  if (!sessionIds.size) return result;
  const [ratings, owners] = await Promise.all([
    db
      .selectFrom('unconf_interests')
      .select(['person_id', 'proposal_id', 'level'])
      .where('event_id', '=', schedule.event.id)
      .where('level', '>', 0)
      .execute(),
    db
      .selectFrom('unconf_owners')
      .select(['person_id', 'proposal_id'])
      .where('event_id', '=', schedule.event.id)
      .execute(),
  ]);
  const users = new Set<string>();
  const interests: Record<string, Record<string, number>> = {};
  for (const r of ratings) {
    if (!sessionIds.has(r.proposal_id)) continue;
    users.add(r.person_id);
    const row = interests[r.person_id] ?? {};
    row[r.proposal_id] = r.level;
    interests[r.person_id] = row;
  }
  const ownersOf = new Map<string, string[]>();
  for (const o of owners) {
    if (!sessionIds.has(o.proposal_id)) continue;
    users.add(o.person_id);
    ownersOf.set(o.proposal_id, [...(ownersOf.get(o.proposal_id) ?? []), o.person_id]);
  }
  const slotIds = [...new Set(schedule.sessions.map((s) => s.slotId))];
  const roomIds = [...new Set(schedule.sessions.map((s) => s.roomId))];
  const capacity = new Map(schedule.rooms.map((r) => [r.id, r.capacity]));
  const instance: SchedulingInstance = {
    name: schedule.event.name,
    slots: slotIds.map((id) => ({ id, start: '', locked: false })),
    rooms: roomIds.map((id) => ({ id, name: id, capacity: capacity.get(id) ?? 0 })),
    sessions: schedule.sessions.map((s) => ({
      id: s.id,
      title: s.title,
      owners: ownersOf.get(s.id) ?? [],
      allowedSlots: null,
    })),
    users: [...users],
    interests,
  };
  const model = buildModel(instance);
  const index = new Map(model.sessionIds.map((id, i) => [id, i]));
  const bySlot = new Map<string, number[]>();
  for (const s of schedule.sessions) bySlot.set(s.slotId, [...(bySlot.get(s.slotId) ?? []), index.get(s.id)!]);
  for (const members of bySlot.values()) {
    const audience = slotAudience(model, members);
    members.forEach((s, i) => {
      result.set(model.sessionIds[s]!, audience[i]!);
    });
  }
  return result;
}
