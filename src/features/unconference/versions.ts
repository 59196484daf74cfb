import type { Executor } from '../../db/database.js';
import type { Placement } from './scheduleInstance.js';

/**
 * The published versions of an event's schedule, as publishing, the scheduler (a minimal-change run
 * stays close to the published version), the console and attendees read them. Only publishing writes them.
 */

export interface VersionHead {
  id: string;
  number: number;
  publishedAt: string;
}

/** The newest published version, or undefined when nothing is published. */
export async function latestVersion(db: Executor, eventId: string): Promise<VersionHead | undefined> {
  const row = await db
    .selectFrom('unconf_versions')
    .select(['id', 'number', 'published_at'])
    .where('event_id', '=', eventId)
    .orderBy('number', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && { id: row.id, number: row.number, publishedAt: row.published_at };
}

/** The placements of the latest published version, or null when nothing is published. */
export async function latestVersionPlacements(db: Executor, eventId: string): Promise<Placement[] | null> {
  const version = await latestVersion(db, eventId);
  if (!version) return null;
  const rows = await db
    .selectFrom('unconf_version_sessions')
    .select(['proposal_id', 'slot_id', 'room_id'])
    .where('version_id', '=', version.id)
    .execute();
  return rows.map((r) => ({ session: r.proposal_id, slot: r.slot_id, room: r.room_id }));
}
