import type { Db } from '../../db/database.js';
import { notFound } from '../../lib/errors.js';
import { type ExportedRound, exportRounds } from './export.js';
import { findGroup, listGroupMembers } from './queries.js';
import { type GroupStats, groupStats } from './stats.js';

/** What administrators read about one group: its members, its rounds and its statistics. */

export interface GroupMemberView {
  id: string;
  name: string;
  username: string;
  team: string | null;
  title: string | null;
  enabled: boolean;
  status: 'active' | 'paused' | 'left';
  pausedUntil: string | null;
  joinedAt: string;
}

async function requireGroup(db: Db, groupId: string): Promise<void> {
  if (!(await findGroup(db, groupId))) throw notFound('No such group.');
}

export async function membersOfGroup(db: Db, groupId: string): Promise<GroupMemberView[]> {
  await requireGroup(db, groupId);
  const members = await listGroupMembers(db, groupId);
  return members.map((member) => ({ ...member, enabled: member.enabled === 1 }));
}

/** Newest first, as the admin page lists them. */
export async function roundHistory(db: Db, groupId: string): Promise<ExportedRound[]> {
  await requireGroup(db, groupId);
  return (await exportRounds(db, groupId)).reverse();
}

export async function statsOfGroup(db: Db, groupId: string): Promise<GroupStats> {
  await requireGroup(db, groupId);
  return groupStats(db, groupId);
}
